import { addDays, daysBetween, mondayOf, weekdayOf } from '../time';

/**
 * The habit rules (SPEC §3) as pure functions of their inputs: no database, no clock of their own.
 * Every date is a local calendar date (YYYY-MM-DD) in the user's zone, so a DST change (a 23 or 25
 * hour day) cannot shift a streak, a due day or an adapt window.
 */

export const frequencies = ['daily', 'weekdays', 'weekends', 'weekly', 'custom'] as const;
export type FrequencyName = (typeof frequencies)[number];

export const preferredTimes = ['morning', 'afternoon', 'evening', 'night', 'anytime'] as const;
export type PreferredTimeName = (typeof preferredTimes)[number];

/** The local hours of each preferred time: [start, end) in minutes after midnight (`anytime` has none). */
export const preferredWindows: Record<Exclude<PreferredTimeName, 'anytime'>, { startMinute: number; endMinute: number }> = {
  morning: { startMinute: 6 * 60, endMinute: 12 * 60 },
  afternoon: { startMinute: 12 * 60, endMinute: 17 * 60 },
  evening: { startMinute: 17 * 60, endMinute: 21 * 60 },
  night: { startMinute: 21 * 60, endMinute: 24 * 60 },
};

/** Sessions per week each fixed frequency stands for. */
export const fixedTimesPerWeek = { daily: 7, weekdays: 5, weekends: 2, weekly: 1 } as const satisfies Record<Exclude<FrequencyName, 'custom'>, number>;

export const minTimesPerWeek = 1;
export const maxTimesPerWeek = 7;
export const defaultDurationMinutes = 15;
export const maxDurationMinutes = 480;
export const maxNotesLength = 2000;
/** How far back a completion may be logged. */
export const maxBackdateDays = 365;

const weekdayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const weekdayName = (weekday: number) => weekdayNames[weekday];

export interface Frequency {
  frequency: FrequencyName;
  timesPerWeek: number;
}

export interface FrequencyIssue {
  field: 'frequency' | 'timesPerWeek';
  message: string;
}

export const isFrequencyIssue = (value: Frequency | FrequencyIssue): value is FrequencyIssue => 'message' in value;

const timesRange = `${minTimesPerWeek}–${maxTimesPerWeek}`;

/**
 * The frequency and sessions per week a create or update ends with.
 * - A fixed frequency sets its count (daily 7, weekdays 5, weekends 2, weekly 1); a timesPerWeek
 *   given with it must agree.
 * - `custom` takes the given timesPerWeek, else keeps the current one (an update); a create
 *   without one is an issue.
 * - timesPerWeek alone: unchanged when it is what the current fixed frequency already stands for,
 *   otherwise custom with that count.
 * - Neither: the current frequency, or daily for a new habit.
 */
export function resolveFrequency(given: { frequency?: FrequencyName; timesPerWeek?: number }, current?: Frequency): Frequency | FrequencyIssue {
  const { frequency, timesPerWeek } = given;
  if (frequency === undefined) {
    if (timesPerWeek === undefined) return current ?? { frequency: 'daily', timesPerWeek: fixedTimesPerWeek.daily };
    if (current && current.frequency !== 'custom' && current.timesPerWeek === timesPerWeek) return current;
    return { frequency: 'custom', timesPerWeek };
  }
  if (frequency === 'custom') {
    const times = timesPerWeek ?? current?.timesPerWeek;
    if (times === undefined) return { field: 'timesPerWeek', message: `timesPerWeek is required for frequency custom (${timesRange} sessions per week)` };
    return { frequency, timesPerWeek: times };
  }
  const derived = fixedTimesPerWeek[frequency];
  if (timesPerWeek !== undefined && timesPerWeek !== derived) {
    return {
      field: 'timesPerWeek',
      message: `timesPerWeek ${timesPerWeek} contradicts frequency ${frequency} (${derived} per week): use frequency custom for another number of sessions`,
    };
  }
  return { frequency, timesPerWeek: derived };
}

/** "daily", "weekdays", "weekends", "weekly (Wed)" or "custom 3/wk" (how lists show a frequency). */
export function describeFrequency(habit: Frequency & { weeklyDay?: number | null }): string {
  if (habit.frequency === 'custom') return `custom ${habit.timesPerWeek}/wk`;
  if (habit.frequency === 'weekly' && habit.weeklyDay !== null && habit.weeklyDay !== undefined) return `weekly (${weekdayName(habit.weeklyDay)})`;
  return habit.frequency;
}

/** What the due and streak rules need to know about a habit. */
export interface HabitRule extends Frequency {
  /** The weekday (0 = Sunday) a weekly habit is due on. */
  weeklyDay: number | null;
  /** The local date the habit was created: earlier days are never due. */
  createdOn: string;
}

