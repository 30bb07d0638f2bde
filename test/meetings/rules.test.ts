import { describe, expect, it } from 'vitest';
import {
  cadenceFor,
  daysSinceHeld,
  decideAdapt,
  describeCadence,
  heldInstant,
  isDueOn,
  laterOf,
  nextOccurrence,
  resolveCadence,
} from '../../lib/meetings/rules';
import { toZonedIso } from '../../lib/time';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';

/** The next occurrence as ISO with the zone's offset. */
function next(from: string, intervalDays: number, time: string, zone: string, now: string) {
  const [h, m] = time.split(':').map(Number);
  const occurrence = nextOccurrence({ from: new Date(from), intervalDays, preferredMinute: h * 60 + m, zone, now: new Date(now) });
  return { date: occurrence.date, at: toZonedIso(occurrence.at, zone) };
}

describe('cadences', () => {
  it('labels intervals: 7 weekly, 14 biweekly, 30 monthly, anything else custom', () => {
    expect([7, 14, 30, 1, 8, 21, 29, 31, 365].map(cadenceFor)).toEqual(['weekly', 'biweekly', 'monthly', 'custom', 'custom', 'custom', 'custom', 'custom', 'custom']);
    expect(describeCadence({ cadence: 'custom', intervalDays: 21 })).toBe('custom 21d');
    expect(describeCadence({ cadence: 'biweekly', intervalDays: 14 })).toBe('biweekly');
  });

  it('resolves cadence and interval for a new meeting', () => {
    expect(resolveCadence({})).toEqual({ cadence: 'weekly', intervalDays: 7 });
    expect(resolveCadence({ cadence: 'weekly' })).toEqual({ cadence: 'weekly', intervalDays: 7 });
    expect(resolveCadence({ cadence: 'biweekly' })).toEqual({ cadence: 'biweekly', intervalDays: 14 });
    expect(resolveCadence({ cadence: 'monthly', intervalDays: 30 })).toEqual({ cadence: 'monthly', intervalDays: 30 });
    expect(resolveCadence({ cadence: 'custom', intervalDays: 21 })).toEqual({ cadence: 'custom', intervalDays: 21 });
    expect(resolveCadence({ cadence: 'custom', intervalDays: 7 })).toEqual({ cadence: 'custom', intervalDays: 7 });
    expect(resolveCadence({ intervalDays: 14 })).toEqual({ cadence: 'biweekly', intervalDays: 14 });
    expect(resolveCadence({ intervalDays: 10 })).toEqual({ cadence: 'custom', intervalDays: 10 });
    expect(resolveCadence({ cadence: 'custom' })).toEqual({ field: 'intervalDays', message: expect.stringMatching(/intervalDays is required for a custom cadence/) });
    expect(resolveCadence({ cadence: 'weekly', intervalDays: 10 })).toEqual({ field: 'intervalDays', message: expect.stringMatching(/intervalDays 10 contradicts cadence weekly/) });
  });

  it('resolves cadence and interval for an update of an existing meeting', () => {
    const custom = { cadence: 'custom' as const, intervalDays: 21 };
    const weekly = { cadence: 'weekly' as const, intervalDays: 7 };
    expect(resolveCadence({}, custom)).toEqual(custom);
    expect(resolveCadence({ cadence: 'custom' }, weekly)).toEqual({ cadence: 'custom', intervalDays: 7 }); // keeps the interval
    expect(resolveCadence({ cadence: 'custom', intervalDays: 10 }, weekly)).toEqual({ cadence: 'custom', intervalDays: 10 });
    expect(resolveCadence({ cadence: 'biweekly' }, custom)).toEqual({ cadence: 'biweekly', intervalDays: 14 });
    expect(resolveCadence({ intervalDays: 30 }, custom)).toEqual({ cadence: 'monthly', intervalDays: 30 });
    expect(resolveCadence({ intervalDays: 9 }, weekly)).toEqual({ cadence: 'custom', intervalDays: 9 });
    expect(resolveCadence({ cadence: 'monthly', intervalDays: 31 }, custom)).toMatchObject({ field: 'intervalDays' });
  });
});

