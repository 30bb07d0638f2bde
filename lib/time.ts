import { DateTime, IANAZone } from 'luxon';

// HH:MM in and out: lib/format.ts holds them with the rest of the display rule (client code imports them there).
export { formatMinute, parseMinute } from './format';

/*
 * Zoned formatting is on the hot path of every list (each row shows several instants in the user's
 * zone). Luxon answers a zone offset through Intl's formatToParts, which costs more than the rest of
 * a row together, so offsets are remembered per zone and UTC hour: when the offset at the first and
 * the last millisecond of an hour agree, it holds for the whole hour (no zone has ever changed its
 * offset twice within one hour); an hour that contains a transition is answered exactly every time.
 * Anything unusual (fixed-offset specifiers, fractional historical offsets, years outside
 * 0000–9999) goes through luxon, so the output is always exactly luxon's.
 */
const hourMs = 3_600_000;
/** Per zone: UTC hour → offset in minutes, NaN for an hour with a transition in it. */
const offsetCache = new Map<string, Map<number, number>>();
const offsetCacheLimit = 50_000;
let offsetCacheSize = 0;

/** Luxon reads `UTC`/`GMT` (any case) as its fixed UTC zone and writes its offset as `Z`. */
const isLuxonUtc = (zone: string) => /^(utc|gmt)$/i.test(zone);

/** The luxon zone object for an IANA name, or null when luxon would treat `zone` otherwise. */
function ianaZone(zone: string): IANAZone | null {
  if (/^(utc|gmt|local|system)$|^(utc|gmt)[+-]/i.test(zone)) return null;
  return IANAZone.isValidZone(zone) ? IANAZone.create(zone) : null;
}

/** The offset from UTC in minutes of `zone` at `ms`, or null for a zone the fast path does not handle. */
function zoneOffsetMinutes(zone: string, ms: number): number | null {
  if (isLuxonUtc(zone)) return 0;
  const hour = Math.floor(ms / hourMs);
  const hours = offsetCache.get(zone);
  const cached = hours?.get(hour);
  if (cached !== undefined) return Number.isNaN(cached) ? (ianaZone(zone)?.offset(ms) ?? null) : cached;
  const iana = ianaZone(zone);
  if (!iana) return null;
  const first = iana.offset(hour * hourMs);
  const last = iana.offset(hour * hourMs + hourMs - 1);
  if (offsetCacheSize >= offsetCacheLimit) {
    offsetCache.clear();
    offsetCacheSize = 0;
  }
  let zoneHours = offsetCache.get(zone);
  if (!zoneHours) {
    zoneHours = new Map();
    offsetCache.set(zone, zoneHours);
  }
  zoneHours.set(hour, first === last ? first : Number.NaN);
  offsetCacheSize++;
  return first === last ? first : iana.offset(ms);
}

/** Calendar and clock fields of a wall-clock time (month 1–12). */
interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

interface LocalParts {
  wall: WallClock;
  offset: number;
  /** The offset as ISO-8601 writes it (`+02:00`, or `Z` for luxon's UTC zone). */
  designator: string;
}

const dayMs = 86_400_000;

/**
 * The fields of `ms` read as UTC, by arithmetic (Howard Hinnant's civil_from_days) rather than
 * through a Date: this runs a few hundred times per schedule view, and Next.js wraps the Date
 * constructor, which makes every `new Date` on the hot path cost more than the arithmetic.
 */
function wallClock(ms: number): WallClock {
  const days = Math.floor(ms / dayMs);
  let rest = ms - days * dayMs;
  const hour = Math.floor(rest / hourMs);
  rest -= hour * hourMs;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1,
    hour,
    minute,
    second,
    millisecond: rest - second * 1000,
  };
}

