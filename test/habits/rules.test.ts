import { describe, expect, it } from 'vitest';
import {
  adaptWindow,
  CompletionDays,
  computeStreaks,
  decideHabitAdapt,
  describeFrequency,
  type HabitRule,
  isDueOn,
  isMissed,
  resolveFrequency,
  windowStats,
  type WindowStats,
} from '../../lib/habits/rules';
import { addDays } from '../../lib/time';

// 2026-03-02 is a Monday.
const MON = '2026-03-02';
const day = (offset: number) => addDays(MON, offset);
const rule = (over: Partial<HabitRule> = {}): HabitRule => ({ frequency: 'daily', timesPerWeek: 7, weeklyDay: null, createdOn: '2026-01-01', ...over });
const done = (...dates: string[]) => new CompletionDays(dates);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => day(from + i));

describe('resolveFrequency', () => {
  it('derives the count of fixed frequencies and rejects a contradicting one', () => {
    expect(resolveFrequency({})).toEqual({ frequency: 'daily', timesPerWeek: 7 });
    expect(resolveFrequency({ frequency: 'weekdays' })).toEqual({ frequency: 'weekdays', timesPerWeek: 5 });
    expect(resolveFrequency({ frequency: 'weekends', timesPerWeek: 2 })).toEqual({ frequency: 'weekends', timesPerWeek: 2 });
    expect(resolveFrequency({ frequency: 'weekly' })).toEqual({ frequency: 'weekly', timesPerWeek: 1 });
    expect(resolveFrequency({ frequency: 'daily', timesPerWeek: 3 })).toMatchObject({ field: 'timesPerWeek', message: expect.stringMatching(/contradicts frequency daily/) });
  });

  it('custom needs a count on create, keeps the current one on update; a count alone makes it custom', () => {
    expect(resolveFrequency({ frequency: 'custom' })).toMatchObject({ field: 'timesPerWeek', message: expect.stringMatching(/required for frequency custom/) });
    expect(resolveFrequency({ frequency: 'custom', timesPerWeek: 3 })).toEqual({ frequency: 'custom', timesPerWeek: 3 });
    expect(resolveFrequency({ frequency: 'custom' }, { frequency: 'weekdays', timesPerWeek: 5 })).toEqual({ frequency: 'custom', timesPerWeek: 5 });
    expect(resolveFrequency({ timesPerWeek: 4 })).toEqual({ frequency: 'custom', timesPerWeek: 4 });
    expect(resolveFrequency({ timesPerWeek: 5 }, { frequency: 'weekdays', timesPerWeek: 5 })).toEqual({ frequency: 'weekdays', timesPerWeek: 5 });
    expect(resolveFrequency({ timesPerWeek: 4 }, { frequency: 'custom', timesPerWeek: 2 })).toEqual({ frequency: 'custom', timesPerWeek: 4 });
    expect(resolveFrequency({}, { frequency: 'custom', timesPerWeek: 2 })).toEqual({ frequency: 'custom', timesPerWeek: 2 });
  });

  it('describes frequencies as lists show them', () => {
    expect(describeFrequency({ frequency: 'custom', timesPerWeek: 3 })).toBe('custom 3/wk');
    expect(describeFrequency({ frequency: 'weekly', timesPerWeek: 1, weeklyDay: 3 })).toBe('weekly (Wed)');
    expect(describeFrequency({ frequency: 'weekdays', timesPerWeek: 5 })).toBe('weekdays');
  });
});

