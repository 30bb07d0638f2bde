import { atLocalMinute, weekdayOf } from '../time';

/**
 * Time arithmetic of the scheduler, as pure functions over half-open intervals of epoch
 * milliseconds ([start, end): back-to-back intervals do not overlap). Dates are local calendar dates
 * (YYYY-MM-DD) in the user's zone; minutes are minutes after local midnight, placed with
 * atLocalMinute so a DST change never shifts a wall-clock time.
 */
export interface Interval {
  start: number;
  end: number;
}

export interface WeekdayHours {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  startMinute: number;
  endMinute: number;
}

export const minute = 60_000;

/** The interval of local `date` from `startMinute` to `endMinute` in `zone`. */
export function localInterval(date: string, startMinute: number, endMinute: number, zone: string): Interval {
  return { start: atLocalMinute(date, startMinute, zone).getTime(), end: atLocalMinute(date, endMinute, zone).getTime() };
}

/** The user's working time on `date` (empty on a day without working hours). */
export function workingWindow(date: string, zone: string, hours: WeekdayHours[]): Interval[] {
  const day = hours.find((h) => h.weekday === weekdayOf(date));
  return day && day.endMinute > day.startMinute ? [localInterval(date, day.startMinute, day.endMinute, zone)] : [];
}

/** The user's personal time on `date` (habits are planned inside it; every day). */
export function personalWindow(date: string, zone: string, hours: { startMinute: number; endMinute: number }): Interval[] {
  return hours.endMinute > hours.startMinute ? [localInterval(date, hours.startMinute, hours.endMinute, zone)] : [];
}

/** Sorts and merges overlapping or touching intervals. */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/**
 * The parts of `windows` not covered by `busy`, each busy interval widened by `bufferMs` on both
 * sides (so what is placed in the result keeps that distance from every busy interval).
 */
export function freeIntervals(windows: Interval[], busy: Interval[], bufferMs = 0): Interval[] {
  const blocked = mergeIntervals(busy.map((b) => ({ start: b.start - bufferMs, end: b.end + bufferMs })));
  const free: Interval[] = [];
  for (const window of mergeIntervals(windows)) {
    let cursor = window.start;
    for (const b of blocked) {
      if (b.end <= cursor || b.start >= window.end) continue;
      if (b.start > cursor) free.push({ start: cursor, end: b.start });
      cursor = Math.max(cursor, b.end);
      if (cursor >= window.end) break;
    }
    if (cursor < window.end) free.push({ start: cursor, end: window.end });
  }
  return free;
}

/** True when two half-open intervals share any time. */
export const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

/** What the planner needs to know about a user: zone, working hours and personal hours. */
export interface PlanningHours {
  zone: string;
  workingHours: WeekdayHours[];
  personalHours: { startMinute: number; endMinute: number };
}
