import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as adaptRoute } from '../../app/api/v1/adapt/route';
import { POST as doneRoute } from '../../app/api/v1/done/route';
import { adapt } from '../../lib/adapt/service';
import type { ServiceContext } from '../../lib/context';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { createHabit, getHabit, logHabit } from '../../lib/habits/service';
import { createUser } from '../../lib/identity/users';
import { createMeeting, getMeeting, markMeetingHeld } from '../../lib/meetings/service';
import { createTask, getTask } from '../../lib/tasks/service';
import { callRoute } from '../helpers/api';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { userWithToken } from '../helpers/users';

const zone = 'Europe/Berlin';
let database: TestDatabase;
let alice: { id: string; token: string };
let bob: { id: string; token: string };


/** A context for `userId` whose clock reads `daysAgo` days before the real now. */
const at = (userId: string, daysAgo = 0): ServiceContext => ({ db: database.db, userId, now: () => DateTime.now().minus({ days: daysAgo }).toJSDate() });
const localDaysAgo = (n: number) => DateTime.now().setZone(zone).minus({ days: n }).toISODate()!;
const cli = (user: { id: string }, ...args: string[]) => runCli(args, { DATABASE_URL: database.url, ORBITA_USER_ID: user.id });
const eventTypes = async (aggregateId: string) =>
  (await database.db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { sequence: 'asc' } })).map((e) => e.eventType);

/** A daily habit created 30 days ago and done on `doneDaysAgo` of the last 14 full days. */
async function habitDoneOn(userId: string, name: string, frequency: 'daily' | 'custom', doneDaysAgo: number[], timesPerWeek?: number) {
  const habit = await createHabit(at(userId, 30), { name, frequency, ...(timesPerWeek ? { timesPerWeek } : {}) });
  for (const n of doneDaysAgo) await logHabit(at(userId), habit.id, { date: localDaysAgo(n) });
  return habit;
}

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  alice = await userWithToken(database.db, 'Alice', zone);
  bob = await userWithToken(database.db, 'Bob', zone);
});
afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});

describe('adapt', () => {
  it('moves habits and 1:1s by the thresholds, in one call, with an event per change', async () => {
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const slacker = await habitDoneOn(alice.id, 'Stretch', 'daily', [1, 5, 9, 13]); // 4 of 14 ≤ 0.40
    const steady = await habitDoneOn(alice.id, 'Read', 'custom', range(1, 6), 3); // 6 of 6 ≥ 0.85
    const maxed = await habitDoneOn(alice.id, 'Walk', 'daily', range(1, 14)); // 14 of 14, already 7/week
    const middling = await habitDoneOn(alice.id, 'Journal', 'daily', range(1, 9)); // 9 of 14 ≈ 0.64
    const late = await createMeeting(at(alice.id, 40), { name: 'Alex', cadence: 'weekly' });
    await markMeetingHeld(at(alice.id), late.id, { date: localDaysAgo(15) }); // 15 ≥ 2 × 7 → 14
    const never = await createMeeting(at(alice.id, 40), { name: 'Sam', cadence: 'biweekly' });

    const report = await adapt(at(alice.id), {});
    expect(report.habits).toMatchObject({ evaluated: 4, updated: 2 });
    const byName = Object.fromEntries(report.habits!.habits.map((h) => [h.name, h]));
    expect(byName.Stretch).toMatchObject({ changed: true, from: { frequency: 'daily', timesPerWeek: 7 }, to: { frequency: 'custom', timesPerWeek: 6 } });
    expect(byName.Read).toMatchObject({ changed: true, from: { frequency: 'custom', timesPerWeek: 3 }, to: { frequency: 'custom', timesPerWeek: 4 } });
    expect(byName.Walk).toMatchObject({ changed: false, reason: expect.stringMatching(/maximum/) });
    expect(byName.Journal).toMatchObject({ changed: false });
    for (const h of Object.values(byName)) expect(h.reason).toEqual(expect.any(String));
    expect(report.meetings).toMatchObject({ evaluated: 2, updated: 1 });
    const alex = report.meetings!.meetings.find((m) => m.id === late.id)!;
    expect(alex).toMatchObject({ changed: true, from: { cadence: 'weekly', intervalDays: 7 }, to: { cadence: 'biweekly', intervalDays: 14 }, daysSinceHeld: 15 });
    expect(report.meetings!.meetings.find((m) => m.id === never.id)).toMatchObject({ changed: false, reason: expect.stringMatching(/never held/) });

    expect((await getHabit(at(alice.id), slacker.id)).timesPerWeek).toBe(6);
    expect((await getMeeting(at(alice.id), late.id)).cadence).toBe('biweekly');
    expect(await eventTypes(slacker.id)).toContain('habits.habit.frequency_changed');
    expect(await eventTypes(steady.id)).toContain('habits.habit.frequency_changed');
    expect(await eventTypes(maxed.id)).not.toContain('habits.habit.frequency_changed');
    expect(await eventTypes(middling.id)).not.toContain('habits.habit.frequency_changed');
    expect(await eventTypes(late.id)).toContain('meetings.smart1to1.frequency_changed');
  });

  it('REST: only what is asked, 400 for a bad window, and another user\'s items are never touched', async () => {
    const bobs = await habitDoneOn(bob.id, 'Bob habit', 'daily', []);
    const habitsOnly = await callRoute(adaptRoute, { token: alice.token, body: { habits: true } });
    expect(habitsOnly.status).toBe(200);
    expect(habitsOnly.body.meetings).toBeNull();
    expect(habitsOnly.body.habits.habits.map((h: { id: string }) => h.id)).not.toContain(bobs.id);
    const meetingsOnly = await callRoute(adaptRoute, { token: alice.token, body: { meetings: true } });
    expect(meetingsOnly.body).toMatchObject({ habits: null, meetings: { evaluated: 2 } });
    const bad = await callRoute(adaptRoute, { token: alice.token, body: { windowDays: 3 } });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'validation_error', message: expect.stringMatching(/window-days must be between 7 and 90/) } } });
    expect((await getHabit(at(bob.id), bobs.id)).frequency).toBe('daily');
    expect(await eventTypes(bobs.id)).toEqual(['habits.habit.created']);
  });

  it('CLI: report tables, --json, and exit 2 for a bad window', async () => {
    const table = await cli(alice, 'adapt', '--habits', '--window-days', '14');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^habits: evaluated 4, updated \d+ \(window \d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}\)$/m);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+FREQUENCY\s+WHY$/m);
    expect(table.stdout).not.toMatch(/^meetings:/m);
    const json = JSON.parse((await cli(alice, 'adapt', '--meetings', '--json')).stdout);
    expect(json).toMatchObject({ habits: null, meetings: { evaluated: 2 } });
    const bad = await cli(alice, 'adapt', '--window-days', '200');
    expect({ code: bad.code, stderr: bad.stderr.trim() }).toEqual({ code: 2, stderr: 'orbita: window-days must be between 7 and 90' });
  });
});

