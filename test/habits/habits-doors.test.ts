import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as collection from '../../app/api/v1/habits/route';
import * as item from '../../app/api/v1/habits/[id]/route';
import { POST as archiveRoute } from '../../app/api/v1/habits/[id]/archive/route';
import { GET as completionsRoute } from '../../app/api/v1/habits/[id]/completions/route';
import { POST as logRoute } from '../../app/api/v1/habits/[id]/log/route';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { createUser } from '../../lib/identity/users';
import { callRoute } from '../helpers/api';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { userWithToken } from '../helpers/users';

let database: TestDatabase;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
const zone = 'Europe/Berlin';


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

const today = () => DateTime.now().setZone(zone).toISODate()!;
const daysAgo = (n: number) => DateTime.now().setZone(zone).minus({ days: n }).toISODate()!;
const eventTypes = async (aggregateId: string) =>
  (await database.db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { sequence: 'asc' } })).map((e) => e.eventType);
const counts = async () => [await database.db.habit.count(), await database.db.habitCompletion.count(), await database.db.outboxEvent.count()];

describe('REST /api/v1/habits', () => {
  it('creates (201), shows, updates, logs (201), lists completions and archives, writing the events', async () => {
    const created = await callRoute(collection.POST, { token: alice.token, body: { name: 'Morning review', frequency: 'daily', durationMinutes: 15, preferredTime: 'morning' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Morning review', frequency: 'daily', timesPerWeek: 7, durationMinutes: 15, preferredTime: 'morning', streak: 0, dueToday: true });
    const id = created.body.id;
    const params = { id };
    expect((await callRoute(item.GET, { token: alice.token, params })).body).toMatchObject({ id, recentCompletions: [] });
    const patched = await callRoute(item.PATCH, { token: alice.token, method: 'PATCH', params, body: { frequency: 'custom', timesPerWeek: 6 } });
    expect(patched).toMatchObject({ status: 200, body: { frequency: 'custom', timesPerWeek: 6 } });

    const logged = await callRoute(logRoute, { token: alice.token, method: 'POST', params: { id: id.slice(0, 8) }, body: { notes: 'calm start' } });
    expect(logged.status).toBe(201);
    expect(logged.body).toMatchObject({ habit: { id, streak: 1, doneToday: true, totalDone: 1 }, completion: { date: today(), notes: 'calm start' } });
    const twice = await callRoute(logRoute, { token: alice.token, method: 'POST', params });
    expect(twice).toEqual({ status: 409, body: { error: { code: 'conflict', message: 'already logged today', details: { date: today() } } } });
    const back = await callRoute(logRoute, { token: alice.token, method: 'POST', params, body: { date: daysAgo(1) } });
    expect(back).toMatchObject({ status: 201, body: { habit: { streak: 2 }, completion: { date: daysAgo(1) } } });

    const page = await callRoute(completionsRoute, { token: alice.token, params, path: `/api/v1/habits/${id}/completions?limit=1` });
    expect(page.body).toMatchObject({ items: [{ date: today(), notes: 'calm start' }], nextCursor: expect.any(String) });
    const rest = await callRoute(completionsRoute, { token: alice.token, params, path: `/api/v1/habits/${id}/completions?limit=1&cursor=${page.body.nextCursor}` });
    expect(rest.body).toMatchObject({ items: [{ date: daysAgo(1) }], nextCursor: null });

    expect((await callRoute(archiveRoute, { token: alice.token, method: 'POST', params })).body).toMatchObject({ archived: true, dueToday: false, streak: 2 });
    expect((await callRoute(item.DELETE, { token: alice.token, method: 'DELETE', params })).status).toBe(200); // idempotent
    const closed = await callRoute(logRoute, { token: alice.token, method: 'POST', params, body: { date: daysAgo(2) } });
    expect(closed).toMatchObject({ status: 409, body: { error: { code: 'conflict', message: 'habit is archived: archived habits cannot be logged' } } });
    expect(await eventTypes(id)).toEqual([
      'habits.habit.created',
      'habits.habit.frequency_changed',
      'habits.habit.completed',
      'habits.habit.completed',
      'habits.habit.archived',
    ]);
  });

  it('lists with due/archived/limit/cursor from the query string', async () => {
    for (const name of ['one', 'two', 'three']) await callRoute(collection.POST, { token: bob.token, body: { name } });
    const gone = await callRoute(collection.POST, { token: bob.token, body: { name: 'gone' } });
    await callRoute(archiveRoute, { token: bob.token, method: 'POST', params: { id: gone.body.id } });
    const first = await callRoute(collection.GET, { token: bob.token, path: '/api/v1/habits?limit=2' });
    expect(first.body.items.map((h: { name: string }) => h.name)).toEqual(['one', 'two']);
    const second = await callRoute(collection.GET, { token: bob.token, path: `/api/v1/habits?limit=2&cursor=${first.body.nextCursor}` });
    expect(second.body).toMatchObject({ items: [{ name: 'three' }], nextCursor: null });
    expect((await callRoute(collection.GET, { token: bob.token, path: '/api/v1/habits?archived=true' })).body.items).toHaveLength(4);
    expect((await callRoute(collection.GET, { token: bob.token, path: '/api/v1/habits?due=true&archived=true' })).body.items).toHaveLength(3);
    for (const query of ['due=maybe', 'limit=0', 'archived=yes', 'colour=red']) {
      const bad = await callRoute(collection.GET, { token: bob.token, path: `/api/v1/habits?${query}` });
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'validation_error' } } });
    }
  });

  it('answers 400 naming the field for bad bodies and writes nothing, not even an outbox row', async () => {
    const target = (await callRoute(collection.POST, { token: alice.token, body: { name: 'target' } })).body;
    const before = await counts();
    for (const [body, message] of [
      [{ name: 'x', frequency: 'hourly' }, /^frequency must be one of daily, weekdays, weekends, weekly, custom$/],
      [{ name: 'x', frequency: 'custom' }, /timesPerWeek is required/],
      [{ name: 'x', frequency: 'weekly', timesPerWeek: 3 }, /timesPerWeek 3 contradicts frequency weekly/],
      [{ name: 'x', durationMinutes: 0 }, /duration must be between 1 and 480/],
      [{ name: 'x', durationMinutes: 10_000 }, /duration must be between 1 and 480/],
      [{ name: 'x', preferredTime: 'noon' }, /preferredTime must be one of/],
      [{ name: 'x'.repeat(501) }, /^name must be at most 500 characters$/],
      [{}, /name is required/],
    ] as const) {
      const result = await callRoute(collection.POST, { token: alice.token, body });
      expect(result.status).toBe(400);
      expect(result.body.error).toMatchObject({ code: 'validation_error', message: expect.stringMatching(message), details: { issues: expect.any(Array) } });
    }
    const params = { id: target.id };
    for (const [body, message] of [
      [{ date: '2026-13-01' }, /date must be a real date/],
      [{ date: '01/02/2026' }, /date must be a real date/],
      [{ date: DateTime.now().setZone(zone).plus({ days: 2 }).toISODate() }, /is in the future/],
      [{ date: daysAgo(400) }, /more than 365 days ago/],
      [{ notes: 'n'.repeat(2001) }, /notes must be at most 2000 characters/],
      [{ when: 'now' }, /when/],
    ] as const) {
      const result = await callRoute(logRoute, { token: alice.token, method: 'POST', params, body });
      expect(result.status).toBe(400);
      expect(result.body.error).toMatchObject({ code: 'validation_error', message: expect.stringMatching(message) });
    }
    const patch = await callRoute(item.PATCH, { token: alice.token, method: 'PATCH', params, body: { frequency: 'fortnightly' } });
    expect(patch).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/^frequency must be one of/) } } });
    const notJson = await callRoute(collection.POST, { token: alice.token, rawBody: '{"name":' });
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'validation_error', message: 'the request body must be JSON' } } });
    expect(await counts()).toEqual(before);
  });

  it('isolation: every route answers 404 for another user\'s habit and changes nothing', async () => {
    const theirs = (await callRoute(collection.POST, { token: bob.token, body: { name: 'Bob private', frequency: 'daily' } })).body;
    const params = { id: theirs.id };
    const before = await counts();
    const attempts = [
      await callRoute(item.GET, { token: alice.token, params }),
      await callRoute(item.PATCH, { token: alice.token, method: 'PATCH', params, body: { name: 'hacked' } }),
      await callRoute(item.DELETE, { token: alice.token, method: 'DELETE', params }),
      await callRoute(logRoute, { token: alice.token, method: 'POST', params, body: {} }),
      await callRoute(completionsRoute, { token: alice.token, params }),
      await callRoute(archiveRoute, { token: alice.token, method: 'POST', params }),
      await callRoute(item.GET, { token: alice.token, params: { id: theirs.id.slice(0, 8) } }),
      await callRoute(item.GET, { token: alice.token, params: { id: 'not-a-uuid' } }),
    ];
    for (const attempt of attempts) expect(attempt).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const list = await callRoute(collection.GET, { token: alice.token, path: '/api/v1/habits?archived=true&limit=200' });
    expect(list.body.items.map((h: { id: string }) => h.id)).not.toContain(theirs.id);
    expect(await counts()).toEqual(before);
    expect(await database.db.habit.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ name: 'Bob private', archived: false, totalDone: 0 });
    expect(await eventTypes(theirs.id)).toEqual(['habits.habit.created']);
  });
});

