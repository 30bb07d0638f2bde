import { DateTime } from 'luxon';
import { formatDateRange } from '../format';
import { atLocalMinute, formatMinute, isValidTimeZone, localDate } from '../time';
import { alternative, dayName, lengthName, type PlanReason, type PlanReasonCode, whenName } from './reasons';
import { type Interval, type WeekdayHours, freeIntervals, mergeIntervals, minute, personalWindow, workingWindow } from './windows';

/**
 * The auto-scheduler's planner (SPEC §5) as a pure function: candidates in, placements and failures
 * out, no database and no clock (the caller passes `now`). The service (lib/scheduling/auto.ts)
 * gathers candidates and busy time, calls `plan`, and stores the placements.
 *
 * How it works: each planned date gets two sorted lists of free gaps — working time and personal
 * time — computed once with freeIntervals (busy time widened by the buffer) and clipped to `now`.
 * Candidates are taken in `orderCandidates` order; each is placed in the first (tasks, habits) or
 * nearest (meetings) aligned start that fits in one gap, and the placed block, widened by the buffer,
 * is cut out of every list it touches. Lists only ever shrink, which is what makes the result easy to
 * reason about: a later candidate never finds room that an earlier one could have used.
 *
 * Decisions where SPEC §5 is silent (what a Reclaim/Motion user would expect):
 * - Blocks are at least 5 minutes (the database's minimum): a 2-minute habit holds a 5-minute block.
 * - Every task uses first fit, earliest date first. The ordering puts urgent/high tasks first, so
 *   they take the mornings ("prefer the morning") and the rest follow in priority order; a task never
 *   jumps ahead of a higher-priority one of the same or shorter length.
 * - A due task's block should end by `dueAt`. When no slot before it is left, the task is placed at
 *   the first free slot after it on the dates planned, flagged `after_due` (a task due today that
 *   does not fit today lands tomorrow with a flag instead of nowhere). A task already past due is
 *   planned as soon as possible, flagged `overdue` (it sorts first among its priority, since its due
 *   time is the earliest): an overdue task is exactly the one a person most needs time for, so it
 *   is never dropped for being late.
 * - What is not placed gets a code from lib/scheduling/reasons.ts and a sentence naming the day and,
 *   for tasks, the first free slot on the dates planned or the `lookaheadDates` after them.
 * - A meeting's "nearest" is measured in real time (epoch ms) from its preferred start; ties go to
 *   the earlier start. A meeting without `preferredStartMinute` takes the earliest free start.
 * - Habits take the earliest free start inside personal hours ∩ their window ("at the window start
 *   when free, else the nearest slot within the window" is the same thing); they never leave the window.
 * - Buffers apply between blocks and around busy time, not at the edges of working/personal hours.
 * - Starts are aligned to `granularityMinutes` in local wall time (correct across DST changes and
 *   zones with :30/:45 offsets). Distances and durations are real minutes.
 */

export type CandidateKind = 'task' | 'habit' | 'meeting';
export type Priority = 'none' | 'low' | 'medium' | 'high' | 'urgent';

export interface Candidate {
  kind: CandidateKind;
  /** The task/habit/meeting id. */
  refId: string;
  title: string;
  /** Tasks' default of 30 is applied by the caller. Blocks are at least 5 minutes. */
  durationMinutes: number;
  /** Epoch ms (tie-break). */
  createdAt: number;
  /** Tasks. */
  priority?: Priority;
  /** Tasks: epoch ms; the block must end by it. */
  dueAt?: number | null;
  /** Habits and meetings: the local date (YYYY-MM-DD) they are due on — only placed on that date. */
  date?: string;
  /** Meetings: preferred local start (minutes after midnight). */
  preferredStartMinute?: number;
  /** Habits: morning 360–720, afternoon 720–1020, evening 1020–1260, night 1260–1440; absent = anytime. */
  preferredWindow?: { startMinute: number; endMinute: number };
}

