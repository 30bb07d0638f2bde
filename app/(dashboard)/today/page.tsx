import type { Metadata } from 'next';
import { db } from '@/lib/db/client';
import { requireSessionUser } from '@/lib/identity/session';
import { formatLocalTime, localDate, localDayBounds } from '@/lib/time';

export const metadata: Metadata = { title: 'Today' };

export default async function TodayPage() {
  const user = await requireSessionUser();
  const now = new Date();
  const heading = new Intl.DateTimeFormat('en-GB', { timeZone: user.timeZone, weekday: 'long', day: 'numeric', month: 'long' }).format(now);
  const { start, end } = localDayBounds(localDate(now, user.timeZone), user.timeZone);
  const blocks = await db().scheduleBlock.findMany({
    where: { userId: user.id, startAt: { lt: end }, endAt: { gt: start } },
    orderBy: { startAt: 'asc' },
  });
  const time = (instant: Date) => formatLocalTime(instant, user.timeZone);

  return (
    <section aria-labelledby="today-heading" className="space-y-6">
      <div>
        <h1 id="today-heading" className="text-2xl font-bold">
          Today
        </h1>
        <p className="text-slate-600 dark:text-slate-400">
          {heading} · {user.timeZone}
        </p>
      </div>
      {blocks.length === 0 ? (
        <div className="rounded-xl border border-dashed border-slate-300 p-10 text-center dark:border-slate-700" data-testid="today-empty">
          <p className="font-medium">Nothing planned for today yet.</p>
          <p className="text-sm text-slate-600 dark:text-slate-400">Blocks you plan will appear here on a timeline.</p>
        </div>
      ) : (
        <ol className="space-y-2" aria-label="Today's blocks">
          {blocks.map((block) => (
            <li key={block.id} className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
              <span className="font-mono text-sm">
                {time(block.startAt)}–{time(block.endAt)}
              </span>{' '}
              <span className="font-medium">{block.title}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