describe('due rule', () => {
  const week = range(0, 6); // Mon … Sun
  const dueDays = (habit: HabitRule, history = done()) => week.filter((d) => isDueOn(habit, d, history));

  it('daily every day, weekdays Mon–Fri, weekends Sat/Sun, weekly on its weekday', () => {
    expect(dueDays(rule())).toEqual(week);
    expect(dueDays(rule({ frequency: 'weekdays', timesPerWeek: 5 }))).toEqual(week.slice(0, 5));
    expect(dueDays(rule({ frequency: 'weekends', timesPerWeek: 2 }))).toEqual(week.slice(5));
    expect(dueDays(rule({ frequency: 'weekly', timesPerWeek: 1, weeklyDay: 3 }))).toEqual([day(2)]); // Wednesday
    expect(dueDays(rule({ frequency: 'weekly', timesPerWeek: 1, weeklyDay: 0 }))).toEqual([day(6)]); // Sunday
  });

  it('custom N/week is due while fewer than N completions exist earlier in the Monday-based week', () => {
    const habit = rule({ frequency: 'custom', timesPerWeek: 3 });
    const history = done(day(0), day(1), day(2)); // Mon, Tue, Wed
    expect(isDueOn(habit, day(2), history)).toBe(true); // two before Wednesday: still due (and done)
    expect(isDueOn(habit, day(3), history)).toBe(false); // three done: not due for the rest of the week
    expect(isDueOn(habit, day(6), history)).toBe(false);
    expect(isDueOn(habit, day(7), history)).toBe(true); // a new week
    expect(dueDays(habit, done(day(0), day(4)))).toEqual(week);
  });

  it('days before the creation date are never due', () => {
    expect(dueDays(rule({ createdOn: day(3) }))).toEqual(week.slice(3));
    expect(dueDays(rule({ frequency: 'custom', timesPerWeek: 2, createdOn: day(5) }))).toEqual(week.slice(5));
  });
});

describe('streaks', () => {
  it('daily: consecutive completed days; today is never missed; a missed day resets the streak but not the best', () => {
    const history = done(...range(0, 3)); // Mon–Thu
    expect(computeStreaks(rule(), history, day(4))).toEqual({ streak: 4, bestStreak: 4 }); // today Friday, not done yet
    expect(computeStreaks(rule(), done(...range(0, 4)), day(4))).toEqual({ streak: 5, bestStreak: 5 }); // done today
    expect(computeStreaks(rule(), history, day(5))).toEqual({ streak: 0, bestStreak: 4 }); // Friday was missed
    expect(computeStreaks(rule(), done(...range(0, 4), day(6), day(7)), day(8))).toEqual({ streak: 2, bestStreak: 5 });
    expect(computeStreaks(rule(), done(), day(8))).toEqual({ streak: 0, bestStreak: 0 });
  });

  it('weekdays and weekends skip the days they are not due; extra completions still count', () => {
    const weekdays = rule({ frequency: 'weekdays', timesPerWeek: 5 });
    expect(computeStreaks(weekdays, done(day(3), day(4), day(7)), day(8))).toEqual({ streak: 3, bestStreak: 3 }); // Thu, Fri, (weekend), Mon
    expect(computeStreaks(weekdays, done(day(4), day(5), day(7)), day(8))).toEqual({ streak: 3, bestStreak: 3 }); // Saturday counts too
    expect(computeStreaks(weekdays, done(day(3), day(7)), day(8))).toEqual({ streak: 1, bestStreak: 1 }); // Friday missed
    const weekends = rule({ frequency: 'weekends', timesPerWeek: 2 });
    expect(computeStreaks(weekends, done(day(5), day(6), day(12), day(13)), day(18))).toEqual({ streak: 4, bestStreak: 4 });
    expect(computeStreaks(weekends, done(day(5), day(6), day(12)), day(18))).toEqual({ streak: 0, bestStreak: 3 }); // Sunday missed
  });

  it('weekly: only its weekday can be missed', () => {
    const weekly = rule({ frequency: 'weekly', timesPerWeek: 1, weeklyDay: 3 });
    expect(computeStreaks(weekly, done(day(2), day(9)), day(15))).toEqual({ streak: 2, bestStreak: 2 }); // Wed, Wed; next Wed is tomorrow
    expect(computeStreaks(weekly, done(day(2), day(9)), day(16))).toEqual({ streak: 2, bestStreak: 2 }); // Wednesday is today
    expect(computeStreaks(weekly, done(day(2), day(9)), day(17))).toEqual({ streak: 0, bestStreak: 2 }); // that Wednesday passed
  });

  it('custom: a day is missed only in a week that is over with fewer than N completions', () => {
    const custom = rule({ frequency: 'custom', timesPerWeek: 3 });
    // Week 1: Mon, Wed, Fri (3 of 3); week 2 in progress: Mon done, today Thursday.
    expect(computeStreaks(custom, done(day(0), day(2), day(4), day(7)), day(10))).toEqual({ streak: 4, bestStreak: 4 });
    // The current week never breaks a streak, even on Sunday with nothing done yet.
    expect(computeStreaks(custom, done(day(0), day(2), day(4)), day(13))).toEqual({ streak: 3, bestStreak: 3 });
    // Week 1 ended with 2 of 3: its open days are missed; week 2 (Mon–Wed) is a new run.
    expect(computeStreaks(custom, done(day(0), day(1), day(7), day(8), day(9)), day(14))).toEqual({ streak: 3, bestStreak: 3 });
    // Once week 2 is over with 3, the streak keeps going into week 3.
    expect(computeStreaks(custom, done(day(0), day(1), day(7), day(8), day(9), day(14)), day(15))).toEqual({ streak: 4, bestStreak: 4 });
    // Week 2 over with only 2: everything before is gone.
    expect(computeStreaks(custom, done(day(0), day(2), day(4), day(7), day(8)), day(14))).toEqual({ streak: 0, bestStreak: 5 });
    expect(isMissed(custom, day(9), done(day(7), day(8)), day(14))).toBe(true);
    expect(isMissed(custom, day(9), done(day(7), day(8)), day(13))).toBe(false); // week 2 not over yet
  });

  it('a custom habit created mid-week that did every possible day has missed nothing', () => {
    const custom = rule({ frequency: 'custom', timesPerWeek: 5, createdOn: day(3) }); // created Thursday
    expect(computeStreaks(custom, done(day(3), day(4), day(5), day(6), day(7)), day(8))).toEqual({ streak: 5, bestStreak: 5 });
    expect(computeStreaks(custom, done(day(3), day(4), day(5), day(7)), day(8))).toEqual({ streak: 1, bestStreak: 3 }); // Sunday missed
  });

  it('days before creation are never missed (back-dated completions count); nothing after archiving is missed', () => {
    expect(computeStreaks(rule({ createdOn: day(5) }), done(day(1), day(5), day(6)), day(7))).toEqual({ streak: 3, bestStreak: 3 });
    expect(computeStreaks(rule(), done(...range(0, 2)), day(3))).toEqual({ streak: 3, bestStreak: 3 });
    // Archived on Thursday (end = Thursday): later days are not missed, however long ago they are.
    expect(computeStreaks(rule(), done(...range(0, 2)), day(10))).toEqual({ streak: 0, bestStreak: 3 });
  });
});