describe('orbita habit', () => {
  const cli = (user: { id: string }, ...args: string[]) => runCli(args, { DATABASE_URL: database.url, ORBITA_USER_ID: user.id });
  let carol: { id: string };
  beforeAll(async () => {
    carol = await createUser(database.db, { name: 'Carol', timeZone: zone });
  });

  it('create, list, log, show, update, completions, archive — by 8-char prefix, tables and --json', { timeout: 120_000 }, async () => {
    const created = await cli(carol, 'habit', 'create', 'Morning review', '--frequency', 'daily', '--duration', '15');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout.trim()).toMatch(/^created habit [0-9a-f]{8} "Morning review" \(daily, 15 min\)$/);
    const prefix = created.stdout.trim().split(' ')[2];
    const custom = JSON.parse((await cli(carol, 'habit', 'create', 'Gym', '--frequency', 'custom', '--times-per-week', '3', '--preferred-time', 'evening', '--description', 'legs', '--duration', '60', '--json')).stdout);
    expect(custom).toMatchObject({ name: 'Gym', frequency: 'custom', timesPerWeek: 3, preferredTime: 'evening', description: 'legs', durationMinutes: 60 });

    const logged = await cli(carol, 'habit', 'log', prefix, '--notes', 'calm start');
    expect(logged.stdout.trim()).toBe(`logged "Morning review" for ${today()} · streak 1 (best 1)`);
    const twice = await cli(carol, 'habit', 'log', prefix.toUpperCase());
    expect({ code: twice.code, stderr: twice.stderr.trim() }).toEqual({ code: 4, stderr: 'orbita: already logged today' });
    const back = await cli(carol, 'habit', 'log', prefix, '--date', daysAgo(1));
    expect(back.stdout.trim()).toBe(`logged "Morning review" for ${daysAgo(1)} · streak 2 (best 2)`);

    const list = await cli(carol, 'habit', 'list');
    expect(list.stdout).toMatch(/^ID\s+NAME\s+FREQUENCY\s+MIN\s+PREFERRED\s+STREAK\s+BEST\s+DUE$/m);
    expect(list.stdout).toMatch(new RegExp(`^${prefix}  Morning review\\s+daily\\s+15\\s+anytime\\s+2\\s+2\\s+done$`, 'm'));
    expect(list.stdout).toMatch(new RegExp(`^${custom.id.slice(0, 8)}  Gym\\s+custom 3/wk\\s+60\\s+evening\\s+0\\s+0\\s+yes$`, 'm'));
    expect((await cli(carol, 'habit', 'list', '--due', '--json')).stdout).toMatch(/"doneToday": true/);

    const shown = await cli(carol, 'habit', 'show', prefix);
    expect(shown.stdout).toMatch(/^name\s+Morning review$/m);
    expect(shown.stdout).toMatch(/^streak\s+2 \(best 2\)$/m);
    expect(shown.stdout).toMatch(new RegExp(`^${today()}\\s+\\d{2}:\\d{2}\\s+calm start$`, 'm'));

    const updated = await cli(carol, 'habit', 'update', prefix, '--times-per-week', '4', '--name', 'Evening review');
    expect(updated.stdout.trim()).toBe(`updated habit ${prefix} "Evening review" (custom 4/wk, 15 min)`);
    const completions = await cli(carol, 'habit', 'completions', prefix, '--limit', '1');
    expect(completions.stdout).toMatch(/^DATE\s+AT\s+NOTES$/m);
    expect(completions.stdout).toMatch(new RegExp(`more: orbita habit completions ${prefix} --cursor \\S+`));
    const archived = await cli(carol, 'habit', 'archive', prefix);
    expect(archived.stdout.trim()).toBe(`archived habit ${prefix} "Evening review" (archived)`);
    expect((await cli(carol, 'habit', 'list', '--archived')).stdout).toMatch(new RegExp(`^${prefix}  Evening review .*archived$`, 'm'));
    const id = (await database.db.habit.findFirstOrThrow({ where: { userId: carol.id, name: 'Evening review' } })).id;
    expect(await eventTypes(id)).toEqual(['habits.habit.created', 'habits.habit.completed', 'habits.habit.completed', 'habits.habit.frequency_changed', 'habits.habit.archived']);
  });

  it('bad flags: one line naming the field, exit 2, nothing written', { timeout: 120_000 }, async () => {
    const target = await database.db.habit.create({ data: { userId: carol.id, name: 'target', frequency: 'daily', timesPerWeek: 7 } });
    const before = await counts();
    const cases: [string[], RegExp][] = [
      [['create', 'x', '--frequency', 'hourly'], /^orbita: frequency must be one of daily, weekdays, weekends, weekly, custom$/],
      [['create', 'x', '--duration', '0'], /duration must be between 1 and 480/],
      [['create', 'x', '--duration', '10000'], /duration must be between 1 and 480/],
      [['create', 'x', '--times-per-week', '9'], /timesPerWeek must be a whole number between 1 and 7/],
      [['create', 'x', '--frequency', 'custom'], /timesPerWeek is required for frequency custom/],
      [['create', 'x', '--preferred-time', 'noon'], /preferredTime must be one of/],
      [['create', 'x'.repeat(501)], /^orbita: name must be at most 500 characters$/],
      [['log', target.id, '--date', '2026-02-30'], /date must be a real date/],
      [['log', target.id, '--date', DateTime.now().setZone(zone).plus({ days: 2 }).toISODate()!], /is in the future/],
      [['update', target.id, '--frequency', 'fortnightly'], /frequency must be one of/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(carol, 'habit', ...args)));
    results.forEach((result, i) => {
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toMatch(cases[i][1]);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
    expect(await counts()).toEqual(before);
  });

  it('isolation: every command answers not found (exit 4) for another user\'s habit', { timeout: 120_000 }, async () => {
    const theirs = await database.db.habit.create({ data: { userId: bob.id, name: 'Bob secret', frequency: 'daily', timesPerWeek: 7 } });
    const before = await counts();
    const commands = [['show'], ['update', '--name', 'x'], ['log'], ['completions'], ['archive']];
    const results = await Promise.all(commands.map(([verb, ...rest]) => cli(carol, 'habit', verb, theirs.id, ...rest)));
    for (const result of results) expect({ code: result.code, stderr: result.stderr.trim() }).toEqual({ code: 4, stderr: `orbita: habit ${theirs.id} not found` });
    expect(await counts()).toEqual(before);
    expect(await database.db.habit.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ name: 'Bob secret', archived: false });
  });
});
