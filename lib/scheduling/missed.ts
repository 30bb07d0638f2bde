import { z } from 'zod';
import { requireModule } from '../billing/modules';
import type { ServiceContext } from '../context';
import { type DbTx, transaction } from '../db/client';
import type { Operation } from '../http/openapi';
import { clockTimeSchema, localDateSchema } from '../shared/schemas';
import { addDays, atLocalMinute, localDate, localDayBounds, toZonedIso } from '../time';
import { type BlockView, blockView, lockUserSchedule, markMissedBlocks, planningHours, recordBlockEvent } from './blocks';
import { type Candidate, plan } from './plan';

export const rescheduleMissedSchema = z
  .object({
    date: localDateSchema('date').optional().describe('Day to start looking for free time, YYYY-MM-DD (default today)'),
    after: clockTimeSchema('after').optional().describe('Earliest local time HH:MM on that day (default now)'),
  })
  .strict();
export type RescheduleMissedInput = z.input<typeof rescheduleMissedSchema>;

export interface RescheduleMissedResult {
  /** Blocks newly marked missed by this run (any that ended more than an hour ago). */
  markedMissed: number;
  rescheduled: (BlockView & { from: { start: string; end: string } })[];
  failures: { id: string; title: string; reason: string }[];
}

/** How far ahead a missed block may move. */
const searchDays = 7;

/**
 * `schedule reschedule-missed` (module auto-rescheduler): marks blocks missed, then moves each of
 * the user's missed Orbita blocks to the next free slot (working hours; habits in personal hours on
 * the first day), keeping the buffer, in one transaction under the user's planning lock.
 */
export async function rescheduleMissed(ctx: ServiceContext, input: RescheduleMissedInput = {}): Promise<RescheduleMissedResult> {
  const data = rescheduleMissedSchema.parse(input);
  await requireModule(ctx, 'auto-rescheduler');
  const now = ctx.now();
  const markedMissed = await markMissedBlocks(ctx.db, now, ctx.userId);
  return transaction(
    ctx.db,
    async (tx) => {
      await lockUserSchedule(tx, ctx.userId);
      const hours = await planningHours(tx, ctx.userId);
      const { zone } = hours;
      const first = data.date ?? localDate(now, zone);
      const earliest = Math.max(now.getTime(), data.after === undefined ? 0 : atLocalMinute(first, data.after, zone).getTime(), localDayBounds(first, zone).start.getTime());
      const dates = Array.from({ length: searchDays }, (_, i) => addDays(first, i));
      const missed = await tx.scheduleBlock.findMany({ where: { userId: ctx.userId, status: 'missed', source: 'orbita' }, orderBy: { startAt: 'asc' } });
      if (!missed.length) return { markedMissed, rescheduled: [], failures: [] };
      const range = { start: localDayBounds(dates[0], zone).start, end: localDayBounds(dates[dates.length - 1], zone).end };
      const busy = await tx.scheduleBlock.findMany({
        where: { userId: ctx.userId, status: { not: 'missed' }, startAt: { lt: range.end }, endAt: { gt: range.start } },
        select: { startAt: true, endAt: true },
      });
      const candidates: Candidate[] = missed.map((block) => ({
        kind: block.type === 'habit' ? 'habit' : 'task',
        refId: block.id,
        title: block.title,
        durationMinutes: Math.round((block.endAt.getTime() - block.startAt.getTime()) / 60_000),
        createdAt: block.startAt.getTime(),
        priority: block.type === 'meeting' ? 'urgent' : 'none',
        ...(block.type === 'habit' ? { date: first } : {}),
      }));
      const result = plan({
        candidates,
        busy: busy.map((b) => ({ start: b.startAt.getTime(), end: b.endAt.getTime() })),
        dates,
        ...hours,
        now: earliest,
      });
      const byId = new Map(missed.map((b) => [b.id, b]));
      const rescheduled: RescheduleMissedResult['rescheduled'] = [];
      for (const placement of result.placements) {
        const block = byId.get(placement.candidate.refId)!;
        rescheduled.push(await moveMissed(tx, ctx, block, placement, zone, now));
      }
      return {
        markedMissed,
        rescheduled,
        failures: result.failures.map((f) => ({ id: f.candidate.refId, title: f.candidate.title, reason: f.reason })),
      };
    },
    { timeoutMs: 60_000 },
  );
}

async function moveMissed(
  tx: DbTx,
  ctx: ServiceContext,
  block: { id: string; startAt: Date; endAt: Date },
  placement: { start: number; end: number },
  zone: string,
  now: Date,
) {
  const from = { start: toZonedIso(block.startAt, zone), end: toZonedIso(block.endAt, zone) };
  const moved = await tx.scheduleBlock.update({
    where: { id: block.id },
    data: { startAt: new Date(placement.start), endAt: new Date(placement.end), status: 'planned', updatedAt: now },
  });
  const view = blockView(moved, zone);
  await recordBlockEvent(tx, ctx, 'scheduling.block.rescheduled', view, { from, reason: 'missed' });
  return { ...view, from };
}

export const rescheduleOperations: Operation[] = [
  {
    method: 'post',
    path: '/schedule/reschedule-missed',
    tag: 'schedule',
    summary: 'Mark blocks missed and move missed ones to the next free slot (module auto-rescheduler)',
    body: rescheduleMissedSchema,
    returns: '`{ markedMissed, rescheduled, failures }`',
  },
];
