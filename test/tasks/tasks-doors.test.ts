import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as collection from '../../app/api/v1/tasks/route';
import * as item from '../../app/api/v1/tasks/[id]/route';
import { POST as archiveRoute } from '../../app/api/v1/tasks/[id]/archive/route';
import { POST as completeRoute } from '../../app/api/v1/tasks/[id]/complete/route';
import { POST as startRoute } from '../../app/api/v1/tasks/[id]/start/route';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { callRoute } from '../helpers/api';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { userWithToken } from '../helpers/users';

let database: TestDatabase;
let alice: { id: string; token: string };
let bob: { id: string; token: string };


beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  alice = await userWithToken(database.db, 'Alice', 'Europe/Berlin');
  bob = await userWithToken(database.db, 'Bob', 'Europe/Berlin');
});
afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});

const eventTypes = async (aggregateId: string) =>
  (await database.db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { sequence: 'asc' } })).map((e) => e.eventType);

describe('REST /api/v1/tasks', () => {
  it('creates (201), shows, updates, starts, completes and archives, writing one event per change', async () => {
    const created = await callRoute(collection.POST, { token: alice.token, body: { title: 'Ship it', priority: 'high', due: '2026-12-01T17:00', durationMinutes: 60 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Ship it', priority: 'high', due: '2026-12-01T17:00:00+01:00', status: 'pending' });
    const id = created.body.id;
    const params = { id };
    expect((await callRoute(item.GET, { token: alice.token, params })).body.id).toBe(id);
    const patched = await callRoute(item.PATCH, { token: alice.token, method: 'PATCH', params, body: { title: 'Ship it now', version: 1 } });
    expect(patched).toMatchObject({ status: 200, body: { title: 'Ship it now', version: 2 } });
    expect((await callRoute(startRoute, { token: alice.token, method: 'POST', params })).body.status).toBe('in_progress');
    expect((await callRoute(completeRoute, { token: alice.token, method: 'POST', params })).body.status).toBe('completed');
    const again = await callRoute(completeRoute, { token: alice.token, method: 'POST', params });
    expect(again).toEqual({ status: 409, body: { error: { code: 'conflict', message: 'task is already completed' } } });
    expect((await callRoute(archiveRoute, { token: alice.token, method: 'POST', params })).body.status).toBe('archived');
    expect((await callRoute(item.DELETE, { token: alice.token, method: 'DELETE', params })).status).toBe(200);
    expect(await eventTypes(id)).toEqual(['core.task.created', 'core.task.updated', 'core.task.started', 'core.task.completed', 'core.task.archived']);
  });

  it('lists with filters from the query string and cursor pages', async () => {
    for (const title of ['one', 'two', 'three']) await callRoute(collection.POST, { token: alice.token, body: { title, priority: 'low' } });
    const first = await callRoute(collection.GET, { token: alice.token, path: '/api/v1/tasks?priority=low&sort=created&limit=2' });
    expect(first.status).toBe(200);
    expect(first.body.items.map((t: { title: string }) => t.title)).toEqual(['one', 'two']);
    const second = await callRoute(collection.GET, { token: alice.token, path: `/api/v1/tasks?priority=low&sort=created&limit=2&cursor=${first.body.nextCursor}` });
    expect(second.body).toMatchObject({ items: [{ title: 'three' }], nextCursor: null });
    const bad = await callRoute(collection.GET, { token: alice.token, path: '/api/v1/tasks?sort=colour' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_error', message: expect.stringMatching(/sort must be one of/) });
  });

  it('answers 400 with the field for bad bodies and writes nothing', async () => {
    const before = await database.db.outboxEvent.count();
    for (const [body, message] of [
      [{ title: 'x'.repeat(501) }, /title must be at most 500/],
      [{ title: 'x', durationMinutes: 0 }, /duration/],
      [{ title: 'x', durationMinutes: 10_000 }, /duration/],
      [{ title: 'x', due: '2026-13-40' }, /due/],
      [{}, /title is required/],
    ] as const) {
      const result = await callRoute(collection.POST, { token: alice.token, body });
      expect(result.status).toBe(400);
      expect(result.body.error).toMatchObject({ code: 'validation_error', message: expect.stringMatching(message), details: { issues: expect.any(Array) } });
    }
    const notJson = await callRoute(collection.POST, { token: alice.token, rawBody: '{"title":' });
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'validation_error', message: 'the request body must be JSON' } } });
    expect(await database.db.outboxEvent.count()).toBe(before);
  });

  it('isolation: every route answers 404 for another user\'s task and changes nothing', async () => {
    const theirs = (await callRoute(collection.POST, { token: bob.token, body: { title: 'Bob private' } })).body;
    const params = { id: theirs.id };
    const attempts = [
      await callRoute(item.GET, { token: alice.token, params }),
      await callRoute(item.PATCH, { token: alice.token, method: 'PATCH', params, body: { title: 'hacked' } }),
      await callRoute(item.DELETE, { token: alice.token, method: 'DELETE', params }),
      await callRoute(startRoute, { token: alice.token, method: 'POST', params }),
      await callRoute(completeRoute, { token: alice.token, method: 'POST', params }),
      await callRoute(archiveRoute, { token: alice.token, method: 'POST', params }),
      await callRoute(item.GET, { token: alice.token, params: { id: 'not-a-uuid' } }),
    ];
    for (const attempt of attempts) expect(attempt).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const list = await callRoute(collection.GET, { token: alice.token, path: '/api/v1/tasks?limit=200' });
    expect(list.body.items.map((t: { id: string }) => t.id)).not.toContain(theirs.id);
    expect(await database.db.task.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ title: 'Bob private', status: 'pending', version: 1 });
    expect(await eventTypes(theirs.id)).toEqual(['core.task.created']);
  });
});