describe('adapt', () => {
  const stats = (completions: number, numerator: number, denominator = 1, observedDays = 14): WindowStats => ({ completions, observedDays, dueOccasions: { numerator, denominator } });
  const weekdays = { frequency: 'weekdays', timesPerWeek: 5 } as const;

  it('window: the N full days ending yesterday', () => {
    expect(adaptWindow('2026-03-16', 14)).toEqual({ from: '2026-03-02', to: '2026-03-15', days: 14 });
  });

  it('counts due days on or after creation (fixed) and N × observed / 7 (custom)', () => {
    const window = adaptWindow(day(14), 14); // Mon 2 – Sun 15 March
    const history = done(day(0), day(5), day(13), day(14)); // day(14) is today: outside the window
    expect(windowStats(rule(), window, history)).toEqual({ observedDays: 14, completions: 3, dueOccasions: { numerator: 14, denominator: 1 } });
    expect(windowStats(rule({ frequency: 'weekdays', timesPerWeek: 5 }), window, history)).toMatchObject({ dueOccasions: { numerator: 10 } });
    expect(windowStats(rule({ frequency: 'weekly', timesPerWeek: 1, weeklyDay: 2 }), window, history)).toMatchObject({ dueOccasions: { numerator: 2 } });
    expect(windowStats(rule({ frequency: 'custom', timesPerWeek: 3 }), window, history)).toMatchObject({ dueOccasions: { numerator: 42, denominator: 7 } });
    expect(windowStats(rule({ createdOn: day(5) }), window, history)).toEqual({ observedDays: 9, completions: 2, dueOccasions: { numerator: 9, denominator: 1 } });
    expect(windowStats(rule({ createdOn: day(14) }), window, history)).toMatchObject({ observedDays: 0, completions: 0 });
  });

  it('ratio ≥ 0.85 adds a session: exactly 0.85 triggers, just below does not', () => {
    expect(decideHabitAdapt(weekdays, stats(17, 20))).toMatchObject({ changed: true, ratio: 0.85, to: { frequency: 'custom', timesPerWeek: 6 }, reason: 'completed 17 of 20 due days (85%) ≥ 85%: one more session per week' });
    expect(decideHabitAdapt(weekdays, stats(171, 200))).toMatchObject({ changed: true, ratio: 0.855 });
    expect(decideHabitAdapt(weekdays, stats(169, 200))).toMatchObject({ changed: false, ratio: 0.845, to: weekdays, reason: expect.stringMatching(/\(84\.5%\), between 40% and 85%: frequency kept$/) });
    expect(decideHabitAdapt(weekdays, stats(1699, 2000))).toMatchObject({ changed: false, reason: expect.stringMatching(/\(84\.9%\)/) });
    expect(decideHabitAdapt({ frequency: 'daily', timesPerWeek: 7 }, stats(13, 14))).toMatchObject({ changed: false, reason: 'completed 13 of 14 due days (92.8%) ≥ 85%, but already at the maximum of 7 per week' });
  });

  it('ratio ≤ 0.40 removes a session: exactly 0.40 triggers, just above does not', () => {
    expect(decideHabitAdapt(weekdays, stats(8, 20))).toMatchObject({ changed: true, ratio: 0.4, to: { frequency: 'custom', timesPerWeek: 4 }, reason: 'completed 8 of 20 due days (40%) ≤ 40%: one fewer session per week' });
    expect(decideHabitAdapt(weekdays, stats(79, 200))).toMatchObject({ changed: true, ratio: 0.395 });
    expect(decideHabitAdapt(weekdays, stats(81, 200))).toMatchObject({ changed: false, ratio: 0.405 });
    expect(decideHabitAdapt(weekdays, stats(0, 10))).toMatchObject({ changed: true, ratio: 0, to: { timesPerWeek: 4 } });
    expect(decideHabitAdapt({ frequency: 'weekly', timesPerWeek: 1 }, stats(0, 2))).toMatchObject({ changed: false, reason: expect.stringMatching(/already at the minimum of 1 per week$/) });
    expect(decideHabitAdapt({ frequency: 'custom', timesPerWeek: 2 }, stats(1, 28, 7))).toMatchObject({ changed: true, to: { frequency: 'custom', timesPerWeek: 1 } });
  });

  it('custom occasions are fractions compared exactly (5/week over 28 days = 20 sessions)', () => {
    const custom = { frequency: 'custom', timesPerWeek: 5 } as const;
    expect(decideHabitAdapt(custom, stats(17, 140, 7, 28))).toMatchObject({ changed: true, ratio: 0.85, dueOccasions: 20, to: { timesPerWeek: 6 } });
    expect(decideHabitAdapt(custom, stats(16, 140, 7, 28))).toMatchObject({ changed: false, ratio: 0.8 });
    expect(decideHabitAdapt({ frequency: 'custom', timesPerWeek: 3 }, stats(2, 30, 7, 10))).toMatchObject({
      changed: false,
      dueOccasions: 4.29,
      ratio: 0.4667,
      reason: 'completed 2 of 4.29 expected sessions (46.6%; 3/week over 10 days), between 40% and 85%: frequency kept',
    });
  });

  it('skips habits observed fewer than 7 days or with no due occasion', () => {
    expect(decideHabitAdapt(weekdays, stats(3, 3, 1, 6))).toMatchObject({ changed: false, skipped: true, ratio: null, reason: expect.stringMatching(/only 6 days .* at least 7/) });
    expect(decideHabitAdapt(weekdays, stats(0, 0, 1, 7))).toMatchObject({ skipped: true, reason: 'skipped: no due day in the window' });
    expect(decideHabitAdapt(weekdays, stats(6, 7, 1, 7))).toMatchObject({ skipped: false, changed: true });
  });
});
