import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addDays, atLocalMinute, formatLocalTime, localDate, localDayBounds, localMinuteOf, mondayOf, toZonedIso, weekdayOf } from '../lib/time';

// The fast zoned formatting must write exactly what luxon writes, for every zone and instant,
// including the hours around DST changes (where the per-hour offset cache must not be trusted).
const zones = [
  'Europe/Berlin',
  'America/New_York',
  'America/St_Johns', // −03:30 / −02:30
  'Asia/Kolkata', // +05:30
  'Asia/Kathmandu', // +05:45
  'Australia/Lord_Howe', // a 30-minute DST shift
  'Pacific/Apia', // skipped a whole day in 2011
  'Pacific/Chatham', // +12:45 / +13:45
  'America/Sao_Paulo',
  'Etc/UTC',
  'UTC',
  'utc',
  'GMT',
  'Europe/London',
  'Africa/Casablanca', // DST suspended during Ramadan
  'Europe/Paris',
  'America/Los_Angeles',
];

const luxon = {
  iso: (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toISO({ suppressMilliseconds: true }),
  isoMs: (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toISO(),
  date: (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toISODate(),
  time: (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat('HH:mm'),
  minute: (d: Date, zone: string) => {
    const local = DateTime.fromJSDate(d, { zone });
    return local.hour * 60 + local.minute;
  },
};

function expectSame(instant: Date, zone: string) {
  expect(toZonedIso(instant, zone), `${instant.toISOString()} in ${zone}`).toBe(luxon.iso(instant, zone));
  expect(toZonedIso(instant, zone, 'always')).toBe(luxon.isoMs(instant, zone));
  expect(localDate(instant, zone)).toBe(luxon.date(instant, zone));
  expect(formatLocalTime(instant, zone)).toBe(luxon.time(instant, zone));
  expect(localMinuteOf(instant, zone)).toBe(luxon.minute(instant, zone));
}

describe('zoned formatting', () => {
  it('matches luxon for random instants from 1900 to 2100 in many zones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.constantFrom(...zones),
        fc.constantFrom(0, 1, 999),
        (ms, zone, sub) => expectSame(new Date(ms - (ms % 1000) + sub), zone),
      ),
      { numRuns: 5000 },
    );
  });

  it('matches luxon minute by minute across DST transitions (the cached hour must not leak across them)', () => {
    const transitions = [
      ['Europe/Berlin', '2026-03-29T00:00:00Z'],
      ['Europe/Berlin', '2026-10-25T00:00:00Z'],
      ['America/New_York', '2026-03-08T06:00:00Z'],
      ['America/New_York', '2026-11-01T05:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T14:00:00Z'],
      ['America/St_Johns', '2026-03-08T04:00:00Z'],
      ['Pacific/Apia', '2011-12-29T09:00:00Z'],
    ] as const;
    for (const [zone, from] of transitions) {
      const start = Date.parse(from);
      // Walk the four hours twice, forwards then backwards, so both orders fill the cache first.
      for (let m = 0; m <= 240; m++) expectSame(new Date(start + m * 60_000 + 59_999), zone);
      for (let m = 240; m >= 0; m--) expectSame(new Date(start + m * 60_000), zone);
    }
  });

  it('writes Z for luxon\'s UTC zone and +00:00 for an IANA zone at offset zero', () => {
    const instant = new Date('2026-01-15T10:00:00Z');
    expect(toZonedIso(instant, 'UTC')).toBe('2026-01-15T10:00:00Z');
    expect(toZonedIso(instant, 'Europe/London')).toBe('2026-01-15T10:00:00+00:00');
    expect(toZonedIso(new Date('2026-03-29T10:00:00.250Z'), 'Europe/Berlin')).toBe('2026-03-29T12:00:00.250+02:00');
  });
});

// The calendar arithmetic and the remembered day bounds must answer exactly what luxon answers
// (these were luxon one-liners), including on DST days, in odd zones and for text that is no date.
const luxonCalendar = {
  addDays: (date: string, days: number) => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate(),
  weekdayOf: (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).weekday % 7,
  mondayOf: (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).startOf('week').toISODate(),
  bounds: (date: string, zone: string) => {
    const start = DateTime.fromISO(date, { zone }).startOf('day');
    return { start: start.toJSDate().getTime(), end: start.plus({ days: 1 }).toJSDate().getTime() };
  },
  at: (date: string, minute: number, zone: string) => {
    const day = DateTime.fromISO(date, { zone }).startOf('day');
    if (minute >= 1440) return day.plus({ days: 1 }).toJSDate().getTime();
    return day.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toJSDate().getTime();
  },
};

const calendarDate = fc
  .integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));
