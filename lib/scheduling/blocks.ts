import type { ServiceContext } from '../context';
import { type DbTx, transaction } from '../db/client';
import { AppError, conflict, notFound, validationError } from '../errors';
import type { Prisma, ScheduleBlock } from '../generated/prisma/client';
import { appendEvent, appendEvents } from '../outbox/append';
import type { EventType } from '../outbox/events';
import { type Page, pageArgs, toPage } from '../shared/pagination';
import { resolveCursor, resolveRef } from '../shared/refs';
import { addDays, atLocalMinute, formatLocalTime, formatMinute, localDate, localDayBounds, localMinuteOf, mondayOf, toZonedIso, weekdayOf } from '../time';
import {
  type AddBlockInput,
  addBlockSchema,
  blockRuleMessages,
  type FreeSlotsInput,
  freeSlotsSchema,
  type ListBlocksInput,
  listBlocksSchema,
  maxBlockMinutes,
  minBlockMinutes,
  type MoveBlockInput,
  moveBlockSchema,
  type ScheduleDayInput,
  scheduleDaySchema,
  type ScheduleWeekInput,
  scheduleWeekSchema,
  type TimePoint,
} from './schemas';
import { freeIntervals, type Interval, mergeIntervals, minute as minuteMs, type PlanningHours, type WeekdayHours, workingWindow } from './windows';