describe('next occurrence', () => {
  it('adds the interval to the local date it was last held and places it at the preferred time', () => {
    // Held Tue 2026-03-10 15:30 New York; weekly at 10:00 → Tue 2026-03-17 10:00.
    expect(next('2026-03-10T19:30:00Z', 7, '10:00', NY, '2026-03-10T20:00:00Z')).toEqual({ date: '2026-03-17', at: '2026-03-17T10:00:00-04:00' });
    // The local date matters, not the UTC one: 2026-03-10 22:30 in New York is already the 11th in UTC.
    expect(next('2026-03-11T02:30:00Z', 14, '09:15', NY, '2026-03-11T03:00:00Z')).toEqual({ date: '2026-03-24', at: '2026-03-24T09:15:00-04:00' });
    expect(next('2026-01-31T12:00:00Z', 30, '16:45', BERLIN, '2026-02-01T00:00:00Z')).toEqual({ date: '2026-03-02', at: '2026-03-02T16:45:00+01:00' });
  });

  it('keeps adding the interval while the occurrence is before now (an occurrence exactly now counts)', () => {
    const held = '2026-01-01T15:00:00Z'; // Thu 10:00 in New York
    // Now Tue 2026-03-10 11:00 EDT: every Thursday up to Mar 5 is past → Thu Mar 12.
    expect(next(held, 7, '10:00', NY, '2026-03-10T15:00:00Z')).toEqual({ date: '2026-03-12', at: '2026-03-12T10:00:00-04:00' });
    // On the due day before, at and after the preferred time.
    expect(next(held, 7, '10:00', NY, '2026-03-12T13:59:00Z').date).toBe('2026-03-12');
    expect(next(held, 7, '10:00', NY, '2026-03-12T14:00:00Z').date).toBe('2026-03-12');
    expect(next(held, 7, '10:00', NY, '2026-03-12T14:01:00Z').date).toBe('2026-03-19');
    // A long custom interval from far back stays on its grid.
    expect(next('2024-01-10T15:00:00Z', 45, '10:00', NY, '2026-03-10T15:00:00Z').date).toBe('2026-03-30'); // 2024-01-10 + 18 × 45 days
  });

  it('keeps a weekly 10:00 meeting at 10:00 local across both DST changes in New York', () => {
    // Spring forward on Sun 2026-03-08: Thu Mar 5 10:00 EST (-05:00) → Thu Mar 12 10:00 EDT (-04:00).
    expect(next('2026-03-05T15:00:00Z', 7, '10:00', NY, '2026-03-05T16:00:00Z')).toEqual({ date: '2026-03-12', at: '2026-03-12T10:00:00-04:00' });
    // Fall back on Sun 2026-11-01: Thu Oct 29 10:00 EDT → Thu Nov 5 10:00 EST.
    expect(next('2026-10-29T14:00:00Z', 7, '10:00', NY, '2026-10-29T15:00:00Z')).toEqual({ date: '2026-11-05', at: '2026-11-05T10:00:00-05:00' });
    // Catching up across the change keeps the wall time too.
    expect(next('2026-02-26T15:00:00Z', 7, '10:00', NY, '2026-03-10T12:00:00Z')).toEqual({ date: '2026-03-12', at: '2026-03-12T10:00:00-04:00' });
  });

  it('keeps a weekly 10:00 meeting at 10:00 local across both DST changes in Berlin', () => {
    // Spring forward on Sun 2026-03-29: Thu Mar 26 10:00 CET → Thu Apr 2 10:00 CEST.
    expect(next('2026-03-26T09:00:00Z', 7, '10:00', BERLIN, '2026-03-26T10:00:00Z')).toEqual({ date: '2026-04-02', at: '2026-04-02T10:00:00+02:00' });
    // Fall back on Sun 2026-10-25: Thu Oct 22 10:00 CEST → Thu Oct 29 10:00 CET.
    expect(next('2026-10-22T08:00:00Z', 7, '10:00', BERLIN, '2026-10-22T09:00:00Z')).toEqual({ date: '2026-10-29', at: '2026-10-29T10:00:00+01:00' });
  });

  it('lands on the DST change day itself, and a skipped wall time moves forward by the gap', () => {
    // Weekly on Sundays at 10:00: Sun Mar 1 → Sun Mar 8 (the change day) still 10:00 local.
    expect(next('2026-03-01T15:00:00Z', 7, '10:00', NY, '2026-03-01T16:00:00Z')).toEqual({ date: '2026-03-08', at: '2026-03-08T10:00:00-04:00' });
    // 02:30 does not exist on 2026-03-08 in New York: it becomes 03:30 EDT.
    expect(next('2026-03-01T07:30:00Z', 7, '02:30', NY, '2026-03-01T08:00:00Z')).toEqual({ date: '2026-03-08', at: '2026-03-08T03:30:00-04:00' });
  });

  it('is due on a date exactly when the next occurrence falls on it', () => {
    const occurrence = nextOccurrence({ from: new Date('2026-03-05T15:00:00Z'), intervalDays: 7, preferredMinute: 600, zone: NY, now: new Date('2026-03-06T00:00:00Z') });
    expect(isDueOn(occurrence, '2026-03-12')).toBe(true);
    expect(isDueOn(occurrence, '2026-03-11')).toBe(false);
    expect(isDueOn(occurrence, '2026-03-19')).toBe(false); // only the next occurrence counts
    expect(isDueOn(null, '2026-03-12')).toBe(false);
  });
});

