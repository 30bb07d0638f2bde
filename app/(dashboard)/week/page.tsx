import type { Metadata } from 'next';
import Link from 'next/link';
import { sessionContext } from '@/lib/identity/session';
import { type BlockView, scheduleWeek } from '@/lib/scheduling/blocks';
import { scheduleWeekSchema } from '@/lib/scheduling/schemas';
import { formatDateRange, weekdayOfDate } from '@/lib/format';
import { addDays, daysBetween, localDate, parseMinute } from '@/lib/time';
import { type GridBlock, type GridDay, gridRange } from './grid';
import { WeekGrid } from './week-grid';

export const metadata: Metadata = { title: 'Week' };

/** The block's start and end as wall-clock minutes after the local midnight of its start date. */
function gridBlock(block: BlockView, weekStart: string): GridBlock {
  const startMinute = parseMinute(block.startTime) ?? 0;
  const endDays = block.endTime === '24:00' ? 0 : daysBetween(block.date, block.end.slice(0, 10));
  return {
    id: block.id,
    title: block.title,
    type: block.type,
    status: block.status,
    imported: block.source === 'imported',
    day: daysBetween(weekStart, block.date),
    startMinute,
    endMinute: (parseMinute(block.endTime) ?? 0) + endDays * 24 * 60,
  };
}

const navLink =
  'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800';

export default async function WeekPage({ searchParams }: { searchParams: Promise<{ date?: string | string[] }> }) {
  const [{ ctx, user }, params] = await Promise.all([sessionContext(), searchParams]);
  // A bad ?date= is shown to the user (and this week shown instead), never a 500.
  const asked = scheduleWeekSchema.safeParse({ date: typeof params.date === 'string' ? params.date : undefined });
  const week = await scheduleWeek({ ...ctx, timeZone: user.timeZone }, asked.success ? asked.data : {});
  const today = localDate(ctx.now(), week.timeZone);

  const days: GridDay[] = week.days.map((day) => ({
    date: day.date,
    weekday: weekdayOfDate(day.date, 'long'),
    short: weekdayOfDate(day.date, 'short'),
    dayOfMonth: String(Number(day.date.slice(8, 10))),
    isToday: day.date === today,
    working: day.workingHours ? { start: parseMinute(day.workingHours.start) ?? 0, end: parseMinute(day.workingHours.end) ?? 0 } : null,
  }));
  // A block spanning midnight is listed on each day it touches: keep one.
  const seen = new Set<string>();
  const blocks = week.days
    .flatMap((day) => day.blocks)
    .filter((block) => !seen.has(block.id) && seen.add(block.id))
    .map((block) => gridBlock(block, week.weekStart));
  const range = gridRange(days, blocks);

  return (
    <section aria-labelledby="week-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          {/* Read as one phrase ("Week of 7 – 13 Dec 2026"); the dates sit on their own line at every width, so the loading skeleton has the same height. */}
          <h1 id="week-heading" className="text-2xl font-bold">
            Week<span className="sr-only"> of</span>{' '}
            <span className="block text-lg font-normal text-slate-600 dark:text-slate-400">{formatDateRange(week.weekStart, week.weekEnd)}</span>
          </h1>
          <p className="text-sm text-slate-600 dark:text-slate-400" id="week-hint">
            Drag a block to move it. With the keyboard: focus a block, press Enter, use the arrow keys (↑↓ 15 minutes, ←→ one day), Enter to drop, Escape to cancel.
          </p>
        </div>
        <nav aria-label="Weeks" className="flex flex-wrap gap-2">
          <Link href={`/week?date=${addDays(week.weekStart, -7)}`} className={navLink}>
            Previous week
          </Link>
          <Link href="/week" className={navLink} aria-current={today >= week.weekStart && today <= week.weekEnd ? 'date' : undefined}>
            This week
          </Link>
          <Link href={`/week?date=${addDays(week.weekStart, 7)}`} className={navLink}>
            Next week
          </Link>
        </nav>
      </div>
      {asked.success ? null : (
        <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          {asked.error.issues[0]?.message ?? 'date must be YYYY-MM-DD'} — showing this week instead.
        </p>
      )}
      <WeekGrid key={week.weekStart} days={days} blocks={blocks} range={range} timeZone={week.timeZone} />
    </section>
  );
}
