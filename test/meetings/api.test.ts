import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as archiveRoute } from '../../app/api/v1/meetings/[id]/archive/route';
import { POST as heldRoute } from '../../app/api/v1/meetings/[id]/held/route';
import { DELETE as deleteRoute, GET as getRoute, PATCH as patchRoute } from '../../app/api/v1/meetings/[id]/route';
import { GET as listRoute, POST as createRoute } from '../../app/api/v1/meetings/route';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { callRoute } from '../helpers/api';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { userWithToken } from '../helpers/users';

let database: TestDatabase;
let alice: { id: string; token: string };
let bob: { id: string; token: string };


beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  alice = await userWithToken(database.db, 'Alice', 'America/New_York');
  bob = await userWithToken(database.db, 'Bob', 'Europe/Berlin');
});
afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});

type Handler = Parameters<typeof callRoute>[0];

/** Calls a meetings route handler as Next.js does: Bearer token, JSON body, path params. */
const call = (handler: Handler, token: string, options: { method?: string; path?: string; id?: string; body?: unknown; raw?: string } = {}) =>
  callRoute(handler, { token, method: options.method, path: options.path ?? '/api/v1/meetings', body: options.body, rawBody: options.raw, params: { id: options.id ?? '' } });

const eventsOf = (aggregateId: string) => database.db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { sequence: 'asc' } });

