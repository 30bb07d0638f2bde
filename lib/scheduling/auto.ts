import { z } from 'zod';
import { requireModule } from '../billing/modules';
import type { ServiceContext } from '../context';
import { type DbTx, transaction } from '../db/client';
import type { ScheduleBlock } from '../generated/prisma/client';
import { dateColumn, habitsDueOn } from '../habits/service';
import type { Operation } from '../http/openapi';
import { meetingsDueOn } from '../meetings/service';
import { schedulerDuration, schedulerPlanDuration } from '../metrics';
import { localDateSchema, queryBoolean, wholeNumberSchema } from '../shared/schemas';
import { addDays, formatLocalTime, localDate, localDayBounds, parseMinute, toZonedIso } from '../time';
import { type BlockView, blockView, lockUserSchedule, planningHours, recordBlockEvent } from './blocks';
import { meetingBlockTitle } from './follow';
import { type Candidate, defaultTaskMinutes, plan } from './plan';
import type { PlanReason, PlanReasonCode } from './reasons';

export const autoScheduleSchema = z
  .object({
    date: localDateSchema('date').optional().describe('First day to plan, YYYY-MM-DD (default today)'),
    days: wholeNumberSchema(1, 31, 'days must be a whole number between 1 and 31')
      .default(1)
      .describe('How many days to plan, 1–31 (default 1)'),
    habits: queryBoolean.optional().describe('Also plan habits due on those days (in personal hours)'),
    meetings: queryBoolean.optional().describe('Also plan 1:1s due on those days (module smart-1to1)'),
  })
  .strict();
export type AutoScheduleInput = z.input<typeof autoScheduleSchema>;

export interface AutoScheduleResult {
  dates: string[];
  timeZone: string;
  /** What was placed; a task placed past its due time carries the block's `flag` and a `note` saying why. */
  placed: (BlockView & { kind: Candidate['kind']; note?: PlanReason })[];
  /** What was not, each with a code from lib/scheduling/reasons.ts, a sentence, and for tasks the first free slot beyond the plan. */
  failures: {
    kind: Candidate['kind'];
    refId: string;
    title: string;
    date: string | null;
    code: PlanReasonCode;
    reason: string;
    /** The first free slot of the item's length in the next days, when the reason offers one. */
    suggestion: { start: string; date: string; time: string } | null;
  }[];
  /** Percent of the planned days' working time that is now busy (existing blocks + new ones). */
  utilisation: number;
}

/** Days after the planned ones searched for the first free slot an unplaced task's reason offers. */
const lookaheadDays = 7;

/** Habit preferred times as local windows (SPEC §3); `anytime` has none. */
const preferredWindows: Record<string, { startMinute: number; endMinute: number } | undefined> = {
  morning: { startMinute: 360, endMinute: 720 },
  afternoon: { startMinute: 720, endMinute: 1020 },
  evening: { startMinute: 1020, endMinute: 1260 },
  night: { startMinute: 1260, endMinute: 1440 },
};


/**
 * `schedule auto` (SPEC §5): gathers candidates — open tasks without a future planned block, habits
 * due and not done (with `habits`), 1:1s due (with `meetings`) — plans them around existing blocks
 * and imported events with the pure planner, and stores the blocks with their events in one
 * transaction under a per-user lock, so it is idempotent and two runs never double-book.
 */
export async function autoSchedule(ctx: ServiceContext, input: AutoScheduleInput = {}): Promise<AutoScheduleResult> {
  // orbita_scheduler_duration_seconds{operation="auto"}: the whole run, lock wait and storing included.
  const done = schedulerDuration.startTimer();
  try {
    const result = await runAutoSchedule(ctx, input);
    done({ operation: 'auto', outcome: 'ok' });
    return result;
  } catch (error) {
    done({ operation: 'auto', outcome: 'error' });
    throw error;
  }
}

