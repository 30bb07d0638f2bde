import { validationError } from '../errors';
import { addDays, atLocalMinute, daysBetween, formatMinute, localDate } from '../time';

/**
 * The meeting rules (SPEC §4) as pure functions of their inputs: no database, no clock of their own.
 * Every date is a local calendar date (YYYY-MM-DD) in the user's zone; every time of day is minutes
 * after local midnight.
 */

export const cadences = ['weekly', 'biweekly', 'monthly', 'custom'] as const;
export type CadenceName = (typeof cadences)[number];

/** The interval of each named cadence, in calendar days. */
export const cadenceIntervals = { weekly: 7, biweekly: 14, monthly: 30 } as const satisfies Record<Exclude<CadenceName, 'custom'>, number>;

export const minIntervalDays = 1;
export const maxIntervalDays = 365;

/** Preferred start when none is given: 10:00. */
export const defaultPreferredMinute = 600;

export interface Cadence {
  cadence: CadenceName;
  intervalDays: number;
}

/** The label of an interval: 7 weekly, 14 biweekly, 30 monthly, anything else custom. */
export function cadenceFor(intervalDays: number): CadenceName {
  const named = (Object.entries(cadenceIntervals) as [CadenceName, number][]).find(([, days]) => days === intervalDays);
  return named ? named[0] : 'custom';
}

/** "weekly", "biweekly", "monthly" or "custom 21d" (how lists show a cadence). */
export function describeCadence({ cadence, intervalDays }: Cadence): string {
  return cadence === 'custom' ? `custom ${intervalDays}d` : cadence;
}

export interface CadenceIssue {
  field: 'cadence' | 'intervalDays';
  message: string;
}

/**
 * The cadence and interval a create or update ends with.
 * - A named cadence sets its interval; an intervalDays given with it must agree.
 * - `custom` takes the given intervalDays, else keeps the current one (an update of a meeting that
 *   already has an interval); a create without one is an issue.
 * - intervalDays alone takes the label of the interval (7 weekly, 14 biweekly, 30 monthly, else custom).
 * - Neither: the current cadence, or weekly for a new meeting.
 */
export function resolveCadence(given: { cadence?: CadenceName; intervalDays?: number }, current?: Cadence): Cadence | CadenceIssue {
  const { cadence, intervalDays } = given;
  if (cadence === undefined) {
    if (intervalDays !== undefined) return { cadence: cadenceFor(intervalDays), intervalDays };
    return current ?? { cadence: 'weekly', intervalDays: cadenceIntervals.weekly };
  }
  if (cadence === 'custom') {
    const days = intervalDays ?? current?.intervalDays;
    if (days === undefined) {
      return { field: 'intervalDays', message: `intervalDays is required for a custom cadence (${minIntervalDays}–${maxIntervalDays} days)` };
    }
    return { cadence, intervalDays: days };
  }
  const days = cadenceIntervals[cadence];
  if (intervalDays !== undefined && intervalDays !== days) {
    return {
      field: 'intervalDays',
      message: `intervalDays ${intervalDays} contradicts cadence ${cadence} (every ${days} days): give cadence custom for another interval`,
    };
  }
  return { cadence, intervalDays: days };
}

export const isCadenceIssue = (value: Cadence | CadenceIssue): value is CadenceIssue => 'message' in value;

export interface Occurrence {
  /** The local calendar date of the occurrence. */
  date: string;
  /** The instant: that date at the preferred time in the user's zone. */
  at: Date;
}

/**
 * The next occurrence of a meeting: the local date of `from` (lastHeldAt, or the creation time) plus
 * the interval in calendar days, at the preferred time in `zone`; while that instant is before `now`,
 * the interval is added again. Calendar-day arithmetic keeps the wall time across DST changes.
 */
export function nextOccurrence(args: { from: Date; intervalDays: number; preferredMinute: number; zone: string; now: Date }): Occurrence {
  const { from, intervalDays, preferredMinute, zone, now } = args;
  if (!Number.isInteger(intervalDays) || intervalDays < 1) throw new RangeError(`intervalDays must be a positive whole number, got ${intervalDays}`);
  let date = addDays(localDate(from, zone), intervalDays);
  let at = atLocalMinute(date, preferredMinute, zone);
  if (at < now) {
    // Every candidate on a date before today is in the past: jump over them in one step.
    const behind = daysBetween(date, localDate(now, zone));
    if (behind > 0) date = addDays(date, Math.floor(behind / intervalDays) * intervalDays);
    at = atLocalMinute(date, preferredMinute, zone);
    while (at < now) {
      date = addDays(date, intervalDays);
      at = atLocalMinute(date, preferredMinute, zone);
    }
  }
  return { date, at };
}