/** A habit's completion days, indexed for the rules (one completion per local day at most). */
export class CompletionDays {
  readonly days: ReadonlySet<string>;
  /** Sorted ascending. */
  readonly sorted: readonly string[];
  private readonly byWeek = new Map<string, string[]>();

  constructor(dates: Iterable<string>) {
    this.days = new Set(dates);
    this.sorted = [...this.days].sort();
    for (const day of this.sorted) {
      const monday = mondayOf(day);
      const week = this.byWeek.get(monday);
      if (week) week.push(day);
      else this.byWeek.set(monday, [day]);
    }
  }

  has(date: string): boolean {
    return this.days.has(date);
  }

  /** Completions in the Monday-based week of `date`, on days before `date`. */
  inWeekBefore(date: string): number {
    return (this.byWeek.get(mondayOf(date)) ?? []).filter((day) => day < date).length;
  }

  /** Completions in the whole Monday-based week of `date`. */
  inWeek(date: string): number {
    return this.byWeek.get(mondayOf(date))?.length ?? 0;
  }

  /** Completions from `from` to `to`, both included. */
  between(from: string, to: string): number {
    return this.sorted.filter((day) => day >= from && day <= to).length;
  }
}

/** Whether a fixed frequency falls on `date` (custom: always a candidate day). */
export function onScheduledWeekday(habit: Pick<HabitRule, 'frequency' | 'weeklyDay'>, date: string): boolean {
  const weekday = weekdayOf(date);
  switch (habit.frequency) {
    case 'daily':
    case 'custom':
      return true;
    case 'weekdays':
      return weekday >= 1 && weekday <= 5;
    case 'weekends':
      return weekday === 0 || weekday === 6;
    case 'weekly':
      return weekday === habit.weeklyDay;
  }
}

/**
 * The due rule: daily every day; weekdays Mon–Fri; weekends Sat/Sun; weekly on its weekday; custom
 * N/week on a day while fewer than N completions exist in that Monday-based week before the day.
 * Days before the creation date are never due (archived habits are never due: the caller's part).
 */
export function isDueOn(habit: HabitRule, date: string, done: CompletionDays): boolean {
  if (date < habit.createdOn) return false;
  if (habit.frequency === 'custom') return done.inWeekBefore(date) < habit.timesPerWeek;
  return onScheduledWeekday(habit, date);
}

/**
 * A missed day breaks a streak: a due day without a completion that is over (before `end`, which is
 * today — today is not over — or the archive date of an archived habit). For custom N/week the day
 * must also lie in a week that is over with fewer than N completions: a week still in progress
 * never breaks a streak.
 */
export function isMissed(habit: HabitRule, date: string, done: CompletionDays, end: string): boolean {
  if (date >= end || done.has(date) || !isDueOn(habit, date, done)) return false;
  if (habit.frequency !== 'custom') return true;
  const weekOver = addDays(mondayOf(date), 7) <= end;
  return weekOver && done.inWeek(date) < habit.timesPerWeek;
}

export interface Streaks {
  /** Completed days counting back from the latest completion until a missed day (0 if a day was missed since). */
  streak: number;
  /** The longest such run over the whole history. */
  bestStreak: number;
}

/**
 * Streaks from the history, recomputed on every read so a missed day shows even when nothing was
 * logged since. One pass forward from the first completion: a completed day extends the run, a
 * missed day ends it, any other day (not due, or not over yet) is skipped. The run left at the end
 * is the current streak.
 */
export function computeStreaks(habit: HabitRule, done: CompletionDays, end: string): Streaks {
  const first = done.sorted[0];
  if (first === undefined) return { streak: 0, bestStreak: 0 };
  const last = done.sorted[done.sorted.length - 1];
  const stop = last > end ? last : end;
  let run = 0;
  let best = 0;
  for (let day = first; day <= stop; day = addDays(day, 1)) {
    if (done.has(day)) {
      run += 1;
      if (run > best) best = run;
    } else if (isMissed(habit, day, done, end)) {
      run = 0;
    }
  }
  return { streak: run, bestStreak: best };
}

// ───────────────────────────── adapt ─────────────────────────────

export const adaptThresholds = { moreAtOrAbove: 0.85, fewerAtOrBelow: 0.4 } as const;
export const defaultWindowDays = 14;
export const maxWindowDays = 90;
/** A habit needs this many observed days in the window (on or after its creation) to be evaluated. */
export const minObservedDays = 7;

export interface AdaptWindow {
  /** First day of the window. */
  from: string;
  /** Last day of the window: yesterday (today is not over). */
  to: string;
  days: number;
}

/** The `windowDays` full local days ending yesterday. */
export function adaptWindow(today: string, windowDays: number): AdaptWindow {
  return { from: addDays(today, -windowDays), to: addDays(today, -1), days: windowDays };
}

/** Due occasions as an exact fraction (custom: timesPerWeek × observedDays / 7). */
export interface Occasions {
  numerator: number;
  denominator: number;
}

