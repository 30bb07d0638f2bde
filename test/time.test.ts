import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatLocalTime, localDate, localMinuteOf, toZonedIso } from '../lib/time';

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
