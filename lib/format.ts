/*
 * How Orbita writes dates and times for people: one rule for every page, the toasts and the
 * previews, rendered the same on the server and in the browser.
 *
 *   time        24-hour HH:MM                 09:05, 17:30 (24:00 for the end of a day)
 *   date        weekday day month year        Tue 8 Dec 2026 (lists drop the current year: Tue 8 Dec)
 *   date, time  the two joined by a comma     Tue 8 Dec 2026, 14:30
 *   range       one month and year at most    7 – 13 Dec 2026, 30 Nov – 6 Dec 2026
 *
 * Always in the user's zone (their profile's time zone), never the server's or the browser's. The
 * names come from the tables below, not from Intl's locale data: that differs between ICU versions
 * (en-GB's September is "Sep" in one and "Sept" in another, a comma comes and goes after the
 * weekday), and any difference between the server's text and the browser's is a hydration error.
 * Intl is only asked for numbers (the wall clock of an instant in a zone). This module has no
 * dependencies, so client components can use it.
 */

export const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const weekdayShort = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const monthShort = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Minutes after midnight as HH:MM (1440 is 24:00, the end of the day). */
export function formatMinute(minute: number): string {
  return `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}`;
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

/**
 * What a person typed in a time field, written as HH:MM: `9` → 09:00, `930` and `9.30` → 09:30,
 * `9:5` stays wrong. Null when it is no time (24:00 counts: the end of a day).
 */
export function tidyTime(text: string): string | null {
  const match = /^(\d{1,2})(?:[:.h]?(\d{2}))?$/.exec(text.trim());
  if (!match) return null;
  const minute = parseMinute(`${match[1]}:${match[2] ?? '00'}`);
  return minute === null ? null : formatMinute(minute);
}

/** The quarter hour before or after a time field's value (an empty or unreadable one starts at `from`), within 00:00–`last`. */
export function stepTime(text: string, direction: 1 | -1, { from = 9 * 60, last = 23 * 60 + 45 } = {}): string {
  const tidy = tidyTime(text);
  const minute = tidy === null ? null : parseMinute(tidy);
  if (minute === null) return formatMinute(from);
  const next = direction === 1 ? Math.floor(minute / 15) * 15 + 15 : Math.ceil(minute / 15) * 15 - 15;
  return formatMinute(Math.min(last, Math.max(0, next)));
}

interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0 = Sunday */
  weekday: number;
}

function calendarDate(date: string): CalendarDate {
  const [year, month, day] = date.slice(0, 10).split('-').map(Number);
  return { year, month, day, weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay() };
}

/** The weekday of a calendar date (YYYY-MM-DD): `Tuesday`, or `Tue` when short. */
export function weekdayOfDate(date: string, style: 'long' | 'short' = 'long'): string {
  const { weekday } = calendarDate(date);
  return style === 'long' ? weekdayNames[weekday] : weekdayShort[weekday];
}

/** The day of the month and the short month: `8 Dec`. */
export function formatDayMonth(date: string): string {
  const { month, day } = calendarDate(date);
  return `${day} ${monthShort[month - 1]}`;
}

/** A calendar date (YYYY-MM-DD): `Tue 8 Dec 2026`; given `today`, a date in today's year drops it (`Tue 8 Dec`). */
export function formatDate(date: string, today?: string): string {
  const { year, weekday } = calendarDate(date);
  const sameYear = today !== undefined && today.slice(0, 4) === date.slice(0, 4);
  return `${weekdayShort[weekday]} ${formatDayMonth(date)}${sameYear ? '' : ` ${year}`}`;
}

/** A span of calendar dates, each month and year said once: `7 – 13 Dec 2026`, `30 Nov – 6 Dec 2026`, `28 Dec 2026 – 3 Jan 2027`. */
export function formatDateRange(start: string, end: string): string {
  const from = calendarDate(start);
  const to = calendarDate(end);
  const sameYear = from.year === to.year;
  const head = sameYear && from.month === to.month ? String(from.day) : sameYear ? formatDayMonth(start) : `${formatDayMonth(start)} ${from.year}`;
  return `${head} – ${formatDayMonth(end)} ${to.year}`;
}

/** Numeric fields only: the same in every ICU, so the zone is the only input that matters. */
const wallFormats = new Map<string, Intl.DateTimeFormat>();

function wallFormat(zone: string): Intl.DateTimeFormat {
  let format = wallFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallFormats.set(zone, format);
  }
  return format;
}

/** The wall clock of an instant in `zone`: its calendar date (YYYY-MM-DD), minute after midnight and second. */
export function wallClock(instant: Date | string | number, zone: string): { date: string; minute: number; second: number } {
  const parts = wallFormat(zone).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    date: `${String(part('year')).padStart(4, '0')}-${pad2(part('month'))}-${pad2(part('day'))}`,
    minute: (part('hour') % 24) * 60 + part('minute'),
    second: part('second'),
  };
}

/** An instant in the user's zone: `Tue 8 Dec 2026, 14:30` (with `seconds`, 14:30:05; given `today`, as formatDate). */
export function formatDateTime(instant: Date | string | number, zone: string, options: { today?: string; seconds?: boolean } = {}): string {
  const { date, minute, second } = wallClock(instant, zone);
  return `${formatDate(date, options.today)}, ${formatMinute(minute)}${options.seconds ? `:${pad2(second)}` : ''}`;
}

/** The wall date (YYYY-MM-DD) and time (HH:MM, null for a plain date) of a service's date text (`2026-12-01` or `2026-12-01T17:00:00+01:00`). */
export function wallParts(text: string): { date: string; time: string | null } {
  return { date: text.slice(0, 10), time: text.length > 10 ? text.slice(11, 16) : null };
}

/**
 * A service's date text, already in the user's zone, read as written (no conversion, so it is the
 * same in any browser): `Tue 1 Dec, 10:00`, or just the date for a plain date.
 */
export function formatWallDateTime(text: string, today: string): string {
  const { date, time } = wallParts(text);
  return time ? `${formatDate(date, today)}, ${time}` : formatDate(date, today);
}

/** The calendar date `days` after `date` (both YYYY-MM-DD), for client code (lib/time's addDays brings luxon along). */
export function addCalendarDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
