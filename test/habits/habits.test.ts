import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../lib/context';
import { adaptHabits } from '../../lib/habits/adapt';
import {
  archiveHabit,
  createHabit,
  getHabit,
  habitsDueOn,
  habitsDueToday,
  listCompletions,
  listHabits,
  logHabit,
  updateHabit,
} from '../../lib/habits/service';
import { toAppError } from '../../lib/http/errors';
import { createUser } from '../../lib/identity/users';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

/** A user in `timeZone` with a clock the test moves. */
async function userContext(name: string, timeZone: string, start: string) {
  const user = await createUser(database.db, { name, timeZone });
  const state = { clock: new Date(start) };
  const ctx: ServiceContext = { db: database.db, userId: user.id, now: () => state.clock };
  return { ctx, at: (iso: string) => (state.clock = new Date(iso)) };
}

const eventsOf = (aggregateId: string) => database.db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { sequence: 'asc' } });
const eventTypes = async (aggregateId: string) => (await eventsOf(aggregateId)).map((e) => e.eventType);
const errorOf = async (promise: Promise<unknown>) => toAppError(await promise.then(() => null, (e: unknown) => e));

describe('create, show and bad input', () => {
  it('creates with defaults, the view in the user zone, and a created event in the same transaction', async () => {
    const { ctx } = await userContext('Nia', 'America/New_York', '2026-03-04T15:00:00Z'); // Wed 10:00 EST
    const habit = await createHabit(ctx, { name: '  Morning review ' });
    expect(habit).toEqual({
      id: expect.any(String),
      name: 'Morning review',
      description: null,
      frequency: 'daily',
      timesPerWeek: 7,
      weeklyDay: null,
      durationMinutes: 15,
      preferredTime: 'anytime',
      streak: 0,
      bestStreak: 0,
      totalDone: 0,
      dueToday: true,
      doneToday: false,
      archived: false,
      archivedAt: null,
      createdAt: '2026-03-04T10:00:00-05:00',
      updatedAt: '2026-03-04T10:00:00-05:00',
    });
    const events = await eventsOf(habit.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ eventType: 'habits.habit.created', aggregateType: 'habit', metadata: { userId: ctx.userId }, payload: { habit } });

    expect(await createHabit(ctx, { name: 'Call mum', frequency: 'weekly' })).toMatchObject({ frequency: 'weekly', timesPerWeek: 1, weeklyDay: 3, dueToday: true });
    expect(await createHabit(ctx, { name: 'Hike', frequency: 'weekends', durationMinutes: 120, preferredTime: 'morning', description: 'hills' })).toMatchObject({
      timesPerWeek: 2,
      dueToday: false,
      durationMinutes: 120,
      preferredTime: 'morning',
      description: 'hills',
    });
    expect(await createHabit(ctx, { name: 'Gym', frequency: 'custom', timesPerWeek: 3 })).toMatchObject({ frequency: 'custom', timesPerWeek: 3, dueToday: true });
    expect(await createHabit(ctx, { name: 'Read', timesPerWeek: 4 })).toMatchObject({ frequency: 'custom', timesPerWeek: 4 });
    expect(await createHabit(ctx, { name: 'Stretch', frequency: 'weekdays', timesPerWeek: 5 })).toMatchObject({ frequency: 'weekdays', timesPerWeek: 5 });
  });

  it('rejects bad input naming the field and writes nothing (no habit, no completion, no event)', async () => {
    const { ctx } = await userContext('Bad', 'Europe/Berlin', '2026-03-04T09:00:00Z');
    const good = await createHabit(ctx, { name: 'good' });
    const counts = async () => [await database.db.habit.count(), await database.db.habitCompletion.count(), await database.db.outboxEvent.count()];
    const before = await counts();
    const cases: [object, RegExp][] = [
      [{ name: 'x', frequency: 'hourly' }, /^frequency must be one of daily, weekdays, weekends, weekly, custom$/],
      [{ name: 'x', frequency: 'daily', timesPerWeek: 3 }, /timesPerWeek 3 contradicts frequency daily/],
      [{ name: 'x', frequency: 'custom' }, /timesPerWeek is required for frequency custom/],
      [{ name: 'x', frequency: 'custom', timesPerWeek: 8 }, /timesPerWeek must be a whole number between 1 and 7/],
      [{ name: 'x', frequency: 'custom', timesPerWeek: 0 }, /timesPerWeek must be a whole number between 1 and 7/],
      [{ name: 'x', durationMinutes: 0 }, /duration must be between 1 and 480/],
      [{ name: 'x', durationMinutes: 10_000 }, /duration must be between 1 and 480/],
      [{ name: 'x', durationMinutes: 'long' }, /duration must be a whole number/],
      [{ name: 'x', preferredTime: 'noon' }, /preferredTime must be one of morning, afternoon, evening, night, anytime/],
      [{ name: 'x'.repeat(501) }, /^name must be at most 500 characters$/],
      [{ name: '   ' }, /name must not be empty/],
      [{}, /name is required/],
      [{ name: 'x', colour: 'red' }, /colour/],
    ];
    for (const [input, message] of cases) {
      const error = await errorOf(createHabit(ctx, input as never));
      expect(error?.code).toBe('validation_error');
      expect(error?.message).toMatch(message);
    }
    const logCases: [object, RegExp][] = [
      [{ notes: 'n'.repeat(2001) }, /notes must be at most 2000 characters/],
      [{ date: '2026-02-30' }, /date must be a real date/],
      [{ date: 'yesterday' }, /date must be a real date/],
      [{ date: '2026-03-05' }, /date 2026-03-05 is in the future/],
      [{ date: '2025-03-03' }, /more than 365 days ago: the earliest day you can log is 2025-03-04/],
    ];
    for (const [input, message] of logCases) {
      const error = await errorOf(logHabit(ctx, good.id, input as never));
      expect(error?.code).toBe('validation_error');
      expect(error?.message).toMatch(message);
    }
    for (const [input, message] of [
      [{}, /nothing to update/],
      [{ frequency: 'weekends', timesPerWeek: 3 }, /timesPerWeek 3 contradicts frequency weekends/],
      [{ frequency: 'sometimes' }, /frequency must be one of/],
      [{ durationMinutes: 481 }, /duration must be between 1 and 480/],
    ] as const) {
      expect((await errorOf(updateHabit(ctx, good.id, input as never)))?.message).toMatch(message);
    }
    await expect(listHabits(ctx, { due: 'maybe' as never })).rejects.toThrow();
    expect(await counts()).toEqual(before);
  });
});

