import type { ServiceContext } from '../context';
import { type DbTx, isUniqueViolation, transaction } from '../db/client';
import { conflict, validationError } from '../errors';
import type { Habit, HabitCompletion, Prisma } from '../generated/prisma/client';
import { userZone } from '../identity/users';
import { appendEvent } from '../outbox/append';
import type { EventType } from '../outbox/events';
import { followSource, type ScheduleChange } from '../scheduling/follow';
import { decodeCursor, type Page, pageArgs, toPage } from '../shared/pagination';
import { resolveCursor, resolveRef } from '../shared/refs';
import { localDateSchema } from '../shared/schemas';
import { addDays, atLocalMinute, localDate, localDayBounds, mondayOf, toZonedIso, toZonedIsoOrNull, weekdayOf } from '../time';
import {
  CompletionDays,
  computeStreaks,
  type Frequency,
  type FrequencyName,
  type HabitRule,
  isDueOn,
  isFrequencyIssue,
  maxBackdateDays,
  onScheduledWeekday,
  type PreferredTimeName,
  resolveFrequency,
} from './rules';
import {
  type CreateHabitInput,
  createHabitSchema,
  type ListCompletionsInput,
  listCompletionsSchema,
  type ListHabitsInput,
  listHabitsSchema,
  type LogHabitInput,
  logHabitSchema,
  type UpdateHabitInput,
  updateHabitSchema,
} from './schemas';