describe('held', () => {
  const now = new Date('2026-03-10T15:00:00Z'); // Tue 11:00 in New York
  const at = (args: { date?: string; minute?: number }) => toZonedIso(heldInstant({ ...args, preferredMinute: 600, zone: NY, now }), NY);

  it('defaults to now; a date alone is at the preferred time; a time alone is today', () => {
    expect(at({})).toBe('2026-03-10T11:00:00-04:00');
    expect(at({ date: '2024-02-02' })).toBe('2024-02-02T10:00:00-05:00');
    expect(at({ date: '2024-02-02', minute: 570 })).toBe('2024-02-02T09:30:00-05:00');
    expect(at({ minute: 540 })).toBe('2026-03-10T09:00:00-04:00');
    expect(at({ date: '2026-03-10' })).toBe('2026-03-10T10:00:00-04:00');
    expect(at({ date: '2026-03-10', minute: 660 })).toBe('2026-03-10T11:00:00-04:00'); // exactly now is fine
  });

  it('records "today" at now when the preferred time is still ahead', () => {
    const early = new Date('2026-03-10T12:00:00Z'); // 08:00
    expect(heldInstant({ date: '2026-03-10', preferredMinute: 600, zone: NY, now: early })).toEqual(early);
  });

  it('rejects a future date or time, naming the field', () => {
    expect(() => at({ date: '2026-03-11' })).toThrow(/date 2026-03-11 is in the future/);
    expect(() => at({ minute: 661 })).toThrow(/time 2026-03-10 11:01 is in the future/);
    expect(() => at({ date: '2026-03-10', minute: 720 })).toThrow(expect.objectContaining({ code: 'validation_error' }));
  });

  it('never moves lastHeldAt back', () => {
    const newer = new Date('2026-03-10T15:00:00Z');
    const older = new Date('2026-03-01T15:00:00Z');
    expect(laterOf(null, older)).toBe(older);
    expect(laterOf(newer, older)).toBe(newer);
    expect(laterOf(older, newer)).toBe(newer);
  });

  it('counts days since held in local calendar days', () => {
    // 23:30 on Mar 9 in New York is Mar 10 in UTC; one local day before Mar 10.
    expect(daysSinceHeld(new Date('2026-03-10T03:30:00Z'), '2026-03-10', NY)).toBe(1);
    expect(daysSinceHeld(new Date('2026-03-10T15:00:00Z'), '2026-03-10', NY)).toBe(0);
    expect(daysSinceHeld(new Date('2026-02-24T15:00:00Z'), '2026-03-10', NY)).toBe(14);
  });
});