/** A block as every door shows it: instants ISO-8601 with the user's offset, plus local date and HH:MM. */
export interface BlockView {
  id: string;
  type: ScheduleBlock['type'];
  referenceId: string | null;
  title: string;
  start: string;
  end: string;
  /** Local date of the start (YYYY-MM-DD). */
  date: string;
  /** Local HH:MM of the start and end (`24:00` for an end at the midnight closing the start's day). */
  startTime: string;
  endTime: string;
  minutes: number;
  status: ScheduleBlock['status'];
  source: ScheduleBlock['source'];
  /** Moved by hand: later planning leaves it where it was put. */
  pinned: boolean;
  /** A task block's due-time flag (blockFlag): `overdue`, `after_due`, or null. */
  flag: BlockFlag | null;
  externalCalendarId: string | null;
  externalEventId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type BlockFlag = 'overdue' | 'after_due';

/** A block row with its task's due time when it plans an open task (null otherwise): what a view needs for the flag. */
export type BlockRow = ScheduleBlock & { taskDueAt: Date | null };

/**
 * The flag a task block carries: `overdue` while its task is open and past its due time, `after_due`
 * when it ends after a due time still ahead; null otherwise (and for completed blocks, whose task
 * is done with).
 */
export function blockFlag(block: Pick<ScheduleBlock, 'type' | 'status' | 'endAt'>, taskDueAt: Date | null, now: Date): BlockFlag | null {
  if (block.type !== 'task' || taskDueAt === null || block.status === 'completed') return null;
  if (taskDueAt.getTime() <= now.getTime()) return 'overdue';
  return block.endAt.getTime() > taskDueAt.getTime() ? 'after_due' : null;
}

export interface DayView {
  date: string;
  timeZone: string;
  blocks: BlockView[];
  /** That weekday's working hours (HH:MM), or null on a day off. */
  workingHours: { start: string; end: string } | null;
  summary: {
    /** Minutes of the day covered by Orbita blocks that are planned or completed. */
    plannedMinutes: number;
    /** Working minutes not covered by any block (Orbita or imported). */
    freeMinutes: number;
  };
}

export interface WeekView {
  /** The Monday and Sunday of the week (local dates). */
  weekStart: string;
  weekEnd: string;
  timeZone: string;
  days: DayView[];
  summary: { plannedMinutes: number; freeMinutes: number };
}

export interface FreeSlot {
  start: string;
  end: string;
  startTime: string;
  endTime: string;
  minutes: number;
}

export interface FreeSlotsView {
  date: string;
  timeZone: string;
  min: number;
  slots: FreeSlot[];
}

const minutesBetween = (start: Date | number, end: Date | number) => Math.round((Number(end) - Number(start)) / minuteMs);

/** Local HH:MM of `end`, written 24:00 when it is the midnight that closes `startDate`. */
function endTimeOf(end: Date, startDate: string, zone: string): string {
  return localMinuteOf(end, zone) === 0 && localDate(end, zone) === addDays(startDate, 1) ? '24:00' : formatLocalTime(end, zone);
}

/**
 * A block as the doors show it. The flag needs the task's due time and the clock: given a BlockRow
 * and `now` it is computed, else null (event payloads, blocks that plan no task).
 */
export function blockView(block: ScheduleBlock | BlockRow, zone: string, now?: Date): BlockView {
  const date = localDate(block.startAt, zone);
  const taskDueAt = 'taskDueAt' in block ? block.taskDueAt : null;
  return {
    id: block.id,
    type: block.type,
    referenceId: block.referenceId,
    title: block.title,
    start: toZonedIso(block.startAt, zone),
    end: toZonedIso(block.endAt, zone),
    date,
    startTime: formatLocalTime(block.startAt, zone),
    endTime: endTimeOf(block.endAt, date, zone),
    minutes: minutesBetween(block.startAt, block.endAt),
    status: block.status,
    source: block.source,
    pinned: block.pinned,
    flag: now ? blockFlag(block, taskDueAt, now) : null,
    externalCalendarId: block.externalCalendarId,
    externalEventId: block.externalEventId,
    createdAt: toZonedIso(block.createdAt, zone),
    updatedAt: toZonedIso(block.updatedAt, zone),
  };
}

/** The user's zone, working hours and personal hours (what views, free slots and planning read). */
export async function planningHours(db: DbTx, userId: string): Promise<PlanningHours> {
  // One round trip (a relation include would be two): every schedule read and write starts here.
  const rows = await db.$queryRaw<{ zone: string; personalStart: number; personalEnd: number; workingHours: WeekdayHours[] }[]>`
    SELECT u.time_zone AS zone, u.personal_start_minute AS "personalStart", u.personal_end_minute AS "personalEnd",
           COALESCE((SELECT json_agg(json_build_object('weekday', w.weekday, 'startMinute', w.start_minute, 'endMinute', w.end_minute) ORDER BY w.weekday)
                       FROM working_hours w WHERE w.user_id = u.id), '[]'::json) AS "workingHours"
      FROM users u WHERE u.id = ${userId}::uuid`;
  const user = rows[0];
  if (!user) throw notFound('user');
  return { zone: user.zone, workingHours: user.workingHours, personalHours: { startMinute: user.personalStart, endMinute: user.personalEnd } };
}

/**
 * Serialises schedule writes of one user (manual edits, `schedule auto`, `reschedule-missed`): a
 * second writer waits, then sees the first one's blocks. Call inside the write's transaction.
 */
export async function lockUserSchedule(tx: DbTx, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`orbita:schedule:${userId}`}, 0))`;
}

/** Records a `scheduling.block.*` event for `view` in the caller's transaction (payload `{ block, ...extra }`). */
export async function recordBlockEvent(tx: DbTx, ctx: ServiceContext, eventType: EventType, view: BlockView, extra: Record<string, unknown> = {}) {
  await appendEvent(tx, { aggregateType: 'block', aggregateId: view.id, eventType, userId: ctx.userId, payload: { block: view, ...extra } });
}

export async function loadBlock(tx: DbTx, ctx: ServiceContext, ref: string): Promise<ScheduleBlock> {
  const id = await resolveRef({ ...ctx, db: tx }, 'block', ref);
  return tx.scheduleBlock.findUniqueOrThrow({ where: { id } });
}

// ───────────────────────── spans and overlap ─────────────────────────

/** A validation error shaped like the zod ones (`details.issues` names the field). */
function fieldError(field: string, message: string): AppError {
  return validationError(message.startsWith(field) ? message : `${field}: ${message}`, { issues: [{ field, message }] });
}

/**
 * Places a parsed start/end in the user's zone (HH:MM on `date`, DST-safe) and checks the span on
 * the real instants: end after start, at least 5 minutes, at most 24 hours.
 */
function resolveSpan(span: { start: TimePoint; end: TimePoint }, date: string, zone: string): { startAt: Date; endAt: Date } {
  const at = (point: TimePoint) => ('minute' in point ? atLocalMinute(date, point.minute, zone) : new Date(point.instant));
  const startAt = at(span.start);
  const endAt = at(span.end);
  const minutes = (endAt.getTime() - startAt.getTime()) / minuteMs;
  const wallClock = 'minute' in span.start && 'minute' in span.end;
  if (minutes <= 0) throw fieldError('end', blockRuleMessages.endAfterStart);
  if (minutes < minBlockMinutes) throw fieldError('end', blockRuleMessages.tooShort);
  // HH:MM on one date is at most that (23–25 hour) day.
  if (minutes > maxBlockMinutes && !wallClock) throw fieldError('end', blockRuleMessages.tooLong);
  return { startAt, endAt };
}

/** The user's Orbita block that shares time with [startAt, endAt), if any (imported blocks never conflict). */
async function findOverlap(db: DbTx, userId: string, startAt: Date, endAt: Date, exceptId?: string): Promise<ScheduleBlock | null> {
  return db.scheduleBlock.findFirst({
    where: { userId, source: 'orbita', startAt: { lt: endAt }, endAt: { gt: startAt }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    orderBy: [{ startAt: 'asc' }, { id: 'asc' }],
  });
}

function overlapConflict(other: ScheduleBlock, zone: string, date: string): AppError {
  const view = blockView(other, zone);
  const when = `${view.date === date ? '' : `${view.date} `}${view.startTime}–${view.endTime}`;
  return conflict(`the block overlaps ${JSON.stringify(other.title)} ${when} (block ${other.id.slice(0, 8)})`, { conflictingBlock: view });
}

/**
 * True for the database's exclusion violation on schedule_blocks_no_overlap (SQLSTATE 23P01). With
 * Prisma 7's pg adapter it arrives as a PrismaClientKnownRequestError (code P2039) carrying the
 * driver error at `meta.driverAdapterError.cause` (`originalCode: '23P01'`, the constraint name in
 * `originalMessage`); the walk also accepts a raw pg error (`code`) and the constraint name in a message.
 */
export function isOverlapViolation(error: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): boolean => {
    if (typeof value !== 'object' || value === null || seen.has(value) || depth > 6) return false;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (record.code === '23P01' || record.originalCode === '23P01') return true;
    for (const key of ['message', 'originalMessage', 'constraint']) {
      if (typeof record[key] === 'string' && (record[key] as string).includes('schedule_blocks_no_overlap')) return true;
    }
    return ['cause', 'meta', 'driverAdapterError', 'error'].some((key) => visit(record[key], depth + 1));
  };
  return visit(error, 0);
}

/**
 * Runs a block write; an exclusion violation (a concurrent writer won the race past our pre-check)
 * becomes the same 409 the pre-check gives, naming the block now in the way.
 */
async function guardOverlap<T>(ctx: ServiceContext, span: () => { startAt: Date; endAt: Date; exceptId?: string; zone: string; date: string } | null, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isOverlapViolation(error)) throw error;
    const s = span();
    if (s) {
      const other = await findOverlap(ctx.db, ctx.userId, s.startAt, s.endAt, s.exceptId).catch(() => null);
      if (other) throw overlapConflict(other, s.zone, s.date);
    }
    throw conflict('the block overlaps another of your blocks');
  }
}

const writeTimeoutMs = 30_000;

// ───────────────────────── writes ─────────────────────────

const referenceTables = {
  task: (db: DbTx, id: string, userId: string) => db.task.findFirst({ where: { id, userId }, select: { id: true } }),
  habit: (db: DbTx, id: string, userId: string) => db.habit.findFirst({ where: { id, userId }, select: { id: true } }),
  meeting: (db: DbTx, id: string, userId: string) => db.meeting.findFirst({ where: { id, userId }, select: { id: true } }),
};

/** Adds an Orbita block; overlapping another Orbita block is a 409 naming it. Emits `scheduling.block.scheduled`. */
export async function addBlock(ctx: ServiceContext, input: AddBlockInput): Promise<BlockView> {
  const data = addBlockSchema.parse(input);
  const { zone } = await planningHours(ctx.db, ctx.userId);
  const now = ctx.now();
  const date = data.date ?? localDate(now, zone);
  const { startAt, endAt } = resolveSpan(data, date, zone);
  if (data.referenceId) {
    const type = data.type as keyof typeof referenceTables;
    if (!(await referenceTables[type](ctx.db, data.referenceId, ctx.userId))) throw notFound(`${type} ${data.referenceId}`);
  }
  const localStart = localDate(startAt, zone);
  return guardOverlap(
    ctx,
    () => ({ startAt, endAt, zone, date: localStart }),
    () =>
      transaction(
        ctx.db,
        async (tx) => {
          await lockUserSchedule(tx, ctx.userId);
          const other = await findOverlap(tx, ctx.userId, startAt, endAt);
          if (other) throw overlapConflict(other, zone, localStart);
          // Put there by hand: pinned like a moved block.
          const block = await tx.scheduleBlock.create({
            data: { userId: ctx.userId, type: data.type, referenceId: data.referenceId ?? null, title: data.title, startAt, endAt, pinned: true, createdAt: now, updatedAt: now },
          });
          const view = await flaggedView(tx, ctx, block, zone);
          await recordBlockEvent(tx, ctx, 'scheduling.block.scheduled', view);
          return view;
        },
        { timeoutMs: writeTimeoutMs },
      ),
  );
}

/**
 * Moves a planned or missed Orbita block (a missed one becomes planned again). HH:MM times are on
 * `date`, which defaults to the block's own date — or today for a missed block. Emits
 * `scheduling.block.rescheduled` with `from: { start, end }`.
 */
export async function moveBlock(ctx: ServiceContext, ref: string, input: MoveBlockInput): Promise<BlockView> {
  const data = moveBlockSchema.parse(input);
  const { zone } = await planningHours(ctx.db, ctx.userId);
  const now = ctx.now();
  let target: { startAt: Date; endAt: Date; id: string } | null = null;
  return guardOverlap(
    ctx,
    () => (target ? { ...target, exceptId: target.id, zone, date: localDate(target.startAt, zone) } : null),
    () =>
      transaction(
        ctx.db,
        async (tx) => {
          await lockUserSchedule(tx, ctx.userId);
          const block = await loadBlock(tx, ctx, ref);
          if (block.source === 'imported') throw conflict('imported events are moved in their calendar', { source: block.source });
          if (block.status === 'completed') throw conflict('block is completed: completed blocks cannot be moved', { status: block.status });
          const date = data.date ?? (block.status === 'missed' ? localDate(now, zone) : localDate(block.startAt, zone));
          const { startAt, endAt } = resolveSpan(data, date, zone);
          target = { startAt, endAt, id: block.id };
          if (block.status === 'planned' && startAt.getTime() === block.startAt.getTime() && endAt.getTime() === block.endAt.getTime()) {
            return flaggedView(tx, ctx, block, zone); // already there: nothing changes, no event
          }
          const other = await findOverlap(tx, ctx.userId, startAt, endAt, block.id);
          if (other) throw overlapConflict(other, zone, localDate(startAt, zone));
          const from = { start: toZonedIso(block.startAt, zone), end: toZonedIso(block.endAt, zone) };
          // Moved by hand: pinned, so later planning leaves it where it was put.
          const moved = await tx.scheduleBlock.update({ where: { id: block.id }, data: { startAt, endAt, status: 'planned', pinned: true, updatedAt: now } });
          const view = await flaggedView(tx, ctx, moved, zone);
          await recordBlockEvent(tx, ctx, 'scheduling.block.rescheduled', view, { from });
          return view;
        },
        { timeoutMs: writeTimeoutMs },
      ),
  );
}

/**
 * Marks a block completed (twice → conflict). Emits `scheduling.block.completed`. Doors complete
 * blocks through completeBlockAndTask (lib/scheduling/complete-block.ts), which also settles the
 * task a block plans.
 */
export async function completeBlock(ctx: ServiceContext, ref: string): Promise<BlockView> {
  const { zone } = await planningHours(ctx.db, ctx.userId);
  return transaction(ctx.db, async (tx) => completeLoadedBlock(tx, ctx, await loadBlock(tx, ctx, ref), zone));
}

/** completeBlock for a loaded block, in the caller's transaction. */
export async function completeLoadedBlock(tx: DbTx, ctx: ServiceContext, block: ScheduleBlock, zone: string): Promise<BlockView> {
  if (block.status === 'completed') throw conflict('block is already completed');
  const { count } = await tx.scheduleBlock.updateMany({ where: { id: block.id, userId: ctx.userId, status: block.status }, data: { status: 'completed', updatedAt: ctx.now() } });
  if (count === 0) throw conflict('block is already completed');
  const view = await flaggedView(tx, ctx, await tx.scheduleBlock.findUniqueOrThrow({ where: { id: block.id } }), zone);
  await recordBlockEvent(tx, ctx, 'scheduling.block.completed', view);
  return view;
}

/** What removeBlock hands to its `onRemoved` extension point. */
export interface RemovedBlock {
  /** The row as it was before deletion (source, external calendar and event id included). */
  block: ScheduleBlock;
  view: BlockView;
}

export interface RemoveBlockOptions {
  /**
   * Extension point for calendar sync (SPEC §6: with delete-missing on, `schedule remove` deletes
   * the calendar event). Runs inside the removal's transaction after the row is deleted and
   * `scheduling.block.removed` is recorded: anything it writes with `tx` commits with the removal,
   * and throwing rolls the removal back.
   */
  onRemoved?: (tx: DbTx, removed: RemovedBlock) => Promise<void>;
}

/** Deletes a block. Emits `scheduling.block.removed` with the block as it was. */
export async function removeBlock(ctx: ServiceContext, ref: string, options: RemoveBlockOptions = {}): Promise<BlockView> {
  const { zone } = await planningHours(ctx.db, ctx.userId);
  return transaction(ctx.db, async (tx) => {
    const block = await loadBlock(tx, ctx, ref);
    const { count } = await tx.scheduleBlock.deleteMany({ where: { id: block.id, userId: ctx.userId } });
    if (count === 0) throw notFound(`block ${block.id}`);
    const view = blockView(block, zone);
    await recordBlockEvent(tx, ctx, 'scheduling.block.removed', view);
    await options.onRemoved?.(tx, { block, view });
    return view;
  });
}

// ───────────────────────── reads ─────────────────────────

export async function getBlock(ctx: ServiceContext, ref: string): Promise<BlockView> {
  const { zone } = await planningHours(ctx.db, ctx.userId);
  return flaggedView(ctx.db, ctx, await loadBlock(ctx.db, ctx, ref), zone);
}

const intervalOf = (block: { startAt: Date; endAt: Date }): Interval => ({ start: block.startAt.getTime(), end: block.endAt.getTime() });

const sumMinutes = (intervals: Interval[]) => intervals.reduce((total, i) => total + (i.end - i.start), 0) / minuteMs;

function clip(intervals: Interval[], range: Interval): Interval[] {
  return intervals.map((i) => ({ start: Math.max(i.start, range.start), end: Math.min(i.end, range.end) })).filter((i) => i.end > i.start);
}

/**
 * A user's blocks overlapping [start, end), in order. Every day, week and free-time view reads
 * them, so this is one raw round trip: the ORM's findMany cost a third more CPU for a day's
 * blocks (measured in-process). Every column of the model, under its model name
 * (test/scheduling/blocks-between.test.ts checks that against findMany).
 */
export function blocksBetween(db: DbTx, userId: string, start: Date, end: Date): Promise<BlockRow[]> {
  // The due time of the open task a block plans comes along (for its flag), in the same round trip.
  return db.$queryRaw<BlockRow[]>`
    SELECT b.id, b.user_id AS "userId", b.type::text AS type, b.reference_id AS "referenceId", b.title, b.start_at AS "startAt", b.end_at AS "endAt",
           b.status::text AS status, b.source::text AS source, b.pinned, b.external_calendar_id AS "externalCalendarId",
           b.external_event_id AS "externalEventId", b.synced_hash AS "syncedHash", b.synced_at AS "syncedAt",
           b.created_at AS "createdAt", b.updated_at AS "updatedAt", t.due_at AS "taskDueAt"
      FROM schedule_blocks b
      LEFT JOIN tasks t ON b.type = 'task' AND t.id = b.reference_id AND t.user_id = b.user_id AND t.status IN ('pending', 'in_progress')
     WHERE b.user_id = ${userId}::uuid AND b.start_at < ${end} AND b.end_at > ${start}
     ORDER BY b.start_at, b.end_at, b.id`;
}

/** The rows with the due time of the open task each plans (one query for the lot), for views with flags. */
export async function withTaskDues(db: DbTx, userId: string, blocks: ScheduleBlock[]): Promise<BlockRow[]> {
  const taskIds = [...new Set(blocks.filter((b) => b.type === 'task' && b.referenceId).map((b) => b.referenceId as string))];
  const tasks = taskIds.length
    ? await db.task.findMany({ where: { userId, id: { in: taskIds }, status: { in: ['pending', 'in_progress'] } }, select: { id: true, dueAt: true } })
    : [];
  const dues = new Map(tasks.map((t) => [t.id, t.dueAt]));
  return blocks.map((b) => ({ ...b, taskDueAt: (b.type === 'task' && b.referenceId && dues.get(b.referenceId)) || null }));
}

/** A block's view with its flag (one small query for the task's due time). */
export async function flaggedView(db: DbTx, ctx: ServiceContext, block: ScheduleBlock, zone: string): Promise<BlockView> {
  const [row] = await withTaskDues(db, ctx.userId, [block]);
  return blockView(row, zone, ctx.now());
}

function dayView(date: string, user: PlanningHours, blocks: BlockRow[], now: Date): DayView {
  const { start, end } = localDayBounds(date, user.zone);
  const day = { start: start.getTime(), end: end.getTime() };
  const mine = blocks.filter((b) => b.startAt < end && b.endAt > start);
  const hours = user.workingHours.find((h) => h.weekday === weekdayOf(date) && h.endMinute > h.startMinute);
  const planned = mergeIntervals(clip(mine.filter((b) => b.source === 'orbita' && b.status !== 'missed').map(intervalOf), day));
  const free = freeIntervals(workingWindow(date, user.zone, user.workingHours), mine.map(intervalOf));
  return {
    date,
    timeZone: user.zone,
    blocks: mine.map((b) => blockView(b, user.zone, now)),
    workingHours: hours ? { start: formatMinute(hours.startMinute), end: formatMinute(hours.endMinute) } : null,
    summary: { plannedMinutes: Math.round(sumMinutes(planned)), freeMinutes: Math.round(sumMinutes(free)) },
  };
}

/** One local day: its blocks (Orbita and imported), working hours and planned/free minutes. */
export async function scheduleDay(ctx: ServiceContext, input: ScheduleDayInput = {}): Promise<DayView> {
  const query = scheduleDaySchema.parse(input);
  const user = await planningHours(ctx.db, ctx.userId);
  const date = query.date ?? localDate(ctx.now(), user.zone);
  const { start, end } = localDayBounds(date, user.zone);
  return dayView(date, user, await blocksBetween(ctx.db, ctx.userId, start, end), ctx.now());
}

/** The Monday-based week containing `date` (default today), shifted by `offset` weeks. */
export async function scheduleWeek(ctx: ServiceContext, input: ScheduleWeekInput = {}): Promise<WeekView> {
  const query = scheduleWeekSchema.parse(input);
  const user = await planningHours(ctx.db, ctx.userId);
  const monday = mondayOf(addDays(query.date ?? localDate(ctx.now(), user.zone), 7 * (query.offset ?? 0)));
  const dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const blocks = await blocksBetween(ctx.db, ctx.userId, localDayBounds(dates[0], user.zone).start, localDayBounds(dates[6], user.zone).end);
  const now = ctx.now();
  const days = dates.map((date) => dayView(date, user, blocks, now));
  return {
    weekStart: dates[0],
    weekEnd: dates[6],
    timeZone: user.zone,
    days,
    summary: {
      plannedMinutes: days.reduce((total, d) => total + d.summary.plannedMinutes, 0),
      freeMinutes: days.reduce((total, d) => total + d.summary.freeMinutes, 0),
    },
  };
}

/**
 * Free time on a date: that weekday's working hours minus every block (Orbita and imported; no
 * buffer), slots of at least `min` minutes, never before now.
 */
export async function freeSlots(ctx: ServiceContext, input: FreeSlotsInput = {}): Promise<FreeSlotsView> {
  const query = freeSlotsSchema.parse(input);
  const user = await planningHours(ctx.db, ctx.userId);
  const date = query.date ?? localDate(ctx.now(), user.zone);
  const { start, end } = localDayBounds(date, user.zone);
  const blocks = await blocksBetween(ctx.db, ctx.userId, start, end);
  const nowMs = Math.ceil(ctx.now().getTime() / minuteMs) * minuteMs; // the next whole minute
  const free = clip(freeIntervals(workingWindow(date, user.zone, user.workingHours), blocks.map(intervalOf)), { start: nowMs, end: Number.MAX_SAFE_INTEGER });
  const slots = free
    .filter((i) => i.end - i.start >= query.min * minuteMs)
    .map((i) => ({
      start: toZonedIso(new Date(i.start), user.zone),
      end: toZonedIso(new Date(i.end), user.zone),
      startTime: formatLocalTime(new Date(i.start), user.zone),
      endTime: endTimeOf(new Date(i.end), date, user.zone),
      minutes: minutesBetween(i.start, i.end),
    }));
  return { date, timeZone: user.zone, min: query.min, slots };
}

/** Blocks sharing time with [from, to), by start (then id), cursor-paginated. */
export async function listBlocks(ctx: ServiceContext, input: ListBlocksInput = {}): Promise<Page<BlockView>> {
  const query = listBlocksSchema.parse(input);
  const { zone } = await planningHours(ctx.db, ctx.userId);
  const bound = (text: string, edge: 'start' | 'end') => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? localDayBounds(text, zone)[edge] : new Date(text));
  const from = query.from ? bound(query.from, 'start') : undefined;
  const to = query.to ? bound(query.to, 'end') : undefined;
  if (from && to && to <= from) throw fieldError('to', 'to must be after from');
  const cursorId = query.cursor ? await resolveCursor(ctx, 'block', query.cursor) : undefined;
  const where: Prisma.ScheduleBlockWhereInput = {
    userId: ctx.userId,
    ...(from ? { endAt: { gt: from } } : {}),
    ...(to ? { startAt: { lt: to } } : {}),
  };
  const rows = await ctx.db.scheduleBlock.findMany({ where, orderBy: [{ startAt: 'asc' }, { id: 'asc' }], ...pageArgs(query.limit, cursorId) });
  const now = ctx.now();
  return toPage(await withTaskDues(ctx.db, ctx.userId, rows), query.limit, (block) => blockView(block, zone, now));
}

// ───────────────────────── missed detection ─────────────────────────

/** How long after its end a planned block counts as missed. */
export const missedAfterMs = 60 * minuteMs;

/**
 * Marks planned Orbita blocks whose end is more than an hour before `now` as missed (every user, or
 * only `userId`), with one `scheduling.block.missed` event per block (view in its user's zone), all
 * in one transaction. Idempotent: a second run (or a concurrent one) finds nothing left to mark.
 * Returns how many blocks it marked.
 */
export async function markMissedBlocks(db: DbTx, now: Date, userId?: string): Promise<number> {
  return transaction(db, async (tx) => {
    const marked = await tx.scheduleBlock.updateManyAndReturn({
      where: { source: 'orbita', status: 'planned', endAt: { lt: new Date(now.getTime() - missedAfterMs) }, ...(userId ? { userId } : {}) },
      data: { status: 'missed', updatedAt: now },
    });
    if (!marked.length) return 0;
    const users = await tx.user.findMany({ where: { id: { in: [...new Set(marked.map((b) => b.userId))] } }, select: { id: true, timeZone: true } });
    const zones = new Map(users.map((u) => [u.id, u.timeZone]));
    await appendEvents(
      tx,
      marked
        .sort((a, b) => a.startAt.getTime() - b.startAt.getTime() || a.id.localeCompare(b.id))
        .map((block) => ({
          aggregateType: 'block',
          aggregateId: block.id,
          eventType: 'scheduling.block.missed' as const,
          userId: block.userId,
          payload: { block: blockView(block, zones.get(block.userId) ?? 'UTC') },
        })),
    );
    return marked.length;
  });
}