describe('done <prefix>', () => {
  it('completes an open task or logs a due habit by prefix; ambiguous lists candidates (exit 2); other users\' ids are not found', async () => {
    const carol = await createUser(database.db, { name: 'Carol', timeZone: zone });
    const task = await database.db.task.create({ data: { id: 'abcd1111-0000-4000-8000-000000000001', userId: carol.id, title: 'Pay rent' } });
    const twin = await database.db.task.create({ data: { id: 'abcd2222-0000-4000-8000-000000000002', userId: carol.id, title: 'Pay tax' } });
    const habit = await createHabit(at(carol.id, 3), { name: 'Floss', frequency: 'daily' });

    const ambiguous = await cli(carol, 'done', 'ABCD');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/"abcd" matches 2 items, use a longer prefix: abcd1111 task "Pay rent", abcd2222 task "Pay tax"/);
    expect(ambiguous.stderr.trim().split('\n')).toHaveLength(1);

    const completed = await cli(carol, 'done', 'ABCD1');
    expect({ code: completed.code, stdout: completed.stdout.trim() }).toEqual({ code: 0, stdout: 'completed task abcd1111 "Pay rent"' });
    expect((await getTask(at(carol.id), task.id)).status).toBe('completed');
    // the completed task is no longer a candidate, so the shared prefix now names one task
    expect((await cli(carol, 'done', 'abcd')).stdout.trim()).toBe('completed task abcd2222 "Pay tax"');
    expect(await eventTypes(twin.id)).toEqual(['core.task.completed']);

    const logged = await cli(carol, 'done', habit.id.slice(0, 6), '--notes', 'after lunch');
    expect(logged.code).toBe(0);
    expect(logged.stdout.trim()).toBe(`logged "Floss" for ${localDaysAgo(0)} · streak 1 (best 1)`);
    const again = await cli(carol, 'done', habit.id.slice(0, 6));
    expect({ code: again.code, stderr: again.stderr.trim() }).toEqual({ code: 4, stderr: 'orbita: already logged today' });

    const bobsTask = await createTask(at(bob.id), { title: 'Bob task' });
    const foreign = await cli(carol, 'done', bobsTask.id);
    expect(foreign.code).toBe(4);
    expect(foreign.stderr).toMatch(/not found/);
    expect((await getTask(at(bob.id), bobsTask.id)).status).toBe('pending');
  });

  it('REST POST /api/v1/done: 404 for another user\'s prefix, 400 without a prefix', async () => {
    const bobsTask = await createTask(at(bob.id), { title: 'Bob only' });
    expect(await callRoute(doneRoute, { token: alice.token, body: { prefix: bobsTask.id } })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await callRoute(doneRoute, { token: alice.token, body: {} })).toMatchObject({ status: 400, body: { error: { code: 'validation_error', message: 'prefix is required' } } });
    const mine = await callRoute(doneRoute, { token: bob.token, body: { prefix: bobsTask.id.slice(0, 10) } });
    expect(mine).toMatchObject({ status: 200, body: { kind: 'task', task: { id: bobsTask.id, status: 'completed' } } });
  });
});