/** A meeting is due on a date when its next occurrence falls on that local date. */
export const isDueOn = (next: Occurrence | null, date: string): boolean => next !== null && next.date === date;

/**
 * The instant a `held` records: now by default; `date` alone → that date at the preferred time
 * (or now, when that is today and the preferred time is still ahead); `time` alone → today at that
 * time; both → that date and time. An instant after `now` is a validation error.
 */
export function heldInstant(args: { date?: string; minute?: number; preferredMinute: number; zone: string; now: Date }): Date {
  const { date, minute, preferredMinute, zone, now } = args;
  if (date === undefined && minute === undefined) return now;
  const today = localDate(now, zone);
  const day = date ?? today;
  if (day > today) {
    throw validationError(`date ${day} is in the future: a meeting can only be recorded as held once it happened`, { issues: [{ field: 'date', message: 'date must not be in the future' }] });
  }
  if (minute === undefined) {
    const atPreferred = atLocalMinute(day, preferredMinute, zone);
    return day === today && atPreferred > now ? now : atPreferred;
  }
  const at = atLocalMinute(day, minute, zone);
  if (at > now) {
    throw validationError(`time ${day} ${formatMinute(minute)} is in the future: a meeting can only be recorded as held once it happened`, {
      issues: [{ field: 'time', message: 'time must not be in the future' }],
    });
  }
  return at;
}

/** The later of two optional instants (recording an older occurrence never moves lastHeldAt back). */
export const laterOf = (stored: Date | null, recorded: Date): Date => (stored && stored > recorded ? stored : recorded);

/** Whole local calendar days from the local date of `lastHeldAt` to `today`. */
export const daysSinceHeld = (lastHeldAt: Date, today: string, zone: string): number => daysBetween(localDate(lastHeldAt, zone), today);

export const adaptLimits = { step: 7, lessOftenBelow: 30, moreOftenAbove: 7 } as const;

export interface AdaptDecision {
  from: Cadence;
  to: Cadence;
  changed: boolean;
  reason: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The adaptive-frequency decision for a meeting held `daysSince` calendar days ago (SPEC §4):
 * - daysSince ≥ 2 × interval and interval < 30 → interval + 7 (meet less often);
 * - daysSince ≤ 0.6 × interval and interval > 7 → interval − 7 (meet more often);
 * - otherwise unchanged. The new cadence is the label of the new interval.
 */
export function decideAdapt(current: Cadence, daysSince: number): AdaptDecision {
  const interval = current.intervalDays;
  const ago = daysSince <= 0 ? 'last held today' : `last held ${plural(daysSince, 'day')} ago`;
  const unchanged = (reason: string): AdaptDecision => ({ from: current, to: current, changed: false, reason });
  const to = (intervalDays: number) => ({ cadence: cadenceFor(intervalDays), intervalDays });
  // Integer comparisons (daysSince × 5 ≤ interval × 3) avoid floating-point edges at 0.6 × interval.
  const overdue = daysSince >= 2 * interval;
  const early = daysSince * 5 <= interval * 3;
  if (overdue) {
    if (interval >= adaptLimits.lessOftenBelow) {
      return unchanged(`${ago}, at least twice the ${interval}-day interval, but ${interval} days is already the longest interval adapt sets`);
    }
    const next = interval + adaptLimits.step;
    return { from: current, to: to(next), changed: true, reason: `${ago}, at least twice the ${interval}-day interval: meet less often, every ${next} days` };
  }
  if (early) {
    if (interval <= adaptLimits.moreOftenAbove) {
      return unchanged(`${ago}, within 60% of the ${interval}-day interval, but ${plural(interval, 'day')} is already the shortest interval adapt sets`);
    }
    const next = interval - adaptLimits.step;
    return {
      from: current,
      to: to(next),
      changed: true,
      reason: `${ago}, within 60% of the ${interval}-day interval: meet more often, every ${plural(next, 'day')}`,
    };
  }
  return unchanged(`${ago}, between 60% and twice the ${interval}-day interval: cadence kept`);
}

export const neverHeldReason = 'never held: adapt needs at least one recorded meeting, cadence kept';
