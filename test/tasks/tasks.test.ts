import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../lib/context';
import { toAppError } from '../../lib/http/errors';
import { createUser } from '../../lib/identity/users';
import {
  archiveTask,
  completeTask,
  createTask,
  getTask,
  listTasks,
  startTask,
  updateTask,
} from '../../lib/tasks/service';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let ctx: ServiceContext;
const clock = new Date('2026-03-10T15:00:00Z'); // 11:00 in New York (EDT since Mar 8)

beforeAll(async () => {
  database = await createTestDatabase();
  const user = await createUser(database.db, { name: 'Tess', timeZone: 'America/New_York' });
  ctx = { db: database.db, userId: user.id, now: () => clock };
});
afterAll(async () => database?.drop());

const eventsOf = (aggregateId: string) =>
  database.db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { sequence: 'asc' } });

describe('tasks', () => {
  it('creates a task with defaults, times in the user zone, and a created event in the same transaction', async () => {
    const task = await createTask(ctx, { title: '  Write the report ' });
    expect(task).toMatchObject({
      title: 'Write the report',
      status: 'pending',
      priority: 'none',
      durationMinutes: null,
      due: null,
      version: 1,
      createdAt: '2026-03-10T11:00:00-04:00',
    });
    const events = await eventsOf(task.id);
    expect(events.map((e) => e.eventType)).toEqual(['core.task.created']);
    expect(events[0]).toMatchObject({ aggregateType: 'task', metadata: { userId: ctx.userId }, payload: { task: { id: task.id, title: 'Write the report' } } });
  });

  it('reads a due date as the end of that local day and a date-time without offset in the user zone', async () => {
    const byDate = await createTask(ctx, { title: 'by date', due: '2026-03-12' });
    expect(byDate.due).toBe('2026-03-12');
    expect(byDate.dueAt).toBe('2026-03-12T23:59:59.999-04:00');
    const byTime = await createTask(ctx, { title: 'by time', due: '2026-03-12T17:30' });
    expect(byTime.due).toBe('2026-03-12T17:30:00-04:00');
    const withOffset = await createTask(ctx, { title: 'with offset', due: '2026-03-12T17:30:00Z' });
    expect(withOffset.due).toBe('2026-03-12T13:30:00-04:00');
  });

  it('start → complete → complete again is "already completed"; archive is idempotent and final', async () => {
    const task = await createTask(ctx, { title: 'lifecycle', priority: 'high', durationMinutes: 45 });
    expect((await startTask(ctx, task.id)).status).toBe('in_progress');
    await expect(startTask(ctx, task.id)).rejects.toMatchObject({ code: 'conflict', message: 'task is already in progress' });
    const done = await completeTask(ctx, task.id);
    expect(done).toMatchObject({ status: 'completed', completedAt: '2026-03-10T11:00:00-04:00', version: 3 });
    await expect(completeTask(ctx, task.id)).rejects.toMatchObject({ code: 'conflict', message: 'task is already completed' });
    const archived = await archiveTask(ctx, task.id);
    expect(archived.status).toBe('archived');
    expect((await archiveTask(ctx, task.id)).version).toBe(archived.version);
    await expect(updateTask(ctx, task.id, { title: 'edited' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/archived/) });
    await expect(startTask(ctx, task.id)).rejects.toMatchObject({ code: 'conflict' });
    expect((await eventsOf(task.id)).map((e) => e.eventType)).toEqual([
      'core.task.created',
      'core.task.started',
      'core.task.completed',
      'core.task.archived',
    ]);
  });

  it('updates any field, clears with null, records what changed, and honours the optimistic version', async () => {
    const task = await createTask(ctx, { title: 'editable', description: 'old', due: '2026-03-20', durationMinutes: 30 });
    const updated = await updateTask(ctx, task.id, { title: 'edited', description: null, priority: 'urgent', due: null, durationMinutes: 90, version: 1 });
    expect(updated).toMatchObject({ title: 'edited', description: null, priority: 'urgent', due: null, durationMinutes: 90, version: 2 });
    const event = (await eventsOf(task.id)).at(-1)!;
    expect(event.eventType).toBe('core.task.updated');
    expect((event.payload as { changed: string[] }).changed.sort()).toEqual(['description', 'due', 'dueAt', 'durationMinutes', 'priority', 'title']);
    await expect(updateTask(ctx, task.id, { title: 'stale', version: 1 })).rejects.toMatchObject({ code: 'conflict', details: { version: 2 } });
    expect((await getTask(ctx, task.id)).title).toBe('edited');
    const reopened = await updateTask(ctx, task.id, { status: 'completed' });
    expect(reopened.completedAt).not.toBeNull();
    expect((await updateTask(ctx, task.id, { status: 'pending' })).completedAt).toBeNull();
  });

  it('accepts id prefixes case-insensitively and reports ambiguity with candidates', async () => {
    const task = await createTask(ctx, { title: 'prefixed' });
    expect((await getTask(ctx, task.id.slice(0, 8).toUpperCase())).id).toBe(task.id);
    await expect(getTask(ctx, '')).rejects.toMatchObject({ code: 'not_found' });
    const error = await getTask(ctx, '-').catch((e) => e); // matches nothing: ids start with hex
    expect(error.code).toBe('not_found');
    const all = (await listTasks(ctx, { limit: 200 })).items;
    const firstDigit = [...'0123456789abcdef'].find((c) => all.filter((t) => t.id.startsWith(c)).length > 1);
    if (firstDigit) await expect(getTask(ctx, firstDigit)).rejects.toMatchObject({ code: 'validation_error', details: { candidates: expect.any(Array) } });
  });

  it('rejects bad input naming the field, writing nothing', async () => {
    const before = await database.db.task.count();
    const eventsBefore = await database.db.outboxEvent.count();
    const cases: [object, RegExp][] = [
      [{ title: '' }, /title/],
      [{ title: 'x'.repeat(501) }, /title must be at most 500/],
      [{ title: 'x', durationMinutes: 0 }, /duration must be between 5 and 480/],
      [{ title: 'x', durationMinutes: 10_000 }, /duration must be between 5 and 480/],
      [{ title: 'x', priority: 'huge' }, /priority must be one of/],
      [{ title: 'x', due: '2026-02-30' }, /due must be a date/],
      [{ title: 'x', due: 'tomorrow' }, /due must be a date/],
      [{ title: 'x', colour: 'red' }, /colour/],
    ];
    for (const [input, message] of cases) {
      const error = await createTask(ctx, input as never).catch((e: unknown) => e);
      expect(toAppError(error)?.message).toMatch(message);
      expect(toAppError(error)?.code).toBe('validation_error');
    }
    await expect(updateTask(ctx, (await listTasks(ctx)).items[0].id, {})).rejects.toThrow(/nothing to update/);
    expect(await database.db.task.count()).toBe(before);
    expect(await database.db.outboxEvent.count()).toBe(eventsBefore);
  });
});

