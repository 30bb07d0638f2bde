import type { ServiceContext } from '../context';
import { userZone } from '../identity/users';
import { addDays, localDate, weekdayOf } from '../time';
import { CompletionDays, type FrequencyName, type HabitRule, isDueOn, isMissed } from './rules';
import { dateOf, type HabitView, listHabits } from './service';

/** The heat map covers the last 12 weeks: 84 local days ending today. */
export const heatmapDays = 84;

/**
 * What a day of the heat map shows: `done` (a completion), `missed` (a due day that is over without
 * one — the streak rule's missed day), `due` (today, due and not logged yet) or `not-due`.
 */
export type HeatmapState = 'done' | 'missed' | 'due' | 'not-due';

export interface HeatmapCell {
  /** The local date (YYYY-MM-DD). */
  date: string;
  state: HeatmapState;
}

export interface Heatmap {
  /** Oldest first; the last cell is today. */
  cells: HeatmapCell[];
  /** Empty slots before the first cell so that columns are Monday-based weeks (0 when it is a Monday). */
  leadingBlanks: number;
  doneDays: number;
  /** Days that were due or done (done days that were not due count too: the habit was kept then). */
  dueDays: number;
}

/** What the heat map needs of a habit, as local dates in the user's zone. */
export interface HeatmapHabit {
  frequency: FrequencyName;
  timesPerWeek: number;
  weeklyDay: number | null;
  /** The local creation date. */
  createdOn: string;
  /** The local archive date, or null while active. */
  archivedOn: string | null;
}

/**
 * The cells of one habit's heat map from its completion dates (its whole history: a back-dated
 * completion before the creation date moves the habit's start, as for streaks). Days after the
 * archive date are not due.
 */
export function heatmapOf(habit: HeatmapHabit, dates: Iterable<string>, today: string, days = heatmapDays): Heatmap {
  const done = new CompletionDays(dates);
  const earliest = done.sorted[0];
  const rule: HabitRule = {
    frequency: habit.frequency,
    timesPerWeek: habit.timesPerWeek,
    weeklyDay: habit.weeklyDay,
    createdOn: earliest && earliest < habit.createdOn ? earliest : habit.createdOn,
  };
  const end = habit.archivedOn && habit.archivedOn < today ? habit.archivedOn : today;
  const first = addDays(today, 1 - days);
  const cells: HeatmapCell[] = [];
  let doneDays = 0;
  let dueDays = 0;
  for (let i = 0; i < days; i += 1) {
    const date = addDays(first, i);
    let state: HeatmapState = 'not-due';
    if (done.has(date)) state = 'done';
    else if (isMissed(rule, date, done, end)) state = 'missed';
    else if (date === today && !habit.archivedOn && isDueOn(rule, date, done)) state = 'due';
    if (state === 'done') doneDays += 1;
    if (state !== 'not-due') dueDays += 1;
    cells.push({ date, state });
  }
  return { cells, leadingBlanks: (weekdayOf(first) + 6) % 7, doneDays, dueDays };
}

/** The rule fields of a habit view (its timestamps carry the user's offset, so the first 10 characters are the local date). */
export function heatmapHabit(view: HabitView): HeatmapHabit {
  return {
    frequency: view.frequency,
    timesPerWeek: view.timesPerWeek,
    weeklyDay: view.weeklyDay,
    createdOn: view.createdAt.slice(0, 10),
    archivedOn: view.archivedAt ? view.archivedAt.slice(0, 10) : null,
  };
}

/** Every habit of the user, active and archived, oldest first (all pages of listHabits). */
export async function allHabits(ctx: ServiceContext): Promise<HabitView[]> {
  const habits: HabitView[] = [];
  let cursor: string | undefined;
  do {
    const page = await listHabits(ctx, { archived: true, limit: 200, cursor });
    habits.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return habits;
}

/** Heat maps of several habits by habit id, reading every completion of them in one query. */
export async function habitHeatmaps(ctx: ServiceContext, habits: HabitView[]): Promise<Map<string, Heatmap>> {
  if (!habits.length) return new Map();
  const zone = await userZone(ctx);
  const today = localDate(ctx.now(), zone);
  const rows = await ctx.db.habitCompletion.findMany({
    where: { userId: ctx.userId, habitId: { in: habits.map((h) => h.id) } },
    select: { habitId: true, localDate: true },
  });
  const dates = new Map<string, string[]>(habits.map((h) => [h.id, []]));
  for (const row of rows) dates.get(row.habitId)?.push(dateOf(row.localDate));
  return new Map(habits.map((habit) => [habit.id, heatmapOf(heatmapHabit(habit), dates.get(habit.id) ?? [], today)]));
}