export interface WindowStats {
  /** Days of the window on or after the creation date. */
  observedDays: number;
  /** Completions on the observed days of the window. */
  completions: number;
  dueOccasions: Occasions;
}

/**
 * What the window saw of a habit: fixed frequencies count their due days on or after the creation
 * date; custom N/week expects N × observedDays / 7 sessions.
 */
export function windowStats(habit: HabitRule, window: AdaptWindow, done: CompletionDays): WindowStats {
  const start = habit.createdOn > window.from ? habit.createdOn : window.from;
  const observedDays = start > window.to ? 0 : daysBetween(start, window.to) + 1;
  const completions = observedDays ? done.between(start, window.to) : 0;
  if (habit.frequency === 'custom') {
    return { observedDays, completions, dueOccasions: { numerator: habit.timesPerWeek * observedDays, denominator: 7 } };
  }
  let due = 0;
  for (let i = 0; i < observedDays; i += 1) if (onScheduledWeekday(habit, addDays(start, i))) due += 1;
  return { observedDays, completions, dueOccasions: { numerator: due, denominator: 1 } };
}

export interface HabitAdaptDecision {
  from: Frequency;
  to: Frequency;
  changed: boolean;
  /** completions ÷ due occasions (null when skipped). */
  ratio: number | null;
  /** Due occasions as a number (2 decimals for custom). */
  dueOccasions: number;
  completions: number;
  skipped: boolean;
  reason: string;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A ratio as a percentage, rounded down to one decimal with integer arithmetic (so 84.96% never reads 85%). */
function percent(completions: number, occasions: Occasions): string {
  const permille = Math.floor((1000 * completions * occasions.denominator) / occasions.numerator);
  return `${permille / 10}%`;
}

/**
 * The adaptive-frequency decision for one habit (SPEC §3): ratio = completions ÷ due occasions;
 * ratio ≥ 0.85 → one more session per week (max 7); ratio ≤ 0.40 → one fewer (min 1); a change
 * makes the habit custom with the new count. Comparisons are exact (integer arithmetic on the
 * fraction), so 0.85 and 0.40 themselves trigger. Fewer than 7 observed days, or no due occasion,
 * skips the habit.
 */
export function decideHabitAdapt(current: Frequency, stats: WindowStats): HabitAdaptDecision {
  const { completions, observedDays, dueOccasions } = stats;
  const occasions = round(dueOccasions.numerator / dueOccasions.denominator, 2);
  const base = { from: current, to: current, changed: false, completions, dueOccasions: occasions };
  if (observedDays < minObservedDays) {
    const seen = observedDays === 0 ? 'no day of the window' : `only ${plural(observedDays, 'day')} of the window`;
    return { ...base, ratio: null, skipped: true, reason: `skipped: ${seen} since it was created (adapt needs at least ${minObservedDays})` };
  }
  if (dueOccasions.numerator === 0) {
    return { ...base, ratio: null, skipped: true, reason: 'skipped: no due day in the window' };
  }
  const ratio = round(completions / (dueOccasions.numerator / dueOccasions.denominator), 4);
  const seen =
    current.frequency === 'custom'
      ? `completed ${completions} of ${occasions} expected sessions (${percent(completions, dueOccasions)}; ${current.timesPerWeek}/week over ${plural(observedDays, 'day')})`
      : `completed ${completions} of ${occasions} due days (${percent(completions, dueOccasions)})`;
  // ratio ≥ 0.85 ⇔ 100·completions·den ≥ 85·num; ratio ≤ 0.40 ⇔ 100·completions·den ≤ 40·num.
  const scaled = 100 * completions * dueOccasions.denominator;
  const unchanged = (reason: string): HabitAdaptDecision => ({ ...base, ratio, skipped: false, reason });
  const changeTo = (timesPerWeek: number, reason: string): HabitAdaptDecision => ({
    ...base,
    to: { frequency: 'custom', timesPerWeek },
    changed: true,
    ratio,
    skipped: false,
    reason,
  });
  if (scaled >= 85 * dueOccasions.numerator) {
    if (current.timesPerWeek >= maxTimesPerWeek) return unchanged(`${seen} ≥ 85%, but already at the maximum of ${maxTimesPerWeek} per week`);
    return changeTo(current.timesPerWeek + 1, `${seen} ≥ 85%: one more session per week`);
  }
  if (scaled <= 40 * dueOccasions.numerator) {
    if (current.timesPerWeek <= minTimesPerWeek) return unchanged(`${seen} ≤ 40%, but already at the minimum of ${minTimesPerWeek} per week`);
    return changeTo(current.timesPerWeek - 1, `${seen} ≤ 40%: one fewer session per week`);
  }
  return unchanged(`${seen}, between 40% and 85%: frequency kept`);
}
