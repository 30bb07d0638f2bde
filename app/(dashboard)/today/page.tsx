import type { Metadata } from 'next';
import Link from 'next/link';
import { habitsDueToday } from '@/lib/habits/service';
import { sessionContext } from '@/lib/identity/session';
import { type BlockView, scheduleDay } from '@/lib/scheduling/blocks';
import { formatDate } from '@/lib/format';
import { addDays, isCalendarDate, localDate, localMinuteOf, parseMinute } from '@/lib/time';
import { HabitsDue } from './habits-due';
import { PlanDay } from './plan-day';
import { QuickAdd } from './quick-add';
import { Timeline } from './timeline';
import type { TimelineBlock } from './timeline-layout';

export const metadata: Metadata = { title: 'Today' };

/** A block as minutes of the viewed day: one that began the day before starts at 0, one running past midnight ends at 1440. */
function timelineBlock(block: BlockView, date: string): TimelineBlock {
  const startMinute = block.date < date ? 0 : (parseMinute(block.startTime) ?? 0);
  const endsLater = block.end.slice(0, 10) > date || block.endTime === '24:00';
  return {
    id: block.id,
    type: block.type,
    title: block.title,
    date: block.date,
    startMinute,
    endMinute: endsLater ? 1440 : (parseMinute(block.endTime) ?? 1440),
    minutes: block.minutes,
    status: block.status,
    imported: block.source === 'imported',
  };
}

const linkClass = 'rounded-md border border-slate-300 px-2.5 py-1 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';

export default async function TodayPage({ searchParams }: { searchParams: Promise<{ date?: string }> }) {
  const [{ ctx, user }, query] = await Promise.all([sessionContext(), searchParams]);
  const now = ctx.now();
  const today = localDate(now, user.timeZone);
  const date = query.date && isCalendarDate(query.date) ? query.date : today;
  const isToday = date === today;
  const readCtx = { ...ctx, timeZone: user.timeZone };
  // One query per kind of data, side by side; habits "due today" only make sense on today.
  const [day, habits] = await Promise.all([scheduleDay(readCtx, { date }), isToday ? habitsDueToday(readCtx) : Promise.resolve([])]);

  const dayLabel = formatDate(date);
  const blocks = day.blocks.map((block) => timelineBlock(block, date));
  const workingHours = day.workingHours ? { start: parseMinute(day.workingHours.start) ?? 0, end: parseMinute(day.workingHours.end) ?? 1440 } : null;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{isToday ? 'Today' : dayLabel}</h1>
          <p className="text-slate-600 dark:text-slate-400" data-testid="today-subtitle">
            {isToday ? `${dayLabel} · ` : ''}
            {user.timeZone} · {day.workingHours ? `working hours ${day.workingHours.start}–${day.workingHours.end}` : 'no working hours'} · {day.summary.plannedMinutes} min planned ·{' '}
            {day.summary.freeMinutes} min free
          </p>
        </div>
        <nav aria-label="Day" className="flex gap-2">
          <Link href={`/today?date=${addDays(date, -1)}`} className={linkClass}>
            <span aria-hidden="true">← </span>Previous day
          </Link>
          {isToday ? null : (
            <Link href="/today" className={linkClass}>
              Today
            </Link>
          )}
          <Link href={`/today?date=${addDays(date, 1)}`} className={linkClass}>
            Next day<span aria-hidden="true"> →</span>
          </Link>
        </nav>
      </div>

      {/* Quick add and Plan my day come first (on a phone they are above the timeline); from lg the timeline is the left column. */}
      <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_20rem] lg:grid-rows-[auto_1fr]">
        <div className="min-w-0 space-y-8 lg:col-start-2 lg:row-start-1">
          <section aria-labelledby="quick-add-heading" className="space-y-2">
            <h2 id="quick-add-heading" className="text-lg font-semibold">
              Quick add
            </h2>
            <QuickAdd today={today} />
          </section>
          <section aria-labelledby="plan-heading" className="space-y-2">
            <h2 id="plan-heading" className="text-lg font-semibold">
              Plan my day
            </h2>
            <PlanDay date={isToday ? undefined : date} />
          </section>
        </div>

        <section aria-labelledby="schedule-heading" className="min-w-0 space-y-3 lg:col-start-1 lg:row-span-2 lg:row-start-1">
          <h2 id="schedule-heading" className="text-lg font-semibold">
            Schedule
          </h2>
          {blocks.length ? (
            <Timeline blocks={blocks} workingHours={workingHours} dayLabel={dayLabel} timeZone={user.timeZone} nowMinute={isToday ? localMinuteOf(now, user.timeZone) : null} />
          ) : (
            <div className="rounded-xl border border-dashed border-slate-300 p-10 text-center dark:border-slate-700" data-testid="today-empty">
              <p className="font-medium">Nothing planned for {isToday ? 'today' : 'this day'} yet.</p>
              <p className="text-sm text-slate-600 dark:text-slate-400">
                Add a task with <a href="#quick-add" className="font-medium text-indigo-700 underline dark:text-indigo-300">Quick add</a>, then press <strong>Plan my day</strong> to place it in your working hours.
              </p>
            </div>
          )}
        </section>

        {isToday ? (
          <section aria-labelledby="habits-heading" className="min-w-0 space-y-2 lg:col-start-2 lg:row-start-2">
            <h2 id="habits-heading" className="text-lg font-semibold">
              Habits due today
            </h2>
            <HabitsDue habits={habits.map((h) => ({ id: h.id, name: h.name, durationMinutes: h.durationMinutes, streak: h.streak, doneToday: h.doneToday }))} />
          </section>
        ) : null}
      </div>
    </div>
  );
}