export interface PlanInput {
  candidates: Candidate[];
  /** Existing Orbita blocks and imported events (epoch ms, half-open). */
  busy: Interval[];
  /** Local dates to plan, in order (first = the start date). */
  dates: string[];
  /** IANA time zone. */
  zone: string;
  /** Tasks and meetings go inside these. */
  workingHours: WeekdayHours[];
  /** Habits go inside these (∩ their preferred window). */
  personalHours: { startMinute: number; endMinute: number };
  /** Nothing is placed before now (rounded up to the next 5-minute mark). */
  now: number;
  /** Default 5: between any two blocks and around busy time. */
  bufferMinutes?: number;
  /** Default 5: starts are aligned to this in local wall time. */
  granularityMinutes?: number;
  /**
   * Dates after the planned ones (in order), where nothing is placed: searched only for the "first
   * free slot" an unplaced task's reason offers. Their busy time must be in `busy` too.
   */
  lookaheadDates?: string[];
}

export interface Placement {
  candidate: Candidate;
  date: string;
  start: number;
  end: number;
  /** Tasks placed past their due time: `overdue` (it had passed before planning) or `after_due`. */
  flag?: 'overdue' | 'after_due';
  /** Why the flag, in the shared words of lib/scheduling/reasons.ts. */
  note?: PlanReason;
}

export interface Failure extends PlanReason {
  candidate: Candidate;
  /** Tasks: the first free slot of their length on the planned or lookahead dates (epoch ms), if any. */
  suggestion?: number;
}

export interface PlanResult {
  /** In placement order. */
  placements: Placement[];
  failures: Failure[];
  /** Share of the planned dates' working time that is busy or newly placed, 0–1. */
  utilisation: number;
}

/** Default duration of a task without an estimate (SPEC §2). */
export const defaultTaskMinutes = 30;

/** The shortest block the database accepts (SPEC §5); shorter free gaps are dropped. */
export const minimumBlockMinutes = 5;
const minimumBlockMs = minimumBlockMinutes * minute;
const fiveMinutes = 5 * minute;

const knownZones = new Set<string>();
const priorityRank: Record<Priority, number> = { urgent: 0, high: 1, medium: 2, low: 3, none: 4 };
const windowNames: Record<string, string> = { '360-720': 'morning', '720-1020': 'afternoon', '1020-1260': 'evening', '1260-1440': 'night' };

// ---------------------------------------------------------------------------------------------
// Ordering

/** 0 meetings, 1 habits with a preferred window, 2 anytime habits, 3 tasks. */
function group(c: Candidate): number {
  if (c.kind === 'meeting') return 0;
  if (c.kind === 'habit') return c.preferredWindow ? 1 : 2;
  return 3;
}

