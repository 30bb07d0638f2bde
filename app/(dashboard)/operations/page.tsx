import type { Metadata } from 'next';
import Link from 'next/link';
import { formatDateTime } from '@/lib/format';
import { requireSessionUser } from '@/lib/identity/session';
import { listDeadLetters, outboxOverview } from '@/lib/outbox/operations';
import { type DeadLetterItem, DeadLetters } from './dead-letters';

export const metadata: Metadata = { title: 'Operations' };

/** How many dead letters the page lists (the newest); the count above the table is the full total. */
const deadLetterLimit = 100;

/** A lag in seconds the way people read it: "0 s", "42 s", "3 min 5 s", "2 h 10 min". */
function formatLag(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export default async function OperationsPage() {
  const user = await requireSessionUser(); // the layout already let only admins through
  const [overview, dead] = await Promise.all([outboxOverview(), listDeadLetters(deadLetterLimit)]);
  // To the second: an admin matches these against log lines.
  const when = (instant: Date) => formatDateTime(instant, user.timeZone, { seconds: true });
  const items: DeadLetterItem[] = dead.map((d) => ({
    eventId: d.eventId,
    eventType: d.eventType,
    aggregate: `${d.aggregateType}/${d.aggregateId}`,
    attempts: d.retryCount,
    lastError: d.lastError,
    created: when(d.createdAt),
  }));
  const stats = [
    { label: 'Pending', value: String(overview.pending), testId: 'stat-pending' },
    { label: 'Dead', value: String(overview.dead), testId: 'stat-dead' },
    { label: 'Lag (oldest waiting)', value: formatLag(overview.lagSeconds), testId: 'stat-lag' },
    { label: 'Published (kept)', value: String(overview.publishedKept), testId: 'stat-published' },
  ];

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-bold">Operations</h1>
          <p className="text-slate-600 dark:text-slate-400">The transactional outbox: events waiting to be published, and the ones that gave up.</p>
        </div>
        <Link href="/operations" prefetch={false} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
          Refresh
        </Link>
      </div>
      <section aria-labelledby="outbox-heading" className="space-y-3">
        <h2 id="outbox-heading" className="text-lg font-semibold">
          Outbox
        </h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {stats.map((stat) => (
            <div key={stat.label} className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
              <dt className="text-sm text-slate-600 dark:text-slate-400">{stat.label}</dt>
              <dd className="text-2xl font-semibold tabular-nums" data-testid={stat.testId}>
                {stat.value}
              </dd>
            </div>
          ))}
        </dl>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          As of <span data-testid="as-of">{when(new Date())}</span>. Published events are deleted after the retention period, so that count is what the table still holds.
        </p>
      </section>
      <DeadLetters items={items} />
    </div>
  );
}