const nearDate = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }).map((ms) => new Date(ms).toISOString().slice(0, 10));

describe('calendar arithmetic and local day bounds', () => {
  it('addDays, weekdayOf and mondayOf match luxon for every date of years 1000–9999 and any shift', () => {
    fc.assert(
      fc.property(calendarDate, fc.integer({ min: -400_000, max: 400_000 }), (date, days) => {
        expect(addDays(date, days), `${date} + ${days}`).toBe(luxonCalendar.addDays(date, days));
        expect(weekdayOf(date), date).toBe(luxonCalendar.weekdayOf(date));
        expect(mondayOf(date), date).toBe(luxonCalendar.mondayOf(date));
      }),
      { numRuns: 5000 },
    );
  });

  it('leaves text that is not a YYYY-MM-DD date to luxon', () => {
    for (const text of ['2026-02-30', '2026-13-01', '0999-12-31', '2026-1-5', '20261105', '', 'tomorrow', '2026-11-05T10:00']) {
      expect(addDays(text, 1), text).toBe(luxonCalendar.addDays(text, 1));
      expect(weekdayOf(text), text).toBe(luxonCalendar.weekdayOf(text));
      expect(mondayOf(text), text).toBe(luxonCalendar.mondayOf(text));
    }
    expect(addDays('9999-12-31', 1)).toBe(luxonCalendar.addDays('9999-12-31', 1));
    expect(addDays('2026-01-01', 0.5)).toBe(luxonCalendar.addDays('2026-01-01', 0.5));
  });

  it('localDayBounds and atLocalMinute match luxon in many zones, asked once or many times', () => {
    fc.assert(
      fc.property(nearDate, fc.constantFrom(...zones), fc.integer({ min: 0, max: 1440 }), (date, zone, minute) => {
        for (let ask = 0; ask < 2; ask++) {
          const bounds = localDayBounds(date, zone);
          expect({ start: bounds.start.getTime(), end: bounds.end.getTime() }, `${date} in ${zone}`).toEqual(luxonCalendar.bounds(date, zone));
          expect(atLocalMinute(date, minute, zone).getTime(), `${date} ${minute} in ${zone}`).toBe(luxonCalendar.at(date, minute, zone));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('answers DST days and a skipped day as luxon does, and a fresh Date each time', () => {
    const days = [
      ['2026-03-29', 'Europe/Berlin'],
      ['2026-10-25', 'Europe/Berlin'],
      ['2026-03-08', 'America/New_York'],
      ['2011-12-30', 'Pacific/Apia'],
      ['2011-12-29', 'Pacific/Apia'],
      ['2026-04-05', 'Australia/Lord_Howe'],
      ['2018-11-04', 'America/Sao_Paulo'], // DST began at midnight: the day starts at 01:00
      ['2022-03-27', 'Asia/Beirut'],
    ] as const;
    for (const [date, zone] of days) {
      for (let minute = 0; minute <= 1440; minute += 15) {
        expect(atLocalMinute(date, minute, zone).getTime(), `${date} ${minute} in ${zone}`).toBe(luxonCalendar.at(date, minute, zone));
      }
      const bounds = localDayBounds(date, zone);
      expect({ start: bounds.start.getTime(), end: bounds.end.getTime() }).toEqual(luxonCalendar.bounds(date, zone));
      bounds.start.setTime(0); // a caller changing its Date must not change the remembered answer
      expect(localDayBounds(date, zone).start.getTime()).toBe(luxonCalendar.bounds(date, zone).start);
    }
    expect(Number.isNaN(localDayBounds('2026-02-30', 'Europe/Berlin').start.getTime())).toBe(true);
    expect(Number.isNaN(atLocalMinute('2026-01-01', 60, 'Not/AZone').getTime())).toBe(true);
  });
});