/** Total order on numbers (NaN last), so the sort is consistent whatever the input. */
function cmpNum(a: number, b: number): number {
  if (a === b) return 0;
  if (a < b) return -1;
  if (a > b) return 1;
  return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const dueKey = (c: Candidate) => (c.dueAt == null ? Number.POSITIVE_INFINITY : c.dueAt);
const rankOf = (c: Candidate) => priorityRank[c.priority ?? 'none'] ?? priorityRank.none;

function compareCandidates(a: Candidate, b: Candidate): number {
  const g = group(a) - group(b);
  if (g) return g;
  let primary = 0;
  if (a.kind === 'task' || group(a) === 3) {
    // Tasks: priority (urgent first), due (earliest first, none last), shorter first.
    primary = rankOf(a) - rankOf(b) || cmpNum(dueKey(a), dueKey(b)) || cmpNum(a.durationMinutes, b.durationMinutes);
  } else {
    // Meetings and habits: by date, then preferred time (meetings without one last), shorter first.
    const startA = a.kind === 'meeting' ? (a.preferredStartMinute ?? Number.POSITIVE_INFINITY) : (a.preferredWindow?.startMinute ?? 0);
    const startB = b.kind === 'meeting' ? (b.preferredStartMinute ?? Number.POSITIVE_INFINITY) : (b.preferredWindow?.startMinute ?? 0);
    primary =
      cmpStr(a.date ?? '', b.date ?? '') ||
      cmpNum(startA, startB) ||
      cmpNum(a.preferredWindow?.endMinute ?? 0, b.preferredWindow?.endMinute ?? 0) ||
      cmpNum(a.durationMinutes, b.durationMinutes);
  }
  return (
    primary ||
    cmpNum(a.createdAt, b.createdAt) ||
    cmpStr(a.refId, b.refId) ||
    // The rest only makes the order total, so the output never depends on the input order.
    cmpStr(a.title, b.title) ||
    cmpStr(a.kind, b.kind) ||
    cmpStr(a.date ?? '', b.date ?? '') ||
    cmpNum(dueKey(a), dueKey(b)) ||
    cmpNum(rankOf(a), rankOf(b)) ||
    cmpNum(a.durationMinutes, b.durationMinutes) ||
    cmpNum(a.preferredStartMinute ?? -1, b.preferredStartMinute ?? -1) ||
    cmpNum(a.preferredWindow?.startMinute ?? -1, b.preferredWindow?.startMinute ?? -1) ||
    cmpNum(a.preferredWindow?.endMinute ?? -1, b.preferredWindow?.endMinute ?? -1)
  );
}

/**
 * The order candidates are placed in (SPEC §5): meetings (by date and preferred time), habits with a
 * preferred window (by date and window), anytime habits, then tasks by priority (urgent → none), due
 * time (earliest first, none last), shorter first, createdAt, refId. Total: independent of input order.
 */
export function orderCandidates(candidates: Candidate[]): Candidate[] {
  return [...candidates].sort(compareCandidates);
}

// ---------------------------------------------------------------------------------------------
// Local-time alignment

interface OffsetSegment {
  start: number;
  end: number;
  /** UTC offset in ms during [start, end). */
  offset: number;
}

/** The zone's UTC offsets over [from, to) as constant segments (the first and last are unbounded). */
function offsetSegments(zone: string, from: number, to: number): OffsetSegment[] {
  const offsetAt = (t: number) => DateTime.fromMillis(t, { zone }).offset * minute;
  const step = 6 * 60 * minute;
  const segments: OffsetSegment[] = [];
  let segmentStart = Number.NEGATIVE_INFINITY;
  let previous = from;
  let previousOffset = offsetAt(from);
  for (let t = from + step; ; t = Math.min(t + step, to)) {
    const offset = offsetAt(t);
    if (offset !== previousOffset) {
      // Find the first millisecond with the new offset.
      let lo = previous;
      let hi = t;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid) === previousOffset) lo = mid;
        else hi = mid;
      }
      segments.push({ start: segmentStart, end: hi, offset: previousOffset });
      segmentStart = hi;
      previousOffset = offset;
    }
    previous = t;
    if (t >= to) break;
  }
  segments.push({ start: segmentStart, end: Number.POSITIVE_INFINITY, offset: previousOffset });
  return segments;
}

/** Aligns instants to multiples of `step` ms in local wall time. */
class Aligner {
  constructor(
    private readonly segments: OffsetSegment[],
    private readonly step: number,
    /** The span the segments were measured over (outside it the offsets are extrapolated). */
    private readonly span: Interval,
  ) {}

  /** The UTC offset (ms) at `t` when `t` is inside the measured span, else null. */
  offsetAt(t: number): number | null {
    return t >= this.span.start && t < this.span.end ? this.segments[this.indexOf(t)].offset : null;
  }

  private indexOf(t: number): number {
    const segments = this.segments;
    let i = 0;
    while (i < segments.length - 1 && t >= segments[i].end) i++;
    return i;
  }

  /** The first aligned instant ≥ t. */
  up(t: number): number {
    let i = this.indexOf(t);
    for (;;) {
      const s = this.segments[i];
      const r = Math.ceil((t + s.offset) / this.step) * this.step - s.offset;
      if (r < s.end || i === this.segments.length - 1) return r;
      // Past a DST change: the answer is the first aligned instant of the next segment.
      i++;
      t = this.segments[i].start;
    }
  }