describe('task lists', () => {
  let listCtx: ServiceContext;
  beforeAll(async () => {
    const user = await createUser(database.db, { name: 'Lister', timeZone: 'Europe/Berlin' });
    let tick = 0; // each task a second later, so "created" order is the creation order
    listCtx = { db: database.db, userId: user.id, now: () => new Date(Date.parse('2026-03-10T09:00:00Z') + 1000 * tick++) }; // ~10:00 in Berlin
    await createTask(listCtx, { title: 'low later', priority: 'low', due: '2026-03-20' });
    await createTask(listCtx, { title: 'urgent no due', priority: 'urgent' });
    await createTask(listCtx, { title: 'high overdue', priority: 'high', due: '2026-03-09T12:00' });
    await createTask(listCtx, { title: 'due today', priority: 'medium', due: '2026-03-10' });
    await createTask(listCtx, { title: 'urgent due soon', priority: 'urgent', due: '2026-03-11' });
    const gone = await createTask(listCtx, { title: 'archived', priority: 'urgent' });
    await archiveTask(listCtx, gone.id);
    const done = await createTask(listCtx, { title: 'done overdue', due: '2026-03-01' });
    await completeTask(listCtx, done.id);
  });
  const titles = async (input: object) => (await listTasks(listCtx, input)).items.map((t) => t.title);

  it('sorts by priority (urgent first, earliest due, no due last) and leaves archived out by default', async () => {
    expect(await titles({})).toEqual(['urgent due soon', 'urgent no due', 'high overdue', 'due today', 'low later', 'done overdue']);
    expect(await titles({ sort: 'due' })).toEqual(['done overdue', 'high overdue', 'due today', 'urgent due soon', 'low later', 'urgent no due']);
    expect(await titles({ sort: 'created' })).toEqual(['low later', 'urgent no due', 'high overdue', 'due today', 'urgent due soon', 'done overdue']);
  });

  it('filters by status, priority, overdue, due today and due before/after', async () => {
    expect(await titles({ status: 'archived' })).toEqual(['archived']);
    expect(await titles({ status: ['completed', 'archived'], sort: 'created' })).toEqual(['archived', 'done overdue']);
    expect(await titles({ priority: 'urgent,high' })).toEqual(['urgent due soon', 'urgent no due', 'high overdue']);
    expect(await titles({ overdue: 'true' })).toEqual(['high overdue']);
    expect(await titles({ dueToday: true })).toEqual(['due today']);
    expect(await titles({ dueBefore: '2026-03-11', sort: 'due' })).toEqual(['done overdue', 'high overdue', 'due today']);
    expect(await titles({ dueAfter: '2026-03-10', sort: 'due' })).toEqual(['urgent due soon', 'low later']);
  });

  it('pages with an opaque cursor through every sort order without gaps or repeats', async () => {
    for (const sort of ['priority', 'due', 'created']) {
      const all = await titles({ sort });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listTasks(listCtx, { sort: sort as 'due', limit: 2, cursor });
        seen.push(...page.items.map((t) => t.title));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(all);
    }
  });

  it('rejects a forged cursor and another user\'s cursor', async () => {
    await expect(listTasks(listCtx, { cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({ code: 'validation_error' });
    const theirs = (await listTasks(ctx, { limit: 1 })).nextCursor!;
    await expect(listTasks(listCtx, { cursor: theirs })).rejects.toMatchObject({ code: 'validation_error' });
    await expect(listTasks(listCtx, { limit: 0 })).rejects.toThrow(/limit must be between 1 and 200/);
  });
});