async function runAutoSchedule(ctx: ServiceContext, input: AutoScheduleInput): Promise<AutoScheduleResult> {
  const data = autoScheduleSchema.parse(input);
  if (data.meetings) await requireModule(ctx, 'smart-1to1');
  return transaction(
    ctx.db,
    async (tx) => {
      // One planner per user at a time: a second run waits, then sees the first one's blocks.
      await lockUserSchedule(tx, ctx.userId);
      const txCtx = { ...ctx, db: tx };
      const now = ctx.now();
      const hours = await planningHours(tx, ctx.userId);
      const { zone } = hours;
      const first = data.date ?? localDate(now, zone);
      const dates = Array.from({ length: data.days }, (_, i) => addDays(first, i));
      const lookaheadDates = Array.from({ length: lookaheadDays }, (_, i) => addDays(dates[dates.length - 1], i + 1));
      const range = { start: localDayBounds(dates[0], zone).start, end: localDayBounds(lookaheadDates[lookaheadDates.length - 1], zone).end };

      const existing = await tx.scheduleBlock.findMany({
        where: { userId: ctx.userId, startAt: { lt: range.end }, endAt: { gt: range.start } },
      });
      const candidates: Candidate[] = [
        ...(await taskCandidates(tx, ctx.userId, now)),
        ...(data.habits ? await habitCandidates(txCtx, dates, existing, zone) : []),
        ...(data.meetings ? await meetingCandidates(txCtx, dates, existing) : []),
      ];
      const planned = schedulerPlanDuration.startTimer();
      const result = plan({
        candidates,
        busy: existing.map((b) => ({ start: b.startAt.getTime(), end: b.endAt.getTime() })),
        dates,
        lookaheadDates,
        ...hours,
        now: now.getTime(),
      });
      planned({ operation: 'auto' });

      const placed: AutoScheduleResult['placed'] = [];
      for (const placement of result.placements) {
        const block = await tx.scheduleBlock.create({
          data: {
            userId: ctx.userId,
            type: placement.candidate.kind,
            referenceId: placement.candidate.refId,
            title: placement.candidate.title,
            startAt: new Date(placement.start),
            endAt: new Date(placement.end),
            createdAt: now,
            updatedAt: now,
          },
        });
        const view = { ...blockView(block, zone), flag: placement.flag ?? null };
        await recordBlockEvent(tx, ctx, 'scheduling.block.scheduled', view, { source: 'auto' });
        placed.push({ ...view, kind: placement.candidate.kind, ...(placement.note ? { note: placement.note } : {}) });
      }
      return {
        dates,
        timeZone: zone,
        placed,
        failures: result.failures.map((f) => ({
          kind: f.candidate.kind,
          refId: f.candidate.refId,
          title: f.candidate.title,
          date: f.candidate.date ?? null,
          code: f.code,
          reason: f.reason,
          suggestion: f.suggestion === undefined ? null : suggestionAt(new Date(f.suggestion), zone),
        })),
        utilisation: Math.round(result.utilisation * 1000) / 10,
      };
    },
    { timeoutMs: 60_000 },
  );
}

function suggestionAt(start: Date, zone: string): NonNullable<AutoScheduleResult['failures'][number]['suggestion']> {
  return { start: toZonedIso(start, zone), date: localDate(start, zone), time: formatLocalTime(start, zone) };
}

/** Open tasks that do not already hold a planned block ending in the future. */
async function taskCandidates(tx: DbTx, userId: string, now: Date): Promise<Candidate[]> {
  const tasks = await tx.task.findMany({ where: { userId, status: { in: ['pending', 'in_progress'] } } });
  if (!tasks.length) return [];
  const held = await tx.scheduleBlock.findMany({
    where: { userId, status: 'planned', endAt: { gt: now }, referenceId: { in: tasks.map((t) => t.id) } },
    select: { referenceId: true },
  });
  const holding = new Set(held.map((b) => b.referenceId));
  return tasks
    .filter((task) => !holding.has(task.id))
    .map((task) => ({
      kind: 'task' as const,
      refId: task.id,
      title: task.title,
      durationMinutes: task.durationMinutes ?? defaultTaskMinutes,
      createdAt: task.createdAt.getTime(),
      priority: task.priority,
      dueAt: task.dueAt?.getTime() ?? null,
    }));
}

/** Habits due on each date, not done that day and without a block that day. */
async function habitCandidates(ctx: ServiceContext, dates: string[], existing: ScheduleBlock[], zone: string): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for (const date of dates) {
    const due = await habitsDueOn(ctx, date);
    if (!due.length) continue;
    const done = await ctx.db.habitCompletion.findMany({
      where: { userId: ctx.userId, localDate: dateColumn(date), habitId: { in: due.map((h) => h.id) } },
      select: { habitId: true },
    });
    const doneIds = new Set(done.map((c) => c.habitId));
    const blocked = new Set(existing.filter((b) => b.referenceId && localDate(b.startAt, zone) === date).map((b) => b.referenceId));
    for (const habit of due) {
      if (doneIds.has(habit.id) || blocked.has(habit.id)) continue;
      candidates.push({
        kind: 'habit',
        refId: habit.id,
        title: habit.name,
        durationMinutes: habit.durationMinutes,
        createdAt: Date.parse(habit.createdAt),
        date,
        preferredWindow: preferredWindows[habit.preferredTime],
      });
    }
  }
  return candidates;
}

/** 1:1s whose next occurrence falls on one of the dates and that hold no block in the window. */
async function meetingCandidates(ctx: ServiceContext, dates: string[], existing: ScheduleBlock[]): Promise<Candidate[]> {
  const blocked = new Set(existing.map((b) => b.referenceId).filter(Boolean));
  const candidates: Candidate[] = [];
  for (const date of dates) {
    for (const meeting of await meetingsDueOn(ctx, date)) {
      if (blocked.has(meeting.id)) continue;
      candidates.push({
        kind: 'meeting',
        refId: meeting.id,
        title: meetingBlockTitle(meeting.name),
        durationMinutes: meeting.durationMinutes,
        createdAt: Date.parse(meeting.createdAt),
        date,
        preferredStartMinute: parseMinute(meeting.time) ?? 600,
      });
    }
  }
  return candidates;
}

export const autoOperations: Operation[] = [
  {
    method: 'post',
    path: '/schedule/auto',
    tag: 'schedule',
    summary: 'Plan open tasks (and due habits / 1:1s) into free time; idempotent',
    body: autoScheduleSchema,
    returns: '`{ dates, placed, failures, utilisation }`',
  },
];
