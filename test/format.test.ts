import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayRange, type TimelineBlock } from '../app/(dashboard)/today/timeline-layout';
import { formatDate, formatDateRange, formatDateTime, formatWallDateTime, stepTime, tidyTime, wallClock } from '../lib/format';
import { localDate, localMinuteOf } from '../lib/time';

// lib/format.ts is the one display rule for dates and times (24-hour HH:MM, "Tue 8 Dec 2026"), the
// same text on the server and in any browser.

describe('dates', () => {
  it('writes a date as weekday, day, short month and year; lists drop the current year', () => {
    expect(formatDate('2026-12-08')).toBe('Tue 8 Dec 2026');
    expect(formatDate('2026-09-01')).toBe('Tue 1 Sep 2026'); // never ICU's "Sept"
    expect(formatDate('2026-12-08', '2026-01-01')).toBe('Tue 8 Dec');
    expect(formatDate('2027-01-02', '2026-12-08')).toBe('Sat 2 Jan 2027');
  });

  it('says each month and year of a range once', () => {
    expect(formatDateRange('2026-12-07', '2026-12-13')).toBe('7 – 13 Dec 2026');
    expect(formatDateRange('2026-11-30', '2026-12-06')).toBe('30 Nov – 6 Dec 2026');
    expect(formatDateRange('2026-12-28', '2027-01-03')).toBe('28 Dec 2026 – 3 Jan 2027');
  });

  it('reads a service’s zoned text as written', () => {
    expect(formatWallDateTime('2026-12-09T16:45:00+05:30', '2026-12-08')).toBe('Wed 9 Dec, 16:45');
    expect(formatWallDateTime('2026-12-09', '2025-12-08')).toBe('Wed 9 Dec 2026');
  });
});

describe('instants in the user’s zone', () => {
  const instant = new Date('2026-12-08T23:40:05Z');

  it('are written in that zone, 24-hour, whatever the process zone', () => {
    expect(formatDateTime(instant, 'Asia/Kolkata')).toBe('Wed 9 Dec 2026, 05:10');
    expect(formatDateTime(instant, 'America/Los_Angeles')).toBe('Tue 8 Dec 2026, 15:40');
    expect(formatDateTime(instant, 'UTC', { seconds: true })).toBe('Tue 8 Dec 2026, 23:40:05');
    expect(formatDateTime(instant, 'Europe/Berlin', { today: '2026-01-01' })).toBe('Wed 9 Dec, 00:40');
  });

  it('agree with lib/time (luxon) for any instant and zone, DST days included', () => {
    const zones = ['Europe/Berlin', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const wall = wallClock(ms, zone);
        expect(wall.date).toBe(localDate(new Date(ms), zone));
        expect(wall.minute).toBe(localMinuteOf(new Date(ms), zone));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('time fields', () => {
  it('tidy what was typed to HH:MM, and refuse what is no time', () => {
    expect(tidyTime('9')).toBe('09:00');
    expect(tidyTime('930')).toBe('09:30');
    expect(tidyTime('0930')).toBe('09:30');
    expect(tidyTime(' 9.30 ')).toBe('09:30');
    expect(tidyTime('17:05')).toBe('17:05');
    expect(tidyTime('24')).toBe('24:00');
    expect(tidyTime('24:30')).toBeNull();
    expect(tidyTime('9:5')).toBeNull();
    expect(tidyTime('9am')).toBeNull();
    expect(tidyTime('')).toBeNull();
  });

  it('step by quarter hours from the value, onto the grid, within the day', () => {
    expect(stepTime('09:00', 1)).toBe('09:15');
    expect(stepTime('09:10', 1)).toBe('09:15');
    expect(stepTime('09:10', -1)).toBe('09:00');
    expect(stepTime('00:00', -1)).toBe('00:00');
    expect(stepTime('23:45', 1)).toBe('23:45');
    expect(stepTime('23:45', 1, { last: 24 * 60 })).toBe('24:00');
    expect(stepTime('', 1)).toBe('09:00');
  });
});

describe('the Today timeline’s span', () => {
  const block = (startMinute: number, endMinute: number): TimelineBlock => ({
    id: `${startMinute}`,
    type: 'task',
    title: 't',
    date: '2026-12-08',
    startMinute,
    endMinute,
    minutes: endMinute - startMinute,
    status: 'planned',
    imported: false,
  });
  const working = { start: 9 * 60, end: 17 * 60 };

  it('is the working day, widened to the first and last block, in whole hours', () => {
    expect(dayRange(working, [block(10 * 60, 11 * 60)])).toEqual({ start: 9 * 60, end: 17 * 60 });
    expect(dayRange(working, [block(7 * 60 + 15, 7 * 60 + 45), block(18 * 60, 18 * 60 + 30)])).toEqual({ start: 7 * 60, end: 19 * 60 });
    expect(dayRange(null, [block(12 * 60, 13 * 60)])).toEqual({ start: 8 * 60, end: 18 * 60 });
  });

  it('is not widened to now: at 00:30 it still starts at the working start', () => {
    // It once took now as a third argument and widened the span to it (00:00–17:00 here); now is ignored.
    const range = (dayRange as (...args: unknown[]) => { start: number; end: number })(working, [block(10 * 60, 11 * 60)], 30);
    expect(range).toEqual({ start: 9 * 60, end: 17 * 60 });
  });
});