describe('log', () => {
  it('logs once per local day, back-dates at 12:00 local, stores streaks and records completed events', async () => {
    const { ctx } = await userContext('Logger', 'America/New_York', '2026-03-04T15:00:00Z'); // Wed 10:00 EST
    const habit = await createHabit(ctx, { name: 'Journal' });
    const first = await logHabit(ctx, habit.id.slice(0, 8), { notes: ' felt good ' });
    expect(first.completion).toEqual({ id: expect.any(String), date: '2026-03-04', completedAt: '2026-03-04T10:00:00-05:00', notes: 'felt good' });
    expect(first.habit).toMatchObject({ streak: 1, bestStreak: 1, totalDone: 1, doneToday: true, dueToday: true });
    const back = await logHabit(ctx, habit.id, { date: '2026-03-03' }); // back-dated before the creation date: counts
    expect(back.completion).toMatchObject({ date: '2026-03-03', completedAt: '2026-03-03T12:00:00-05:00', notes: null });
    expect(back.habit).toMatchObject({ streak: 2, bestStreak: 2, totalDone: 2 });
    // Back-dating further makes the habit start earlier: the gap (2 March) is a missed day.
    const older = await logHabit(ctx, habit.id, { date: '2026-03-01' });
    expect(older.completion.completedAt).toBe('2026-03-01T12:00:00-05:00');
    expect(older.habit).toMatchObject({ streak: 2, bestStreak: 2, totalDone: 3 });
    expect(await errorOf(logHabit(ctx, habit.id))).toMatchObject({ code: 'conflict', message: 'already logged today' });
    expect(await errorOf(logHabit(ctx, habit.id, { date: '2026-03-04' }))).toMatchObject({ code: 'conflict', message: 'already logged today' });
    expect(await errorOf(logHabit(ctx, habit.id, { date: '2026-03-03' }))).toMatchObject({ code: 'conflict', message: 'already logged on 2026-03-03' });
    expect((await logHabit(ctx, habit.id, { date: '2025-03-04' })).completion.date).toBe('2025-03-04'); // exactly 365 days back
    expect(await database.db.habit.findUniqueOrThrow({ where: { id: habit.id } })).toMatchObject({ streak: 2, bestStreak: 2, totalDone: 4 });

    const events = await eventsOf(habit.id);
    expect(events.map((e) => e.eventType)).toEqual(['habits.habit.created', ...Array(4).fill('habits.habit.completed')]);
    expect(events[1].payload).toEqual({ habit: first.habit, completion: first.completion });
    expect(events[1].metadata).toEqual({ userId: ctx.userId });
  });

  it('two logs racing for the same day: one wins, the other is "already logged today" (the unique index decides)', async () => {
    const { ctx } = await userContext('Racer', 'Europe/Berlin', '2026-03-04T09:00:00Z');
    const habit = await createHabit(ctx, { name: 'Race' });
    const results = await Promise.allSettled([logHabit(ctx, habit.id), logHabit(ctx, habit.id), logHabit(ctx, habit.id)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', message: 'already logged today' });
    expect(await database.db.habitCompletion.count({ where: { habitId: habit.id } })).toBe(1);
    expect(await eventTypes(habit.id)).toEqual(['habits.habit.created', 'habits.habit.completed']);
  });

  it('streaks are recomputed when read: a missed day shows although nothing was logged since', async () => {
    const { ctx, at } = await userContext('Reader', 'Europe/Berlin', '2026-03-02T07:00:00Z'); // Mon 08:00 CET
    const habit = await createHabit(ctx, { name: 'Water plants' });
    for (const day of ['2026-03-02', '2026-03-03', '2026-03-04']) {
      at(`${day}T19:00:00Z`);
      await logHabit(ctx, habit.id);
    }
    at('2026-03-05T22:30:00Z'); // Thursday 23:30: today is not over, nothing missed yet
    expect(await getHabit(ctx, habit.id)).toMatchObject({ streak: 3, bestStreak: 3, dueToday: true, doneToday: false });
    at('2026-03-05T23:30:00Z'); // Friday 00:30: Thursday was missed
    expect(await getHabit(ctx, habit.id)).toMatchObject({ streak: 0, bestStreak: 3, totalDone: 3 });
    expect((await listHabits(ctx)).items[0]).toMatchObject({ streak: 0, bestStreak: 3 });
    expect(await database.db.habit.findUniqueOrThrow({ where: { id: habit.id } })).toMatchObject({ streak: 3 }); // stored at the last log
    expect((await logHabit(ctx, habit.id)).habit).toMatchObject({ streak: 1, bestStreak: 3 });
  });
});

describe('DST', () => {
  it('America/New_York, spring forward: completions logged near midnight keep their local days and the streak', async () => {
    const { ctx, at } = await userContext('Spring', 'America/New_York', '2026-03-07T04:50:00Z'); // Fri 6 March 23:50 EST
    const habit = await createHabit(ctx, { name: 'Night journal' });
    const logs: [string, string, string][] = [
      ['2026-03-07T04:50:00Z', '2026-03-06', '2026-03-06T23:50:00-05:00'], // Fri 23:50 EST
      ['2026-03-08T04:59:00Z', '2026-03-07', '2026-03-07T23:59:00-05:00'], // Sat 23:59 EST, the night of the change
      ['2026-03-09T03:50:00Z', '2026-03-08', '2026-03-08T23:50:00-04:00'], // Sun 23:50 EDT: a 23-hour day
      ['2026-03-09T04:10:00Z', '2026-03-09', '2026-03-09T00:10:00-04:00'], // Mon 00:10 EDT, twenty minutes later
      ['2026-03-11T03:59:00Z', '2026-03-10', '2026-03-10T23:59:00-04:00'], // Tue 23:59 EDT
    ];
    for (const [instant, date, completedAt] of logs) {
      at(instant);
      expect((await logHabit(ctx, habit.id)).completion).toMatchObject({ date, completedAt });
    }
    expect(await getHabit(ctx, habit.id)).toMatchObject({ streak: 5, bestStreak: 5, totalDone: 5, doneToday: true });
    at('2026-03-11T04:01:00Z'); // Wed 00:01 EDT: Wednesday not over yet
    expect(await getHabit(ctx, habit.id)).toMatchObject({ streak: 5, doneToday: false, dueToday: true });
    at('2026-03-12T04:01:00Z'); // Thu 00:01 EDT: Wednesday missed
    expect(await getHabit(ctx, habit.id)).toMatchObject({ streak: 0, bestStreak: 5 });
    expect((await logHabit(ctx, habit.id, { date: '2026-03-08' }).catch((e) => e)).message).toBe('already logged on 2026-03-08');
  });

  it('Europe/Berlin, fall back: a 25-hour day is one day; the repeated hour cannot log twice', async () => {
    const { ctx, at } = await userContext('Autumn', 'Europe/Berlin', '2026-10-24T21:59:00Z'); // Sat 24 Oct 23:59 CEST
    const habit = await createHabit(ctx, { name: 'Evening walk', frequency: 'weekends' });
    await logHabit(ctx, habit.id);
    at('2026-10-24T22:01:00Z'); // Sun 25 Oct 00:01 CEST: a new local day
    expect((await logHabit(ctx, habit.id)).completion).toMatchObject({ date: '2026-10-25', completedAt: '2026-10-25T00:01:00+02:00' });
    at('2026-10-25T00:30:00Z'); // 02:30 CEST, and an hour later 02:30 again in CET
    expect((await logHabit(ctx, habit.id).catch((e) => e)).message).toBe('already logged today');
    at('2026-10-25T01:30:00Z');
    expect((await logHabit(ctx, habit.id).catch((e) => e)).message).toBe('already logged today');
    at('2026-10-25T22:59:00Z'); // Sun 23:59 CET, 25 hours after midnight
    expect(await getHabit(ctx, habit.id)).toMatchObject({ streak: 2, doneToday: true, dueToday: true });
    at('2026-10-31T23:30:00Z'); // Sun 1 Nov 00:30 CET: Saturday 31 Oct was missed
    expect(await getHabit(ctx, habit.id)).toMatchObject({ streak: 0, bestStreak: 2, dueToday: true });
    expect((await logHabit(ctx, habit.id, { date: '2026-10-25' }).catch((e) => e)).message).toBe('already logged on 2026-10-25');
    const back = await logHabit(ctx, habit.id, { date: '2026-10-31' });
    expect(back.completion.completedAt).toBe('2026-10-31T12:00:00+01:00');
    expect(back.habit).toMatchObject({ streak: 3, bestStreak: 3 });
  });
});

describe('lists and due today', () => {
  it('filters due today (archived never), includes archived on request, pages with a cursor', async () => {
    const { ctx, at } = await userContext('Lister', 'Europe/Berlin', '2026-03-03T09:00:00Z'); // Tue 10:00
    const tuesdayWeekly = await createHabit(ctx, { name: 'weekly Tue', frequency: 'weekly' });
    const names: Record<string, string> = {};
    let second = 0;
    const make = async (name: string, input: object = {}) => {
      at(`2026-03-04T09:00:${String(++second).padStart(2, '0')}Z`); // Wed 10:00, one second apart
      const habit = await createHabit(ctx, { name, ...input });
      names[habit.id] = name;
      return habit;
    };
    await make('daily');
    await make('weekdays', { frequency: 'weekdays' });
    await make('weekends', { frequency: 'weekends' });
    await make('weekly Wed', { frequency: 'weekly' });
    const twice = await make('custom 2 (done twice)', { frequency: 'custom', timesPerWeek: 2 });
    const thrice = await make('custom 3 (done twice)', { frequency: 'custom', timesPerWeek: 3 });
    const gone = await make('archived daily');
    for (const id of [twice.id, thrice.id]) for (const date of ['2026-03-02', '2026-03-03']) await logHabit(ctx, id, { date });
    await archiveHabit(ctx, gone.id);
    const due = await listHabits(ctx, { due: true });
    expect(due.items.map((h) => h.name)).toEqual(['daily', 'weekdays', 'weekly Wed', 'custom 3 (done twice)']);
    expect(due.items.every((h) => h.dueToday)).toBe(true);
    expect((await habitsDueToday(ctx)).map((h) => h.name)).toEqual(due.items.map((h) => h.name));
    await logHabit(ctx, thrice.id);
    // Logged today: still due today (done), and still listed — `due` is not "due and open".
    expect((await habitsDueToday(ctx)).find((h) => h.id === thrice.id)).toMatchObject({ dueToday: true, doneToday: true });
    expect((await listHabits(ctx, { due: 'true' })).items).toHaveLength(4);
    expect((await habitsDueOn(ctx, '2026-03-03')).map((h) => h.name)).toEqual(['weekly Tue']); // the others did not exist yet
    expect((await habitsDueOn(ctx, '2026-03-08')).map((h) => h.name)).toEqual(['daily', 'weekends']); // Sunday
    await expect(habitsDueOn(ctx, '2026-02-30')).rejects.toThrow(/date must be a real date/);

    const all = (await listHabits(ctx)).items.map((h) => h.name);
    expect(all).toEqual(['weekly Tue', 'daily', 'weekdays', 'weekends', 'weekly Wed', 'custom 2 (done twice)', 'custom 3 (done twice)']);
    expect((await listHabits(ctx, { archived: true })).items.map((h) => h.name)).toEqual([...all, 'archived daily']);
    expect((await listHabits(ctx, { archived: true, due: true })).items).toHaveLength(4);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listHabits(ctx, { archived: 'true', limit: 3, cursor });
      seen.push(...page.items.map((h) => h.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...all, 'archived daily']);
    await expect(listHabits(ctx, { cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({ code: 'validation_error' });

    at('2026-03-07T09:00:00Z'); // Saturday
    expect((await habitsDueToday(ctx)).map((h) => h.name)).toEqual(['daily', 'weekends']); // both custom habits have their sessions
    at('2026-03-10T09:00:00Z'); // next Tuesday: a new week for the custom habits
    expect((await habitsDueToday(ctx)).map((h) => h.name)).toEqual(['weekly Tue', 'daily', 'weekdays', 'custom 2 (done twice)', 'custom 3 (done twice)']);
    expect(tuesdayWeekly.weeklyDay).toBe(2);
  });
});

describe('update and archive', () => {
  it('a weekly habit keeps its weekday; changing to weekly takes today\'s; frequency changes record an event', async () => {
    const { ctx, at } = await userContext('Editor', 'Europe/Berlin', '2026-03-04T09:00:00Z'); // Wed
    const habit = await createHabit(ctx, { name: 'Review', frequency: 'weekly', description: 'old' });
    at('2026-03-06T09:00:00Z'); // Friday
    const renamed = await updateHabit(ctx, habit.id, { name: 'Weekly review', description: null, durationMinutes: 45, preferredTime: 'evening' });
    expect(renamed).toMatchObject({ name: 'Weekly review', description: null, durationMinutes: 45, preferredTime: 'evening', frequency: 'weekly', weeklyDay: 3, updatedAt: '2026-03-06T10:00:00+01:00' });
    expect(await eventTypes(habit.id)).toEqual(['habits.habit.created']); // no habit.updated event exists

    const daily = await updateHabit(ctx, habit.id, { frequency: 'daily' });
    expect(daily).toMatchObject({ frequency: 'daily', timesPerWeek: 7, weeklyDay: null });
    const weekly = await updateHabit(ctx, habit.id, { frequency: 'weekly' });
    expect(weekly).toMatchObject({ frequency: 'weekly', timesPerWeek: 1, weeklyDay: 5 });
    expect(await updateHabit(ctx, habit.id, { timesPerWeek: 3 })).toMatchObject({ frequency: 'custom', timesPerWeek: 3, weeklyDay: null });
    expect(await updateHabit(ctx, habit.id, { frequency: 'custom' })).toMatchObject({ frequency: 'custom', timesPerWeek: 3 });
    expect(await updateHabit(ctx, habit.id, { frequency: 'custom', timesPerWeek: 5 })).toMatchObject({ timesPerWeek: 5 });

    const events = await eventsOf(habit.id);
    expect(events.map((e) => e.eventType)).toEqual(['habits.habit.created', ...Array(4).fill('habits.habit.frequency_changed')]);
    expect(events[1].payload).toEqual({ habit: daily, from: { frequency: 'weekly', timesPerWeek: 1 }, to: { frequency: 'daily', timesPerWeek: 7 }, source: 'update' });
  });

  it('archive is idempotent, keeps history, is never due, and rejects logs and updates', async () => {
    const { ctx, at } = await userContext('Archivist', 'Europe/Berlin', '2026-03-02T07:00:00Z'); // Mon
    const habit = await createHabit(ctx, { name: 'Floss' });
    for (const day of ['2026-03-02', '2026-03-03', '2026-03-04']) {
      at(`${day}T18:00:00Z`);
      await logHabit(ctx, habit.id);
    }
    const archived = await archiveHabit(ctx, habit.id);
    expect(archived).toMatchObject({ archived: true, archivedAt: '2026-03-04T19:00:00+01:00', dueToday: false, streak: 3 });
    at('2026-03-20T10:00:00Z');
    const again = await archiveHabit(ctx, habit.id);
    expect(again).toMatchObject({ archived: true, archivedAt: '2026-03-04T19:00:00+01:00', streak: 3, bestStreak: 3, totalDone: 3, dueToday: false });
    expect(await errorOf(logHabit(ctx, habit.id))).toMatchObject({ code: 'conflict', message: 'habit is archived: archived habits cannot be logged' });
    expect(await errorOf(updateHabit(ctx, habit.id, { name: 'x' }))).toMatchObject({ code: 'conflict', message: 'habit is archived: archived habits cannot be changed' });
    expect((await listCompletions(ctx, habit.id)).items).toHaveLength(3);
    expect(await eventTypes(habit.id)).toEqual(['habits.habit.created', ...Array(3).fill('habits.habit.completed'), 'habits.habit.archived']);
    expect((await eventsOf(habit.id)).at(-1)!.payload).toEqual({ habit: archived });
  });
});

describe('completions', () => {
  it('shows recent completions and pages all of them newest first', async () => {
    const { ctx } = await userContext('Historian', 'Europe/Berlin', '2026-03-20T10:00:00Z');
    const habit = await createHabit(ctx, { name: 'Practice' });
    const other = await createHabit(ctx, { name: 'Other' });
    const dates = Array.from({ length: 12 }, (_, i) => `2026-03-${String(20 - i).padStart(2, '0')}`);
    for (const date of [...dates].reverse()) await logHabit(ctx, habit.id, { date, notes: `on ${date}` });
    const otherLog = await logHabit(ctx, other.id);
    const detail = await getHabit(ctx, habit.id);
    expect(detail.recentCompletions.map((c) => c.date)).toEqual(dates.slice(0, 10));
    expect(detail).toMatchObject({ streak: 12, bestStreak: 12, totalDone: 12 });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listCompletions(ctx, habit.id, { limit: 5, cursor });
      seen.push(...page.items.map((c) => c.date));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(dates);
    const foreignCursor = Buffer.from(otherLog.completion.id).toString('base64url');
    await expect(listCompletions(ctx, habit.id, { cursor: foreignCursor })).rejects.toMatchObject({ code: 'validation_error' });
  });
});

describe('adapt', () => {
  it('raises, lowers, keeps and skips by the completion ratio; changes and their events in one transaction', async () => {
    const { ctx, at } = await userContext('Adapter', 'Europe/Berlin', '2026-02-20T09:00:00Z');
    const make = async (name: string, input: object, dates: string[]) => {
      const habit = await createHabit(ctx, { name, ...input });
      at('2026-03-16T09:00:00Z'); // Monday: the window is Mon 2 – Sun 15 March
      for (const date of dates) await logHabit(ctx, habit.id, { date });
      at('2026-02-20T09:00:00Z');
      return habit;
    };
    const days = (from: number, to: number, skip: number[] = []) =>
      Array.from({ length: to - from + 1 }, (_, i) => from + i).filter((d) => !skip.includes(d)).map((d) => `2026-03-${String(d).padStart(2, '0')}`);
    const weekdays = await make('weekdays', { frequency: 'weekdays' }, [...days(2, 6), ...days(9, 13), '2026-03-16']); // today's does not count
    const daily = await make('daily 13/14', {}, days(2, 15, [7]));
    const custom = await make('custom 3, once', { frequency: 'custom', timesPerWeek: 3 }, ['2026-03-05']);
    const half = await make('daily 7/14', {}, days(2, 8));
    const archived = await make('archived', {}, []);
    at('2026-03-12T09:00:00Z');
    const young = await createHabit(ctx, { name: 'new', frequency: 'custom', timesPerWeek: 2 });
    at('2026-03-16T09:00:00Z');
    await archiveHabit(ctx, archived.id);

    await expect(adaptHabits(ctx, { windowDays: 0 })).rejects.toThrow(/windowDays must be a whole number of days between 1 and 90/);
    await expect(adaptHabits(ctx, { windowDays: 91 })).rejects.toThrow(/windowDays/);

    const report = await adaptHabits(ctx, {});
    expect(report).toMatchObject({ evaluated: 5, updated: 2, skipped: 1, window: { from: '2026-03-02', to: '2026-03-15', days: 14 } });
    const byName = Object.fromEntries(report.habits.map((h) => [h.name, h]));
    expect(byName.weekdays).toEqual({
      id: weekdays.id,
      name: 'weekdays',
      from: { frequency: 'weekdays', timesPerWeek: 5 },
      to: { frequency: 'custom', timesPerWeek: 6 },
      changed: true,
      skipped: false,
      ratio: 1,
      completions: 10,
      dueOccasions: 10,
      reason: 'completed 10 of 10 due days (100%) ≥ 85%: one more session per week',
    });
    expect(byName['daily 13/14']).toMatchObject({ changed: false, ratio: 0.9286, reason: 'completed 13 of 14 due days (92.8%) ≥ 85%, but already at the maximum of 7 per week' });
    expect(byName['custom 3, once']).toMatchObject({ changed: true, to: { frequency: 'custom', timesPerWeek: 2 }, ratio: 0.1667, completions: 1, dueOccasions: 6 });
    expect(byName['daily 7/14']).toMatchObject({ changed: false, ratio: 0.5, reason: expect.stringMatching(/between 40% and 85%: frequency kept$/) });
    expect(byName.new).toMatchObject({ id: young.id, changed: false, skipped: true, ratio: null, reason: expect.stringMatching(/only 4 days of the window/) });
    expect(byName.archived).toBeUndefined();

    expect(await database.db.habit.findUniqueOrThrow({ where: { id: weekdays.id } })).toMatchObject({ frequency: 'custom', timesPerWeek: 6, weeklyDay: null });
    const [event] = (await eventsOf(weekdays.id)).filter((e) => e.eventType === 'habits.habit.frequency_changed');
    expect(event.payload).toMatchObject({
      habit: { id: weekdays.id, frequency: 'custom', timesPerWeek: 6 },
      from: { frequency: 'weekdays', timesPerWeek: 5 },
      to: { frequency: 'custom', timesPerWeek: 6 },
      ratio: 1,
      windowDays: 14,
      completions: 10,
      dueOccasions: 10,
      source: 'adapt',
    });
    for (const id of [daily.id, half.id, young.id, archived.id]) expect(await eventTypes(id)).not.toContain('habits.habit.frequency_changed');
    expect(await eventTypes(custom.id)).toContain('habits.habit.frequency_changed');
  });
});