describe('REST /api/v1/meetings', () => {
  it('creates, lists, shows, updates, records held and archives, with an outbox event for each change', async () => {
    const created = await call(createRoute, alice.token, { body: { name: 'Alex', cadence: 'weekly', durationMinutes: 30, time: '10:00' } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ name: 'Alex', cadence: 'weekly', intervalDays: 7, durationMinutes: 30, time: '10:00', lastHeldAt: null, archived: false });
    expect(created.body.nextOccurrence).toMatch(/^\d{4}-\d{2}-\d{2}T10:00:00-0[45]:00$/);

    const listed = await call(listRoute, alice.token);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: [created.body], nextCursor: null });

    expect((await call(getRoute, alice.token, { id: id.slice(0, 8) })).body).toEqual(created.body);

    const patched = await call(patchRoute, alice.token, { method: 'PATCH', id, body: { cadence: 'biweekly' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ cadence: 'biweekly', intervalDays: 14 });

    const held = await call(heldRoute, alice.token, { id, body: { date: '2024-02-02', time: '09:30' } });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ heldAt: '2024-02-02T09:30:00-05:00', meeting: { id, lastHeldAt: '2024-02-02T09:30:00-05:00' } });
    const heldNow = await call(heldRoute, alice.token, { id, raw: '' }); // empty body: now
    expect(heldNow.status).toBe(200);
    expect(Date.parse(heldNow.body.meeting.lastHeldAt)).toBeGreaterThan(Date.now() - 60_000);

    const archived = await call(archiveRoute, alice.token, { id });
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ archived: true, nextOccurrence: null, dueToday: false });
    const again = await call(deleteRoute, alice.token, { method: 'DELETE', id });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(archived.body);

    expect((await call(listRoute, alice.token)).body.items).toEqual([]);
    expect((await call(listRoute, alice.token, { path: '/api/v1/meetings?archived=true' })).body.items.map((m: { id: string }) => m.id)).toEqual([id]);
    const conflict = await call(patchRoute, alice.token, { method: 'PATCH', id, body: { name: 'Alexandra' } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/archived/) });
    expect((await call(heldRoute, alice.token, { id, body: {} })).status).toBe(409);

    const events = await eventsOf(id);
    expect(events.map((e) => e.eventType)).toEqual([
      'meetings.meeting.created',
      'meetings.meeting.updated',
      'meetings.meeting.held',
      'meetings.meeting.held',
      'meetings.meeting.archived',
    ]);
    expect(events.every((e) => (e.metadata as { userId: string }).userId === alice.id)).toBe(true);
    expect(events[1].payload).toMatchObject({ meeting: patched.body, changed: ['cadence', 'intervalDays'] });
    expect(events[2].payload).toEqual({ meeting: held.body.meeting, heldAt: '2024-02-02T09:30:00-05:00' });
    expect(events[4].payload).toEqual({ meeting: archived.body });
  });

  it('pages the list with limit and cursor', async () => {
    for (const name of ['P1', 'P2', 'P3']) await call(createRoute, bob.token, { body: { name, cadence: 'custom', intervalDays: 3 } });
    const first = await call(listRoute, bob.token, { path: '/api/v1/meetings?limit=2' });
    expect(first.body.items).toHaveLength(2);
    const second = await call(listRoute, bob.token, { path: `/api/v1/meetings?limit=2&cursor=${first.body.nextCursor}` });
    expect(second.body).toMatchObject({ items: [expect.anything()], nextCursor: null });
    expect([...first.body.items, ...second.body.items].map((m: { name: string }) => m.name).sort()).toEqual(['P1', 'P2', 'P3']);
    const bad = await call(listRoute, bob.token, { path: '/api/v1/meetings?limit=0' });
    expect(bad.status).toBe(400);
  });

  it('answers 404 for another user\'s meeting on every route and changes nothing', async () => {
    const mine = (await call(createRoute, alice.token, { body: { name: 'Only mine' } })).body;
    const before = await database.db.meeting.findUniqueOrThrow({ where: { id: mine.id } });
    const attempts = [
      await call(getRoute, bob.token, { id: mine.id }),
      await call(getRoute, bob.token, { id: mine.id.slice(0, 8) }),
      await call(patchRoute, bob.token, { method: 'PATCH', id: mine.id, body: { name: 'taken' } }),
      await call(deleteRoute, bob.token, { method: 'DELETE', id: mine.id }),
      await call(heldRoute, bob.token, { id: mine.id, body: {} }),
      await call(archiveRoute, bob.token, { id: mine.id }),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(404);
      expect(attempt.body).toEqual({ error: { code: 'not_found', message: expect.stringMatching(/^meeting .* not found$/) } });
    }
    expect((await call(listRoute, bob.token)).body.items.map((m: { id: string }) => m.id)).not.toContain(mine.id);
    expect(await database.db.meeting.findUniqueOrThrow({ where: { id: mine.id } })).toEqual(before);
    expect((await eventsOf(mine.id)).map((e) => e.eventType)).toEqual(['meetings.meeting.created']);
  });

  it('answers 400 validation_error JSON naming the field for bad input, writing nothing', async () => {
    const target = (await call(createRoute, alice.token, { body: { name: 'Target' } })).body;
    const meetings = await database.db.meeting.count();
    const events = await database.db.outboxEvent.count();
    const cases: [Handler, { method?: string; id?: string; body?: unknown; raw?: string }, RegExp][] = [
      [createRoute, { body: { name: 'x', cadence: 'daily' } }, /^cadence must be one of weekly, biweekly, monthly, custom/],
      [createRoute, { body: { name: 'x', durationMinutes: 0 } }, /^duration must be between 5 and 480 minutes/],
      [createRoute, { body: { name: 'x', durationMinutes: 10_000 } }, /^duration must be between 5 and 480 minutes/],
      [createRoute, { body: { name: 'x', time: '25:00' } }, /^time must be a time between 00:00 and 23:59/],
      [createRoute, { body: { name: 'x'.repeat(501) } }, /^name must be at most 500 characters/],
      [createRoute, { body: { name: 'x', cadence: 'custom' } }, /^intervalDays is required/],
      [createRoute, { raw: '{not json' }, /JSON/],
      [patchRoute, { method: 'PATCH', id: target.id, body: { cadence: 'fortnightly' } }, /^cadence must be one of/],
      [patchRoute, { method: 'PATCH', id: target.id, body: { durationMinutes: 10_000 } }, /^duration must be between 5 and 480/],
      [patchRoute, { method: 'PATCH', id: target.id, body: { time: '25:00' } }, /^time must be a time/],
      [patchRoute, { method: 'PATCH', id: target.id, body: { cadence: 'weekly', intervalDays: 9 } }, /^intervalDays 9 contradicts cadence weekly/],
      [heldRoute, { id: target.id, body: { date: '2024-13-01' } }, /^date must be a real date written YYYY-MM-DD/],
      [heldRoute, { id: target.id, body: { date: '2999-01-01' } }, /^date 2999-01-01 is in the future/],
      [heldRoute, { id: target.id, body: { time: '25:00' } }, /^time must be a time/],
    ];
    for (const [handler, options, message] of cases) {
      const result = await call(handler, alice.token, options);
      expect(result.status, JSON.stringify(options)).toBe(400);
      expect(result.body.error, JSON.stringify(options)).toMatchObject({ code: 'validation_error', message: expect.stringMatching(message) });
      if (!options.raw) expect(result.body.error.details).toBeDefined();
    }
    expect(await database.db.meeting.count()).toBe(meetings);
    expect(await database.db.outboxEvent.count()).toBe(events);
    expect((await call(getRoute, alice.token, { id: target.id })).body).toEqual(target);
  });
});
