import type { Metadata } from 'next';
import Link from 'next/link';
import { hasModule, moduleDescriptions } from '@/lib/billing/modules';
import { toAppError } from '@/lib/http/errors';
import { sessionContext } from '@/lib/identity/session';
import { listMeetings, type MeetingView } from '@/lib/meetings/service';
import type { Page } from '@/lib/shared/pagination';
import { localDate } from '@/lib/time';
import { MeetingList } from './meeting-list';
import { NewMeetingForm } from './new-meeting-form';

export const metadata: Metadata = { title: 'Meetings' };

/** One page holds every 1:1 most people have; "Next page" covers the rest. */
const pageSize = 100;

const linkClass = 'font-medium text-indigo-700 underline dark:text-indigo-300';

type SearchParams = Record<string, string | string[] | undefined>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function MeetingsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx, user } = await sessionContext();
  const heading = (
    <div>
      <h1 className="text-2xl font-bold">Meetings</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">Recurring 1:1s: when the next one is due, and when you last met.</p>
    </div>
  );

  // With billing on, 1:1s belong to the smart-1to1 module: explain instead of failing.
  if (!(await hasModule(ctx, 'smart-1to1'))) {
    return (
      <div className="space-y-8">
        {heading}
        <section aria-labelledby="module-heading" className="space-y-2 rounded-xl border border-indigo-200 bg-indigo-50 p-6 dark:border-indigo-900 dark:bg-indigo-950" data-testid="meetings-module-off">
          <h2 id="module-heading" className="text-lg font-semibold">
            1:1 meetings are part of the smart-1to1 module
          </h2>
          <p className="text-sm">{moduleDescriptions['smart-1to1']}. Your account does not have it yet.</p>
          <p className="text-sm">
            <Link href="/billing" className={linkClass}>
              Turn on smart-1to1 on the Billing page
            </Link>
          </p>
        </section>
      </div>
    );
  }

  const params = await searchParams;
  const archived = first(params.archived) === 'true';
  const cursor = first(params.cursor);
  const readCtx = { ...ctx, timeZone: user.timeZone };
  let page: Page<MeetingView>;
  let cursorError: string | null = null;
  try {
    page = await listMeetings(readCtx, { archived, limit: pageSize, ...(cursor ? { cursor } : {}) });
  } catch (error) {
    // A hand-edited or stale cursor is bad input: say so and show the first page.
    const appError = toAppError(error);
    if (!appError) throw error;
    cursorError = appError.message;
    page = await listMeetings(readCtx, { archived, limit: pageSize });
  }
  const href = (options: { archived: boolean; cursor?: string | null }) => {
    const search = new URLSearchParams();
    if (options.archived) search.set('archived', 'true');
    if (options.cursor) search.set('cursor', options.cursor);
    return search.size ? `/meetings?${search}` : '/meetings';
  };

  return (
    <div className="space-y-8">
      {heading}
      <NewMeetingForm />
      <section aria-labelledby="meeting-list-heading" className="space-y-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="meeting-list-heading" className="text-lg font-semibold">
            Your 1:1s
          </h2>
          <Link href={href({ archived: !archived })} className={`text-sm ${linkClass}`} scroll={false}>
            {archived ? 'Hide archived' : 'Show archived'}
          </Link>
        </div>
        {cursorError ? (
          <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
            That page could not be shown ({cursorError}), so the first page is shown.
          </p>
        ) : null}
        <MeetingList key={href({ archived, cursor })} meetings={page.items} today={localDate(new Date(), user.timeZone)} />
        {page.nextCursor || cursor ? (
          <p className="flex gap-4 text-sm">
            {cursor ? (
              <Link href={href({ archived })} className={linkClass}>
                First page
              </Link>
            ) : null}
            {page.nextCursor ? (
              <Link href={href({ archived, cursor: page.nextCursor })} className={linkClass}>
                Next page
              </Link>
            ) : null}
          </p>
        ) : null}
      </section>
    </div>
  );
}
