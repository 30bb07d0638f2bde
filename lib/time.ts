import { DateTime } from 'luxon';

/** True when `zone` is an IANA time zone this runtime knows (e.g. `Europe/Berlin`, `UTC`). */
export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Formats minutes after midnight as HH:MM. */
export function formatMinute(minute: number): string {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Parses HH:MM (00:00–24:00) into minutes after midnight; null when malformed. */
export function parseMinute(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const h = Number(match[1]);
  const m = Number(match[2]);
  if (m > 59 || h > 24 || (h === 24 && m !== 0)) return null;
  return h * 60 + m;
}

/** The user's local calendar date (YYYY-MM-DD) at `instant`. */
export function localDate(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISODate() as string;
}

/** The UTC instants bounding the local day `date` (YYYY-MM-DD) in `zone`: [start, end). DST-safe (23/25 h days). */
export function localDayBounds(date: string, zone: string): { start: Date; end: Date } {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return { start: start.toJSDate(), end: start.plus({ days: 1 }).toJSDate() };
}

/** Formats an instant as HH:MM in `zone`. */
export function formatLocalTime(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('HH:mm');
}

/** An instant as ISO-8601 with the user's offset, e.g. `2026-03-29T10:00:00+02:00` (what every door shows). */
export function toZonedIso(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISO({ suppressMilliseconds: true }) as string;
}

/** Like toZonedIso, passing null through. */
export function toZonedIsoOrNull(instant: Date | null | undefined, zone: string): string | null {
  return instant ? toZonedIso(instant, zone) : null;
}

/** The local calendar date `days` after `date` (both YYYY-MM-DD; calendar arithmetic, no DST drift). */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;
}

/** Whole calendar days from `from` to `to` (YYYY-MM-DD), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days);
}

/** The weekday of a calendar date: 0 = Sunday … 6 = Saturday (the WorkingHours convention). */
export function weekdayOf(date: string): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday % 7;
}

/** The Monday starting the (ISO, Monday-based) week that contains `date`. */
export function mondayOf(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).startOf('week').toISODate() as string;
}

/**
 * The instant of local `date` at `minute` after midnight in `zone`. A wall time that does not exist
 * (skipped by a DST jump) moves forward by the gap, as calendars do.
 */
export function atLocalMinute(date: string, minute: number, zone: string): Date {
  const day = DateTime.fromISO(date, { zone }).startOf('day');
  if (minute >= 1440) return day.plus({ days: 1 }).toJSDate();
  return day.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toJSDate();
}

/** Minutes after local midnight of `instant` in `zone`. */
export function localMinuteOf(instant: Date, zone: string): number {
  const local = DateTime.fromJSDate(instant, { zone });
  return local.hour * 60 + local.minute;
}

/** True when `text` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text, { zone: 'UTC' }).isValid;
}