/** A habit as every door shows it: streaks recomputed from the history, times ISO-8601 with the user's offset. */
export interface HabitView {
  id: string;
  name: string;
  description: string | null;
  frequency: FrequencyName;
  timesPerWeek: number;
  /** The weekday (0 = Sunday) a weekly habit is due on; null for other frequencies. */
  weeklyDay: number | null;
  durationMinutes: number;
  preferredTime: PreferredTimeName;
  streak: number;
  bestStreak: number;
  totalDone: number;
  dueToday: boolean;
  doneToday: boolean;
  archived: boolean;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One logged session. */
export interface CompletionView {
  id: string;
  /** The local calendar date it counts for (YYYY-MM-DD). */
  date: string;
  completedAt: string;
  notes: string | null;
}

/** A habit with its latest completions (show). */
export interface HabitDetail extends HabitView {
  recentCompletions: CompletionView[];
}

/** What a log returns (and the `habits.habit.completed` payload). */
export interface LogResult {
  habit: HabitView;
  completion: CompletionView;
}

export const recentCompletionCount = 10;

/** A `date` column (UTC midnight) as YYYY-MM-DD, and back. */
export const dateOf = (value: Date) => value.toISOString().slice(0, 10);
export const dateColumn = (date: string) => new Date(`${date}T00:00:00.000Z`);

/**
 * What the rules need of a habit. It starts on its local creation date — or on its earliest
 * completion when one was back-dated before that: logging a day claims the habit was kept then, so
 * the days between count like any other (they can be missed).
 */
export function habitRule(habit: Habit, zone: string, earliestCompletion?: string): HabitRule {
  const createdOn = localDate(habit.createdAt, zone);
  const start = earliestCompletion && earliestCompletion < createdOn ? earliestCompletion : createdOn;
  return { frequency: habit.frequency, timesPerWeek: habit.timesPerWeek, weeklyDay: habit.weeklyDay, createdOn: start };
}

/** Where a habit's "missed" days end: today, or the archive date of an archived habit. */

function streakEnd(habit: Habit, zone: string, today: string): string {
  if (!habit.archived || !habit.archivedAt) return today;
  const archivedOn = localDate(habit.archivedAt, zone);
  return archivedOn < today ? archivedOn : today;
}

/** Streak, best streak and total from a habit's completion dates (what views show and logs store). */
export function habitStats(habit: Habit, zone: string, today: string, dates: Iterable<string>) {
  const done = new CompletionDays(dates);
  const rule = habitRule(habit, zone, done.sorted[0]);
  return { done, rule, ...computeStreaks(rule, done, streakEnd(habit, zone, today)), totalDone: done.days.size };
}

export function habitView(habit: Habit, zone: string, now: Date, dates: Iterable<string>): HabitView {
  const today = localDate(now, zone);
  const { done, rule, streak, bestStreak, totalDone } = habitStats(habit, zone, today, dates);
  return {
    id: habit.id,
    name: habit.name,
    description: habit.description,
    frequency: habit.frequency,
    timesPerWeek: habit.timesPerWeek,
    weeklyDay: habit.weeklyDay,
    durationMinutes: habit.durationMinutes,
    preferredTime: habit.preferredTime,
    streak,
    bestStreak,
    totalDone,
    dueToday: !habit.archived && isDueOn(rule, today, done),
    doneToday: done.has(today),
    archived: habit.archived,
    archivedAt: toZonedIsoOrNull(habit.archivedAt, zone),
    createdAt: toZonedIso(habit.createdAt, zone),
    updatedAt: toZonedIso(habit.updatedAt, zone),
  };
}

export function completionView(completion: HabitCompletion, zone: string): CompletionView {
  return { id: completion.id, date: dateOf(completion.localDate), completedAt: toZonedIso(completion.completedAt, zone), notes: completion.notes };
}

/** Completion dates of several habits, by habit id. */
async function completionDates(db: DbTx, habitIds: string[]): Promise<Map<string, string[]>> {
  const byHabit = new Map<string, string[]>(habitIds.map((id) => [id, []]));
  if (!habitIds.length) return byHabit;
  const rows = await db.habitCompletion.findMany({ where: { habitId: { in: habitIds } }, select: { habitId: true, localDate: true } });
  for (const row of rows) byHabit.get(row.habitId)?.push(dateOf(row.localDate));
  return byHabit;
}

/** Views of several habits, reading their histories in one query. */
export async function habitViews(db: DbTx, habits: Habit[], zone: string, now: Date): Promise<HabitView[]> {
  const dates = await completionDates(db, habits.map((h) => h.id));
  return habits.map((habit) => habitView(habit, zone, now, dates.get(habit.id) ?? []));
}

export async function viewOf(db: DbTx, habit: Habit, zone: string, now: Date): Promise<HabitView> {
  return (await habitViews(db, [habit], zone, now))[0];
}

async function recordEvent(tx: DbTx, ctx: ServiceContext, eventType: EventType, view: HabitView, extra: Record<string, unknown> = {}) {
  await appendEvent(tx, { aggregateType: 'habit', aggregateId: view.id, eventType, userId: ctx.userId, payload: { habit: view, ...extra } });
}

/** Records `habits.habit.frequency_changed` (update and adapt). */
export async function recordFrequencyChanged(tx: DbTx, ctx: ServiceContext, view: HabitView, from: Frequency, to: Frequency, extra: Record<string, unknown>) {
  await recordEvent(tx, ctx, 'habits.habit.frequency_changed', view, {
    from: { frequency: from.frequency, timesPerWeek: from.timesPerWeek },
    to: { frequency: to.frequency, timesPerWeek: to.timesPerWeek },
    ...extra,
  });
}

async function loadHabit(db: DbTx, ctx: ServiceContext, ref: string): Promise<Habit> {
  const id = await resolveRef({ ...ctx, db }, 'habit', ref);
  return db.habit.findUniqueOrThrow({ where: { id } });
}

function assertActive(habit: Habit, action: string) {
  if (habit.archived) throw conflict(`habit is archived: archived habits cannot be ${action}`, { archived: true });
}

/** The weekday a weekly habit is due on: kept while it stays weekly, else today's (null for other frequencies). */
function weeklyDayFor(frequency: FrequencyName, current: Habit | null, today: string): number | null {
  if (frequency !== 'weekly') return null;
  if (current?.frequency === 'weekly' && current.weeklyDay !== null) return current.weeklyDay;
  return weekdayOf(today);
}

export async function createHabit(ctx: ServiceContext, input: CreateHabitInput): Promise<HabitView> {
  const data = createHabitSchema.parse(input);
  const resolved = resolveFrequency(data);
  if (isFrequencyIssue(resolved)) throw validationError(resolved.message); // unreachable: the schema checked it
  const zone = await userZone(ctx);
  const now = ctx.now();
  const today = localDate(now, zone);
  return transaction(ctx.db, async (tx) => {
    const habit = await tx.habit.create({
      data: {
        userId: ctx.userId,
        name: data.name,
        description: data.description || null,
        frequency: resolved.frequency,
        timesPerWeek: resolved.timesPerWeek,
        weeklyDay: weeklyDayFor(resolved.frequency, null, today),
        durationMinutes: data.durationMinutes,
        preferredTime: data.preferredTime,
        createdAt: now,
        updatedAt: now,
      },
    });
    const view = habitView(habit, zone, now, []);
    await recordEvent(tx, ctx, 'habits.habit.created', view);
    return view;
  });
}

export async function getHabit(ctx: ServiceContext, ref: string): Promise<HabitDetail> {
  const zone = await userZone(ctx);
  const habit = await loadHabit(ctx.db, ctx, ref);
  const recent = await ctx.db.habitCompletion.findMany({
    where: { habitId: habit.id },
    orderBy: [{ localDate: 'desc' }, { id: 'desc' }],
    take: recentCompletionCount,
  });
  return { ...(await viewOf(ctx.db, habit, zone, ctx.now())), recentCompletions: recent.map((c) => completionView(c, zone)) };
}

/**
 * The `where` of the acting user's habits due on `today` (a local date): daily; weekdays Mon–Fri;
 * weekends Sat/Sun; weekly on its weekday; custom while that week's completions before the day are
 * fewer than its count. Archived habits are never due. (A habit's creation date is never after
 * the real today; for other days the caller bounds createdAt.)
 */
async function dueTodayWhere(ctx: ServiceContext, today: string): Promise<Prisma.HabitWhereInput> {
  const weekday = weekdayOf(today);
  const fixed = (['daily', 'weekdays', 'weekends'] as const).filter((frequency) => onScheduledWeekday({ frequency, weeklyDay: null }, today));
  const custom = await ctx.db.habit.findMany({ where: { userId: ctx.userId, archived: false, frequency: 'custom' }, select: { id: true, timesPerWeek: true } });
  const counts = custom.length
    ? await ctx.db.habitCompletion.groupBy({
        by: ['habitId'],
        where: { userId: ctx.userId, habitId: { in: custom.map((h) => h.id) }, localDate: { gte: dateColumn(mondayOf(today)), lt: dateColumn(today) } },
        _count: { _all: true },
      })
    : [];
  const doneThisWeek = new Map(counts.map((row) => [row.habitId, row._count._all]));
  const dueCustom = custom.filter((h) => (doneThisWeek.get(h.id) ?? 0) < h.timesPerWeek).map((h) => h.id);
  return {
    archived: false,
    OR: [{ frequency: { in: [...fixed] } }, { frequency: 'weekly', weeklyDay: weekday }, { id: { in: dueCustom } }],
  };
}

const listOrder: Prisma.HabitOrderByWithRelationInput[] = [{ createdAt: 'asc' }, { id: 'asc' }];

export async function listHabits(ctx: ServiceContext, input: ListHabitsInput = {}): Promise<Page<HabitView>> {
  const query = listHabitsSchema.parse(input);
  const zone = await userZone(ctx);
  const now = ctx.now();
  const cursorId = query.cursor ? await resolveCursor(ctx, 'habit', query.cursor) : undefined;
  const where: Prisma.HabitWhereInput = {
    userId: ctx.userId,
    ...(query.archived ? {} : { archived: false }),
    ...(query.due ? await dueTodayWhere(ctx, localDate(now, zone)) : {}),
  };
  const rows = await ctx.db.habit.findMany({ where, orderBy: listOrder, ...pageArgs(query.limit, cursorId) });
  const page = toPage(rows, query.limit, (habit) => habit);
  return { items: await habitViews(ctx.db, page.items, zone, now), nextCursor: page.nextCursor };
}

/**
 * Every active habit due on a local `date` (done or not), oldest first — what the planner and
 * `orbita done <prefix>` pick from. Habits created after that day are not due on it.
 */
export async function habitsDueOn(ctx: ServiceContext, day: string): Promise<HabitView[]> {
  const date = localDateSchema('date').parse(day);
  const zone = await userZone(ctx);
  const now = ctx.now();
  const rows = await ctx.db.habit.findMany({
    where: { userId: ctx.userId, createdAt: { lt: localDayBounds(date, zone).end }, ...(await dueTodayWhere(ctx, date)) },
    orderBy: listOrder,
  });
  return habitViews(ctx.db, rows, zone, now);
}

/** Every active habit due today in the user's zone (done or not), oldest first. */
export async function habitsDueToday(ctx: ServiceContext): Promise<HabitView[]> {
  return habitsDueOn(ctx, localDate(ctx.now(), await userZone(ctx)));
}

/** The streak, best streak and total a habit (as it will be stored) has with its history. */
async function storedStats(tx: DbTx, habit: Habit, zone: string, today: string) {
  const dates = (await completionDates(tx, [habit.id])).get(habit.id) ?? [];
  const { streak, bestStreak, totalDone } = habitStats(habit, zone, today, dates);
  return { streak, bestStreak, totalDone };
}

/** A habit write's view, with what its blocks did when they followed (present only when something changed). */
export type HabitChange = HabitView & { schedule?: ScheduleChange[] };

export async function updateHabit(ctx: ServiceContext, ref: string, input: UpdateHabitInput): Promise<HabitChange> {
  const data = updateHabitSchema.parse(input);
  const zone = await userZone(ctx);
  const now = ctx.now();
  const today = localDate(now, zone);
  return transaction(ctx.db, async (tx) => {
    const habit = await loadHabit(tx, ctx, ref);
    assertActive(habit, 'changed');
    const from: Frequency = { frequency: habit.frequency, timesPerWeek: habit.timesPerWeek };
    const to = resolveFrequency(data, from);
    if (isFrequencyIssue(to)) throw validationError(to.message, { issues: [{ field: to.field, message: to.message }] });
    const frequencyChanged = to.frequency !== from.frequency || to.timesPerWeek !== from.timesPerWeek;
    const changes = {
      ...(data.name !== undefined ? { name: data.name } : {}),
      ...(data.description !== undefined ? { description: data.description || null } : {}),
      ...(data.durationMinutes !== undefined ? { durationMinutes: data.durationMinutes } : {}),
      ...(data.preferredTime !== undefined ? { preferredTime: data.preferredTime } : {}),
      frequency: to.frequency,
      timesPerWeek: to.timesPerWeek,
      weeklyDay: weeklyDayFor(to.frequency, habit, today),
      updatedAt: now,
    };
    // The stored streaks follow the new frequency (views recompute them anyway).
    const stats = frequencyChanged ? await storedStats(tx, { ...habit, ...changes }, zone, today) : {};
    const updated = await tx.habit.update({ where: { id: habit.id }, data: { ...changes, ...stats } });
    const view = await viewOf(tx, updated, zone, now);
    if (frequencyChanged) await recordFrequencyChanged(tx, ctx, view, from, to, { source: 'update' });
    const schedule = await followSource(tx, ctx, {
      kind: 'habit',
      id: habit.id,
      zone,
      ...(updated.name !== habit.name ? { title: updated.name } : {}),
      ...(updated.durationMinutes !== habit.durationMinutes ? { minutes: updated.durationMinutes } : {}),
    });
    return schedule.length ? { ...view, schedule } : view;
  });
}

/** The local date a log counts for: today, or a back-dated day (not in the future, at most 365 days ago). */
function logDate(date: string | undefined, today: string): string {
  if (date === undefined) return today;
  if (date > today) {
    throw validationError(`date ${date} is in the future: a habit can only be logged once it is done`, { issues: [{ field: 'date', message: 'date must not be in the future' }] });
  }
  const earliest = addDays(today, -maxBackdateDays);
  if (date < earliest) {
    throw validationError(`date ${date} is more than ${maxBackdateDays} days ago: the earliest day you can log is ${earliest}`, {
      issues: [{ field: 'date', message: `date must be at most ${maxBackdateDays} days ago` }],
    });
  }
  return date;
}

const alreadyLogged = (date: string, today: string) =>
  conflict(date === today ? 'already logged today' : `already logged on ${date}`, { date });

/**
 * Logs one completion for a local day (today, or a back-dated `date`): one per habit per day, a
 * second is a conflict (also when two logs race: the unique index decides). A back-dated completion
 * is recorded at 12:00 local time that day. Stores the recomputed streaks and records
 * `habits.habit.completed` in the same transaction.
 */
export async function logHabit(ctx: ServiceContext, ref: string, input: LogHabitInput = {}): Promise<LogResult> {
  const data = logHabitSchema.parse(input);
  const zone = await userZone(ctx);
  const now = ctx.now();
  const today = localDate(now, zone);
  const date = logDate(data.date, today);
  try {
    return await transaction(ctx.db, async (tx) => {
      const habit = await loadHabit(tx, ctx, ref);
      assertActive(habit, 'logged');
      const existing = await tx.habitCompletion.findUnique({ where: { habitId_localDate: { habitId: habit.id, localDate: dateColumn(date) } }, select: { id: true } });
      if (existing) throw alreadyLogged(date, today);
      const completion = await tx.habitCompletion.create({
        data: {
          habitId: habit.id,
          userId: ctx.userId,
          localDate: dateColumn(date),
          completedAt: date === today ? now : atLocalMinute(date, 12 * 60, zone),
          notes: data.notes || null,
          createdAt: now,
        },
      });
      const stored = await tx.habit.update({ where: { id: habit.id }, data: { ...(await storedStats(tx, habit, zone, today)), updatedAt: now } });
      const view = await viewOf(tx, stored, zone, now);
      const result = { habit: view, completion: completionView(completion, zone) };
      await recordEvent(tx, ctx, 'habits.habit.completed', view, { completion: result.completion });
      return result;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyLogged(date, today);
    throw error;
  }
}

/** A habit's completions, newest first, cursor-paged. */
export async function listCompletions(ctx: ServiceContext, ref: string, input: ListCompletionsInput = {}): Promise<Page<CompletionView>> {
  const query = listCompletionsSchema.parse(input);
  const zone = await userZone(ctx);
  const habit = await loadHabit(ctx.db, ctx, ref);
  let cursorId: string | undefined;
  if (query.cursor) {
    cursorId = decodeCursor(query.cursor);
    const owned = await ctx.db.habitCompletion.count({ where: { id: cursorId, habitId: habit.id, userId: ctx.userId } });
    if (!owned) throw validationError('cursor is not valid: pass the nextCursor of the previous page');
  }
  const rows = await ctx.db.habitCompletion.findMany({
    where: { habitId: habit.id, userId: ctx.userId },
    orderBy: [{ localDate: 'desc' }, { id: 'desc' }],
    ...pageArgs(query.limit, cursorId),
  });
  return toPage(rows, query.limit, (c) => completionView(c, zone));
}

/** Archives a habit: history kept, never due again, logs and edits rejected. Idempotent (no second event). */
export async function archiveHabit(ctx: ServiceContext, ref: string): Promise<HabitChange> {
  const zone = await userZone(ctx);
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const habit = await loadHabit(tx, ctx, ref);
    if (habit.archived) return viewOf(tx, habit, zone, now);
    const changes = { archived: true, archivedAt: now, updatedAt: now };
    const stats = await storedStats(tx, { ...habit, ...changes }, zone, localDate(now, zone));
    const view = await viewOf(tx, await tx.habit.update({ where: { id: habit.id }, data: { ...changes, ...stats } }), zone, now);
    await recordEvent(tx, ctx, 'habits.habit.archived', view);
    const schedule = await followSource(tx, ctx, { kind: 'habit', id: habit.id, zone, ended: 'archived' });
    return schedule.length ? { ...view, schedule } : view;
  });
}