  /** The last aligned instant ≤ t. */
  down(t: number): number {
    let i = this.indexOf(t);
    for (;;) {
      const s = this.segments[i];
      const r = Math.floor((t + s.offset) / this.step) * this.step - s.offset;
      if (r >= s.start || i === 0) return r;
      t = s.start - 1;
      i--;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Free lists

/** Sorted, disjoint free gaps of one date and one kind of time, each at least the minimum block. */
class FreeList {
  gaps: Interval[];
  /** Length of the longest gap (to skip full days quickly). */
  longest = 0;

  constructor(gaps: Interval[]) {
    this.gaps = gaps.filter((g) => g.end - g.start >= minimumBlockMs);
    this.measure();
  }

  private measure() {
    let longest = 0;
    for (const g of this.gaps) if (g.end - g.start > longest) longest = g.end - g.start;
    this.longest = longest;
  }

  /** Removes `cut` from the gaps (dropping remnants shorter than the minimum block). */
  subtract(cut: Interval): void {
    const gaps = this.gaps;
    if (!gaps.length || cut.end <= gaps[0].start || cut.start >= gaps[gaps.length - 1].end) return;
    let lo = 0;
    let hi = gaps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (gaps[mid].end <= cut.start) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    let last = first;
    const remnants: Interval[] = [];
    while (last < gaps.length && gaps[last].start < cut.end) {
      const g = gaps[last];
      if (cut.start - g.start >= minimumBlockMs) remnants.push({ start: g.start, end: cut.start });
      if (g.end - cut.end >= minimumBlockMs) remnants.push({ start: cut.end, end: g.end });
      last++;
    }
    if (last === first) return;
    gaps.splice(first, last - first, ...remnants);
    this.measure();
  }
}

interface Day {
  date: string;
  /** A lookahead date: searched for suggestions, never placed on. */
  lookahead: boolean;
  /** Working time of the date (0 or 1 interval). */
  workWindow: Interval[];
  /** Personal time of the date (0 or 1 interval). */
  personalWindow: Interval[];
  work: FreeList;
  personal: FreeList;
}

/** The earliest aligned start of a `length` block inside one gap and inside [lo, hi]; null if none. */
function earliestStart(gaps: Interval[], length: number, lo: number, hi: number, align: Aligner): number | null {
  for (const g of gaps) {
    if (g.end <= lo) continue;
    if (g.start >= hi) break;
    if (Math.min(g.end, hi) - Math.max(g.start, lo) < length) continue;
    const start = align.up(Math.max(g.start, lo));
    if (start + length <= Math.min(g.end, hi)) return start;
  }
  return null;
}

/** The aligned start nearest to `preferred` (earlier wins ties) of a `length` block inside one gap. */
function nearestStart(gaps: Interval[], length: number, preferred: number, align: Aligner): number | null {
  let best: number | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const g of gaps) {
    if (g.end - g.start < length) continue;
    const first = align.up(g.start);
    const last = align.down(g.end - length);
    if (last < first) continue;
    if (first - preferred > bestDistance) break; // every later gap is farther away
    const options = preferred <= first ? [first] : preferred >= last ? [last] : [align.down(preferred), align.up(preferred)];
    for (const start of options) {
      const distance = Math.abs(start - preferred);
      if (distance < bestDistance) {
        best = start;
        bestDistance = distance;
      }
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Planning

/**
 * Plans `candidates` into the free time of `dates` (SPEC §5). Pure and deterministic: the same input
 * (in any candidate or busy order) gives the same result. See the header comment for the rules.
 */
export function plan(input: PlanInput): PlanResult {
  const { zone } = input;
  if (!knownZones.has(zone)) {
    if (!isValidTimeZone(zone)) throw new Error(`plan: unknown time zone ${zone}`);
    knownZones.add(zone); // Intl.DateTimeFormat is slow to construct: check each zone once
  }
  const bufferMs = Math.max(0, input.bufferMinutes ?? 5) * minute;
  const granularity = input.granularityMinutes && input.granularityMinutes > 0 ? input.granularityMinutes : 5;
  const earliest = Math.ceil(input.now / fiveMinutes) * fiveMinutes;
  const busy = input.busy.filter((b) => b.end > b.start);
  const dates = [...new Set(input.dates)];
  const lookaheadDates = [...new Set(input.lookaheadDates ?? [])].filter((d) => !dates.includes(d));
  const today = localDate(new Date(input.now), zone);

  // Per date: working and personal windows, their free gaps (busy widened by the buffer), from now on.
  const allDays: Day[] = [];
  const byDate = new Map<string, Day>();
  for (const [date, lookahead] of [...dates.map((d) => [d, false] as const), ...lookaheadDates.map((d) => [d, true] as const)]) {
    const workWindow = workingWindow(date, zone, input.workingHours);
    const personal = personalWindow(date, zone, input.personalHours);
    const freeFrom = (windows: Interval[]) => {
      const relevant = busy.filter((b) => windows.some((w) => b.start < w.end + bufferMs && b.end > w.start - bufferMs));
      return freeIntervals(windows, relevant, bufferMs)
        .map((g) => ({ start: Math.max(g.start, earliest), end: g.end }))
        .filter((g) => g.end > g.start);
    };
    const day: Day = { date, lookahead, workWindow, personalWindow: personal, work: new FreeList(freeFrom(workWindow)), personal: new FreeList(freeFrom(personal)) };
    allDays.push(day);
    if (!lookahead) byDate.set(date, day);
  }
  const days = allDays.filter((d) => !d.lookahead);
  const sortedDates = [...dates, ...lookaheadDates].sort();
  const span = sortedDates.length
    ? { start: atLocalMinute(sortedDates[0], 0, zone).getTime() - 86_400_000, end: atLocalMinute(sortedDates[sortedDates.length - 1], 1440, zone).getTime() + 86_400_000 }
    : { start: input.now, end: input.now + 1 };
  const align = new Aligner(offsetSegments(zone, span.start, span.end), granularity * minute, span);

  const placements: Placement[] = [];
  const failures: Failure[] = [];
  const fail = (candidate: Candidate, code: PlanReasonCode, reason: string, suggestion?: number | null) =>
    failures.push({ candidate, code, reason, ...(suggestion != null ? { suggestion } : {}) });
  const place = (candidate: Candidate, day: Day, start: number, length: number, flagged?: Pick<Placement, 'flag' | 'note'>) => {
    const end = start + length;
    placements.push({ candidate, date: day.date, start, end, ...flagged });
    taskReasons.clear(); // the free lists shrink: reasons worked out before no longer hold
    const cut = { start: start - bufferMs, end: end + bufferMs };
    for (const d of allDays) {
      d.work.subtract(cut);
      d.personal.subtract(cut);
    }
  };

  const instantLabels = new Map<number, string>();
  const instantLabel = (t: number) => {
    let label = instantLabels.get(t);
    if (label === undefined) {
      const offset = align.offsetAt(t);
      label =
        offset === null
          ? DateTime.fromMillis(t, { zone }).toFormat('yyyy-MM-dd HH:mm')
          : new Date(t + offset).toISOString().slice(0, 16).replace('T', ' '); // same text, without luxon
      instantLabels.set(t, label);
    }
    return label;
  };
  const anyWorkingTime = days.some((d) => d.workWindow.length > 0);
  // Wall-clock instants, memoised (luxon is the slow part of planning thousands of candidates).
  const wallTimes = new Map<string, number>();
  const wall = (date: string, minuteOfDay: number) => {
    const key = `${date}|${minuteOfDay}`;
    let t = wallTimes.get(key);
    if (t === undefined) {
      t = atLocalMinute(date, minuteOfDay, zone).getTime();
      wallTimes.set(key, t);
    }
    return t;
  };
  const ph = input.personalHours;

  /** HH:mm of an instant ending a window on `date` (24:00 for the next midnight). */
  const wallLabel = (date: string, t: number) => (t === wall(date, 1440) ? '24:00' : instantLabel(t).slice(11));
  /** An instant as a person says it: `today 17:00`, `tomorrow 09:00`, `Wed 9 Dec 09:00`. */
  const when = (t: number) => {
    const label = instantLabel(t);
    return whenName(label.slice(0, 10), Number(label.slice(11, 13)) * 60 + Number(label.slice(14, 16)), today);
  };
  /** `today`, `tomorrow`, `on Wed 9 Dec`. */
  const on = (date: string) => {
    const name = dayName(date, today);
    return name === 'today' || name === 'tomorrow' ? name : `on ${name}`;
  };
  const onPlannedDates =
    dates.length === 0 ? 'on no dates' : dates.length === 1 ? on(dates[0]) : `on ${formatDateRange([...dates].sort()[0], [...dates].sort()[dates.length - 1])}`;
  /** The earliest start of a `length` block in working time on any date, planned or lookahead. */
  const firstFreeStart = (length: number): number | null => {
    for (const day of allDays) {
      if (day.work.longest < length) continue;
      const start = earliestStart(day.work.gaps, length, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, align);
      if (start !== null) return start;
    }
    return null;
  };
  /** The earliest start of a `length` block on the planned dates, ending by `limit`. */
  const firstFitOnPlannedDates = (length: number, limit: number): { day: Day; start: number } | null => {
    for (const day of days) {
      const gaps = day.work.gaps;
      if (day.work.longest < length) continue;
      if (gaps[0].start + length > limit) continue;
      const start = earliestStart(gaps, length, Number.NEGATIVE_INFINITY, limit, align);
      if (start !== null) return { day, start };
    }
    return null;
  };

  /** Why a task of `length` (due by `limit`) fits nowhere, with the first free slot beyond the plan. */
  const taskReason = (length: number, limit: number | null, slot: string): { code: PlanReasonCode; reason: string; suggestion: number | null } => {
    const suggestion = firstFreeStart(length);
    const next = alternative(suggestion === null ? null : when(suggestion), limit !== null && suggestion !== null && suggestion + length > limit ? ', after its due time' : '');
    const workingDays = days.filter((d) => d.workWindow.length > 0);
    if (!anyWorkingTime) {
      return { code: 'day_off', reason: `${dates.length === 1 ? `${dayName(dates[0], today)} is a day off` : `no working hours ${onPlannedDates}`}${next}`, suggestion };
    }
    if (workingDays.every((d) => d.workWindow[0].end <= earliest)) {
      const last = workingDays[workingDays.length - 1];
      return { code: 'working_hours_over_today', reason: `working hours ${on(last.date)} ended at ${wallLabel(last.date, last.workWindow[0].end)}${next}`, suggestion };
    }
    const longest = Math.max(0, ...days.map((d) => d.work.longest));
    if (longest === 0) return { code: 'no_free_time', reason: `no free time left in working hours ${onPlannedDates}${next}`, suggestion };
    return { code: 'longer_than_any_free_slot', reason: `no ${slot} left ${onPlannedDates} (the longest free slot is ${Math.floor(longest / minute)} min)${next}`, suggestion };
  };
  const taskReasons = new Map<string, ReturnType<typeof taskReason>>();

  // Once a task of some length found no room without a due time, no longer task can (lists only shrink).
  let shortestUnplaceable = Number.POSITIVE_INFINITY;

  for (const candidate of orderCandidates(input.candidates)) {
    const minutes = candidate.durationMinutes;
    if (!Number.isFinite(minutes) || minutes <= 0) {
      fail(candidate, 'invalid_duration', `its duration (${minutes}) is not a positive number of minutes`);
      continue;
    }
    const blockMinutes = Math.max(minimumBlockMinutes, Math.ceil(minutes));
    const length = blockMinutes * minute;
    const slot = `${lengthName(blockMinutes)} slot`;

    if (candidate.kind === 'meeting' || candidate.kind === 'habit') {
      const day = candidate.date ? byDate.get(candidate.date) : undefined;
      if (!day) {
        fail(candidate, 'not_a_planned_date', candidate.date ? `it is due ${on(candidate.date)}; this plan covers ${onPlannedDates.replace(/^on /, '')}` : `it has no date to be planned on`);
        continue;
      }
      if (candidate.kind === 'meeting') {
        const window = day.workWindow[0];
        if (!window) {
          fail(candidate, 'day_off', `${dayName(day.date, today)} is a day off`);
          continue;
        }
        const preferred =
          candidate.preferredStartMinute == null
            ? window.start
            : wall(day.date, Math.min(1440, Math.max(0, Math.round(candidate.preferredStartMinute))));
        const start = nearestStart(day.work.gaps, length, preferred, align);
        if (start !== null) place(candidate, day, start, length);
        else if (window.end - length < earliest) fail(candidate, 'working_hours_over_today', `too late ${on(day.date)}: working hours end at ${wallLabel(day.date, window.end)}`);
        else fail(candidate, day.work.longest > 0 ? 'longer_than_any_free_slot' : 'no_free_time', `no ${slot} left in working hours ${on(day.date)}`);
        continue;
      }

      // Habit: personal hours ∩ preferred window (as instants, so DST-skipped wall times behave as
      // in windows.ts), earliest free start.
      const w = candidate.preferredWindow;
      const name = w ? (windowNames[`${w.startMinute}-${w.endMinute}`] ?? 'preferred') : null;
      const personal = day.personalWindow[0];
      const lo = Math.max(personal?.start ?? 0, w ? wall(day.date, w.startMinute) : Number.NEGATIVE_INFINITY);
      const hi = Math.min(personal?.end ?? 0, w ? wall(day.date, w.endMinute) : Number.POSITIVE_INFINITY);
      if (!personal || hi <= lo) {
        fail(
          candidate,
          'outside_personal_hours',
          w
            ? `its ${name} window (${formatMinute(w.startMinute)}–${formatMinute(w.endMinute)}) lies outside personal hours (${formatMinute(ph.startMinute)}–${formatMinute(ph.endMinute)})`
            : `personal hours are empty`,
        );
        continue;
      }
      const start = earliestStart(day.personal.gaps, length, lo, hi, align);
      if (start !== null) place(candidate, day, start, length);
      else {
        const range = `${instantLabel(lo).slice(11)}–${wallLabel(day.date, hi)}`;
        const where = w ? `its ${name} window within personal hours` : 'personal hours';
        if (hi - length < earliest) fail(candidate, 'no_slot_in_window', w ? `its ${name} window (${range}) is over ${on(day.date)}` : `personal hours (${range}) are over ${on(day.date)}`);
        else fail(candidate, 'no_slot_in_window', `no ${slot} in ${where} (${range}) ${on(day.date)}`);
      }
      continue;
    }

    // Task: first fit in working hours, first date first; before its due time when it can be,
    // else after it (flagged), else a reason with the first free slot beyond the plan.
    const due = candidate.dueAt ?? null;
    const overdue = due !== null && due <= input.now;
    const limit = due !== null && !overdue ? due : null;
    let found = limit !== null && length < shortestUnplaceable ? firstFitOnPlannedDates(length, limit) : null;
    let flagged: Pick<Placement, 'flag' | 'note'> | undefined;
    if (!found && length < shortestUnplaceable) {
      found = firstFitOnPlannedDates(length, Number.POSITIVE_INFINITY);
      if (!found) shortestUnplaceable = Math.min(shortestUnplaceable, length);
      else if (limit !== null) {
        flagged = { flag: 'after_due', note: { code: 'no_slot_before_due', reason: `no ${slot} before its due time (${when(limit)}): placed after it` } };
      }
    }
    if (found) {
      if (overdue) flagged = { flag: 'overdue', note: { code: 'overdue', reason: `past its due time (${when(due)}): placed at the first free slot` } };
      place(candidate, found.day, found.start, length, flagged);
      continue;
    }
    // Many unplaced tasks share a length: their reason is worked out once until the lists change.
    const key = `${length}|${limit}`;
    let why = taskReasons.get(key);
    if (!why) {
      why = taskReason(length, limit, slot);
      taskReasons.set(key, why);
    }
    fail(candidate, why.code, why.reason, why.suggestion);
  }

  return { placements, failures, utilisation: utilisationOf(days, busy, placements) };
}

/** Share of the days' working time covered by busy time or placements (buffers not counted). */
function utilisationOf(days: Day[], busy: Interval[], placements: Placement[]): number {
  const windows = mergeIntervals(days.flatMap((d) => d.workWindow));
  const total = windows.reduce((sum, w) => sum + (w.end - w.start), 0);
  if (total <= 0) return 0;
  const used = mergeIntervals([...busy, ...placements.map((p) => ({ start: p.start, end: p.end }))]);
  let covered = 0;
  let i = 0;
  for (const w of windows) {
    while (i < used.length && used[i].end <= w.start) i++;
    for (let j = i; j < used.length && used[j].start < w.end; j++) {
      covered += Math.min(used[j].end, w.end) - Math.max(used[j].start, w.start);
    }
  }
  return Math.min(1, Math.max(0, covered / total));
}
