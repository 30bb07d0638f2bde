/**
 * Display helpers for dates the services already answer in the user's zone (`2026-12-01` or
 * `2026-12-01T17:00:00+01:00`). They read the wall date and time from the text instead of
 * converting instants, so server and browser render the same words whatever the browser's zone,
 * and the client bundle needs no date library. Shared by the Tasks and Meetings pages.
 */

const dateFormats = new Map<boolean, Intl.DateTimeFormat>();

function dateFormat(withYear: boolean): Intl.DateTimeFormat {
  let format = dateFormats.get(withYear);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}) });
    dateFormats.set(withYear, format);
  }
  return format;
}

/** The wall date (YYYY-MM-DD) and time (HH:MM, null for a plain date) of a service date text. */
export function wallParts(text: string): { date: string; time: string | null } {
  return { date: text.slice(0, 10), time: text.length > 10 ? text.slice(11, 16) : null };
}

/** "Tue 1 Dec" (with the year when it differs from today's). */
export function formatWallDate(date: string, today: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return dateFormat(date.slice(0, 4) !== today.slice(0, 4)).format(new Date(Date.UTC(year, month - 1, day)));
}

/** "Tue 1 Dec, 10:00", or just the date for a plain date. */
export function formatWallDateTime(text: string, today: string): string {
  const { date, time } = wallParts(text);
  return time ? `${formatWallDate(date, today)}, ${time}` : formatWallDate(date, today);
}

/** The calendar date `days` after `date` (both YYYY-MM-DD). */
export function addCalendarDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