describe('orbita task', () => {
  const cli = (user: { id: string }, ...args: string[]) => runCli(args, { DATABASE_URL: database.url, ORBITA_USER_ID: user.id });

  it('create, list, show, update, start, complete, archive — by 8-char prefix, tables and --json', async () => {
    // The CLI runs on the real clock: a due date a week from today is never overdue (no `!`).
    const due = DateTime.now().setZone('Europe/Berlin').plus({ days: 7 }).toISODate()!;
    const created = await cli(alice, 'task', 'create', 'Draft plan', '--priority', 'urgent', '--duration', '25', '--due', due, '--json');
    expect(created.stderr).toBe('');
    const task = JSON.parse(created.stdout);
    const prefix = task.id.slice(0, 8);
    const list = await cli(alice, 'task', 'list', '--priority', 'urgent');
    expect(list.stdout).toMatch(/^ID\s+TITLE\s+STATUS\s+PRIORITY\s+DUE\s+MIN$/m);
    expect(list.stdout).toMatch(new RegExp(`^${prefix}  Draft plan\\s+pending\\s+urgent\\s+${due}\\s+25$`, 'm'));
    const shown = await cli(alice, 'task', 'show', prefix.toUpperCase());
    expect(shown.stdout).toMatch(/^title\s+Draft plan$/m);
    const updated = await cli(alice, 'task', 'update', prefix, '--title', 'Final plan', '--due', 'none', '--if-version', '1');
    expect(updated.stdout.trim()).toBe(`updated task ${prefix} "Final plan" (pending)`);
    expect((await cli(alice, 'task', 'start', prefix)).stdout.trim()).toBe(`started task ${prefix} "Final plan" (in_progress)`);
    expect((await cli(alice, 'task', 'complete', prefix)).code).toBe(0);
    const twice = await cli(alice, 'task', 'complete', prefix);
    expect({ code: twice.code, stderr: twice.stderr.trim() }).toEqual({ code: 4, stderr: 'orbita: task is already completed' });
    expect((await cli(alice, 'task', 'archive', prefix, '--json')).stdout).toMatch(/"status": "archived"/);
    expect(await eventTypes(task.id)).toEqual(['core.task.created', 'core.task.updated', 'core.task.started', 'core.task.completed', 'core.task.archived']);
  });

  it('bad flags: one line naming the field, exit 2, nothing written', async () => {
    const before = await database.db.task.count();
    for (const [args, message] of [
      [['--duration', '0'], /duration must be between 5 and 480/],
      [['--duration', '10000'], /duration must be between 5 and 480/],
      [['--duration', 'long'], /duration must be a whole number/],
      [['--due', '2026-02-30'], /due must be a date/],
      [['--priority', 'huge'], /priority must be one of/],
    ] as const) {
      const result = await cli(alice, 'task', 'create', 'x', ...args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    const long = await cli(alice, 'task', 'create', 'x'.repeat(501));
    expect({ code: long.code, stderr: long.stderr.trim() }).toEqual({ code: 2, stderr: 'orbita: title must be at most 500 characters' });
    expect(await database.db.task.count()).toBe(before);
  });

  it('isolation: every command answers not found (exit 4) for another user\'s task', async () => {
    const theirs = await database.db.task.create({ data: { userId: bob.id, title: 'Bob secret' } });
    for (const command of [['show'], ['update', '--title', 'x'], ['start'], ['complete'], ['archive']]) {
      const [verb, ...rest] = command;
      const result = await cli(alice, 'task', verb, theirs.id, ...rest);
      expect(result.code).toBe(4);
      expect(result.stderr.trim()).toBe(`orbita: task ${theirs.id} not found`);
    }
    expect(await database.db.task.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ title: 'Bob secret', status: 'pending' });
  });
});
