import type { Metadata } from 'next';
import { systemClock } from '@/lib/context';
import { db } from '@/lib/db/client';
import { requireSessionUser } from '@/lib/identity/session';
import { listAccessTokens } from '@/lib/identity/tokens';
import { formatMinute } from '@/lib/time';
import { loadCalendarSection } from './calendar-actions';
import { CalendarSection } from './calendar-section';
import { currentIcsFeedUrl } from './ics-actions';
import { IcsSection } from './ics-section';
import { TokensSection } from './tokens-section';

export const metadata: Metadata = { title: 'Settings' };

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireSessionUser();
  const [tokens, hours] = await Promise.all([
    listAccessTokens({ db: db(), userId: user.id, now: systemClock }),
    db().workingHours.findMany({ where: { userId: user.id }, orderBy: { weekday: 'asc' } }),
  ]);
  return (
    <div className="space-y-10">
      <h1 className="text-2xl font-bold">Settings</h1>
      <section aria-labelledby="profile-heading" className="space-y-2">
        <h2 id="profile-heading" className="text-lg font-semibold">
          Profile
        </h2>
        <dl className="grid grid-cols-[10rem_1fr] gap-y-1 text-sm">
          <dt className="text-slate-600 dark:text-slate-400">Email</dt>
          <dd>{user.email ?? '—'}</dd>
          <dt className="text-slate-600 dark:text-slate-400">Time zone</dt>
          <dd>{user.timeZone}</dd>
          <dt className="text-slate-600 dark:text-slate-400">Working hours</dt>
          <dd>
            {hours.length === 0
              ? 'none'
              : hours.map((h) => `${weekdays[h.weekday].slice(0, 3)} ${formatMinute(h.startMinute)}–${formatMinute(h.endMinute)}`).join(', ')}
          </dd>
        </dl>
      </section>
      <TokensSection
        tokens={tokens.map((t) => ({
          id: t.id,
          name: t.name,
          prefix: t.prefix,
          scopes: t.scopes,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
          revokedAt: t.revokedAt?.toISOString() ?? null,
        }))}
      />
      <IcsSection url={await currentIcsFeedUrl()} />
      <CalendarSection data={await loadCalendarSection(await searchParams)} />
    </div>
  );
}