describe('adapt decision', () => {
  const decide = (cadence: 'weekly' | 'biweekly' | 'monthly' | 'custom', intervalDays: number, days: number) => decideAdapt({ cadence, intervalDays }, days);
  const to = (intervalDays: number, days: number) => decideAdapt({ cadence: cadenceFor(intervalDays), intervalDays }, days).to;

  it('meets less often at exactly twice the interval, not a day before', () => {
    expect(decide('biweekly', 14, 28)).toMatchObject({ changed: true, to: { cadence: 'custom', intervalDays: 21 } });
    expect(decide('biweekly', 14, 27)).toMatchObject({ changed: false, to: { cadence: 'biweekly', intervalDays: 14 } });
    expect(to(7, 14)).toEqual({ cadence: 'biweekly', intervalDays: 14 });
    expect(to(7, 13)).toEqual({ cadence: 'weekly', intervalDays: 7 });
    expect(to(23, 46)).toEqual({ cadence: 'monthly', intervalDays: 30 });
  });

  it('meets less often only below 30 days: 29 grows to 36, 30 stays', () => {
    expect(decide('custom', 29, 58)).toMatchObject({ changed: true, to: { cadence: 'custom', intervalDays: 36 } });
    expect(decide('custom', 29, 57)).toMatchObject({ changed: false });
    expect(decide('monthly', 30, 60)).toMatchObject({ changed: false, to: { cadence: 'monthly', intervalDays: 30 }, reason: expect.stringMatching(/already the longest/) });
    expect(decide('monthly', 30, 365)).toMatchObject({ changed: false });
  });

  it('meets more often at exactly 0.6 × the interval, not a day after', () => {
    expect(decide('custom', 10, 6)).toMatchObject({ changed: true, to: { cadence: 'custom', intervalDays: 3 } });
    expect(decide('custom', 10, 7)).toMatchObject({ changed: false });
    expect(decide('biweekly', 14, 8)).toMatchObject({ changed: true, to: { cadence: 'weekly', intervalDays: 7 } }); // 8 ≤ 8.4
    expect(decide('biweekly', 14, 9)).toMatchObject({ changed: false });
    expect(decide('monthly', 30, 18)).toMatchObject({ changed: true, to: { cadence: 'custom', intervalDays: 23 } });
    expect(decide('monthly', 30, 19)).toMatchObject({ changed: false });
    expect(to(21, 12)).toEqual({ cadence: 'biweekly', intervalDays: 14 }); // 12 ≤ 12.6
    expect(to(21, 13)).toEqual({ cadence: 'custom', intervalDays: 21 });
    expect(to(25, 15)).toEqual({ cadence: 'custom', intervalDays: 18 }); // 15 = 0.6 × 25 exactly
    expect(to(37, 22)).toEqual({ cadence: 'monthly', intervalDays: 30 });
  });

  it('meets more often only above 7 days: 8 shrinks to 1, 7 stays', () => {
    expect(decide('custom', 8, 4)).toMatchObject({ changed: true, to: { cadence: 'custom', intervalDays: 1 } });
    expect(decide('custom', 8, 5)).toMatchObject({ changed: false });
    expect(decide('weekly', 7, 0)).toMatchObject({ changed: false, reason: expect.stringMatching(/already the shortest/) });
    expect(decide('weekly', 7, 4)).toMatchObject({ changed: false });
  });

  it('keeps the cadence in between and says why in a sentence', () => {
    expect(decide('biweekly', 14, 14)).toEqual({
      from: { cadence: 'biweekly', intervalDays: 14 },
      to: { cadence: 'biweekly', intervalDays: 14 },
      changed: false,
      reason: 'last held 14 days ago, between 60% and twice the 14-day interval: cadence kept',
    });
    expect(decide('biweekly', 14, 28).reason).toBe('last held 28 days ago, at least twice the 14-day interval: meet less often, every 21 days');
    expect(decide('biweekly', 14, 0).reason).toBe('last held today, within 60% of the 14-day interval: meet more often, every 7 days');
    expect(decide('custom', 8, 1).reason).toBe('last held 1 day ago, within 60% of the 8-day interval: meet more often, every 1 day');
  });
});