/** The wall clock of `instant` in `zone`, or null when luxon must answer (see above). */
function localParts(instant: Date, zone: string): LocalParts | null {
  const ms = instant.getTime();
  const offset = zoneOffsetMinutes(zone, ms);
  if (offset === null || !Number.isInteger(offset)) return null;
  const wall = wallClock(ms + offset * 60_000);
  if (wall.year < 0 || wall.year > 9999) return null;
  return { wall, offset, designator: isLuxonUtc(zone) ? 'Z' : isoOffset(offset) };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function isoDate(wall: WallClock): string {
  return `${String(wall.year).padStart(4, '0')}-${pad2(wall.month)}-${pad2(wall.day)}`;
}

function isoOffset(offset: number): string {
  const abs = Math.abs(offset);
  return `${offset < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/**
 * UTC midnight of a calendar date written YYYY-MM-DD in the years 1000–9999, or null for any other
 * text (luxon then answers, so odd input behaves exactly as before). Calendar arithmetic on dates
 * needs no zone: a day is 24 hours in UTC.
 */
function utcMidnightOf(date: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000) return null;
  const midnight = Date.UTC(year, month - 1, day);
  const check = wallClock(midnight);
  return check.month === month && check.day === day ? midnight : null;
}

/** 0 = Sunday … 6 = Saturday of a UTC instant (1970-01-01 was a Thursday). */
const utcWeekday = (ms: number) => (((Math.floor(ms / dayMs) + 4) % 7) + 7) % 7;

/*
 * Where a local date and wall time fall in a zone is a pure function of its arguments (the zone
 * rules are fixed for the life of the process), and every schedule read asks it for the same few
 * days. Luxon answers it by probing offsets several times, so answers are remembered.
 */
const rememberedInstants = new Map<string, number>();
const rememberedLimit = 20_000;

function remembered(key: string, compute: () => number): number {
  const known = rememberedInstants.get(key);
  if (known !== undefined) return known;
  const answer = compute();
  if (rememberedInstants.size >= rememberedLimit) rememberedInstants.clear();
  rememberedInstants.set(key, answer);
  return answer;
}

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

/** The user's local calendar date (YYYY-MM-DD) at `instant`. */
export function localDate(instant: Date, zone: string): string {
  const local = localParts(instant, zone);
  if (local) return isoDate(local.wall);
  return DateTime.fromJSDate(instant, { zone }).toISODate() as string;
}

/** The UTC instants bounding the local day `date` (YYYY-MM-DD) in `zone`: [start, end). DST-safe (23/25 h days). */
export function localDayBounds(date: string, zone: string): { start: Date; end: Date } {
  return { start: atLocalMinute(date, 0, zone), end: atLocalMinute(date, 1440, zone) };
}

/** Formats an instant as HH:MM in `zone`. */
export function formatLocalTime(instant: Date, zone: string): string {
  const local = localParts(instant, zone);
  if (local) return `${pad2(local.wall.hour)}:${pad2(local.wall.minute)}`;
  return DateTime.fromJSDate(instant, { zone }).toFormat('HH:mm');
}

/** An instant as ISO-8601 with the user's offset, e.g. `2026-03-29T10:00:00+02:00` (what every door shows). */
export function toZonedIso(instant: Date, zone: string, milliseconds: 'when-nonzero' | 'always' = 'when-nonzero'): string {
  const local = localParts(instant, zone);
  if (!local) return DateTime.fromJSDate(instant, { zone }).toISO({ suppressMilliseconds: milliseconds === 'when-nonzero' }) as string;
  const { wall } = local;
  const fraction = wall.millisecond === 0 && milliseconds === 'when-nonzero' ? '' : `.${String(wall.millisecond).padStart(3, '0')}`;
  return `${isoDate(wall)}T${pad2(wall.hour)}:${pad2(wall.minute)}:${pad2(wall.second)}${fraction}${local.designator}`;
}

/** Like toZonedIso, passing null through. */
export function toZonedIsoOrNull(instant: Date | null | undefined, zone: string): string | null {
  return instant ? toZonedIso(instant, zone) : null;
}

/** The local calendar date `days` after `date` (both YYYY-MM-DD; calendar arithmetic, no DST drift). */
export function addDays(date: string, days: number): string {
  const midnight = utcMidnightOf(date);
  const shifted = midnight === null || !Number.isInteger(days) ? null : wallClock(midnight + days * dayMs);
  if (shifted && shifted.year >= 1000 && shifted.year <= 9999) return isoDate(shifted);
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;
}

/** Whole calendar days from `from` to `to` (YYYY-MM-DD), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days);
}

/** The weekday of a calendar date: 0 = Sunday … 6 = Saturday (the WorkingHours convention). */
export function weekdayOf(date: string): number {
  const midnight = utcMidnightOf(date);
  if (midnight !== null) return utcWeekday(midnight);
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday % 7;
}

/** The Monday starting the (ISO, Monday-based) week that contains `date`. */
export function mondayOf(date: string): string {
  const midnight = utcMidnightOf(date);
  if (midnight !== null) {
    const monday = wallClock(midnight - ((utcWeekday(midnight) + 6) % 7) * dayMs);
    if (monday.year >= 1000) return isoDate(monday);
  }
  return DateTime.fromISO(date, { zone: 'UTC' }).startOf('week').toISODate() as string;
}

/**
 * The instant of local `date` at `minute` after midnight in `zone`. A wall time that does not exist
 * (skipped by a DST jump) moves forward by the gap, as calendars do.
 */
export function atLocalMinute(date: string, minute: number, zone: string): Date {
  const instant = remembered(`${zone}|${date}|${minute}`, () => {
    const day = DateTime.fromISO(date, { zone }).startOf('day');
    if (minute >= 1440) return day.plus({ days: 1 }).toMillis();
    return day.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
  });
  return new Date(instant);
}

/** Minutes after local midnight of `instant` in `zone`. */
export function localMinuteOf(instant: Date, zone: string): number {
  const fast = localParts(instant, zone);
  if (fast) return fast.wall.hour * 60 + fast.wall.minute;
  const local = DateTime.fromJSDate(instant, { zone });
  return local.hour * 60 + local.minute;
}

/**
 * The years a date or date-time input may be in. PostgreSQL has no year 0 and instants before year 1
 * cannot be stored or compared, so a date such as 0001-01-01 (whose local midnight east of UTC is
 * still in year 0) made every query over it fail with a 500; and day arithmetic past 9999-12-31
 * leaves ISO-8601 (a 366-day export from 9999-12-31 crashed). No plan is that far out.
 */
export const supportedYears = { earliest: 1000, latest: 9000 } as const;

/** The message for a date outside supportedYears. */
export const yearsMessage = (field: string) => `${field} must be in the years ${supportedYears.earliest}–${supportedYears.latest}`;

/** True when a date or date-time text (YYYY-…) is in supportedYears; other text is left to the format check. */
export function inSupportedYears(text: string): boolean {
  if (!/^\d{4}/.test(text)) return true;
  const year = Number(text.slice(0, 4));
  return year >= supportedYears.earliest && year <= supportedYears.latest;
}

/** True when `text` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text, { zone: 'UTC' }).isValid;
}
