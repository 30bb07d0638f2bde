import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Prisma } from '../../lib/generated/prisma/client';
import { createUser } from '../../lib/identity/users';
import { blocksBetween } from '../../lib/scheduling/blocks';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

// blocksBetween reads with raw SQL for speed; it must give exactly what the ORM gives, field for
// field, for every column of the model (a column added to the model and not to the query fails here),
// plus the due time of the open task a block plans (for its flag).
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

it('returns the same rows, fields and order as findMany, for every type, status and source', async () => {
  const { id: userId } = await createUser(database.db, { name: 'Raw', timeZone: 'Europe/Berlin' });
  const { id: otherId } = await createUser(database.db, { name: 'Other', timeZone: 'Europe/Berlin' });
  const dueAt = new Date('2026-05-04T10:00:00Z');
  const open = await database.db.task.create({ data: { userId, title: 'Open', dueAt } });
  const done = await database.db.task.create({ data: { userId, title: 'Done', dueAt, status: 'completed' } });
  const base = Date.parse('2026-05-04T06:00:00Z');
  const at = (minutes: number) => new Date(base + minutes * 60_000);
  const types = ['task', 'habit', 'meeting', 'focus', 'break', 'event'] as const;
  const statuses = ['planned', 'completed', 'missed'] as const;
  await database.db.scheduleBlock.createMany({
    data: [
      ...types.map((type, i) => ({
        userId,
        type,
        title: `Block ${type}`,
        startAt: at(i * 30),
        endAt: at(i * 30 + 20),
        status: statuses[i % statuses.length],
        referenceId: i % 2 ? randomUUID() : null,
        syncedHash: i % 2 ? `hash-${i}` : null,
        syncedAt: i % 2 ? at(-60) : null,
      })),
      // Imported blocks may overlap, and carry their calendar ids.
      { userId, type: 'event', source: 'imported', title: 'Imported', startAt: at(0), endAt: at(45), externalCalendarId: 'primary', externalEventId: 'ev1' },
      // Same start as the one above: ordered by end, then id.
      { userId, type: 'event', source: 'imported', title: 'Imported later end', startAt: at(0), endAt: at(90), externalCalendarId: 'primary', externalEventId: 'ev2' },
      // Blocks of an open and of a completed task with due times (pinned, one of them).
      { userId, type: 'task', title: 'Open task', referenceId: open.id, startAt: at(200), endAt: at(230), pinned: true },
      { userId, type: 'task', title: 'Done task', referenceId: done.id, startAt: at(240), endAt: at(270) },
      // Outside the window, and another user's block inside it: neither comes back.
      { userId, type: 'task', title: 'Tomorrow', startAt: at(24 * 60), endAt: at(24 * 60 + 30) },
      { userId: otherId, type: 'task', title: 'Not mine', startAt: at(10), endAt: at(20) },
    ] satisfies Prisma.ScheduleBlockCreateManyInput[],
  });

  const start = at(-30);
  const end = at(8 * 60);
  const raw = await blocksBetween(database.db, userId, start, end);
  const orm = await database.db.scheduleBlock.findMany({
    where: { userId, startAt: { lt: end }, endAt: { gt: start } },
    orderBy: [{ startAt: 'asc' }, { endAt: 'asc' }, { id: 'asc' }],
  });
  expect(raw).toHaveLength(10);
  expect(raw.map(({ taskDueAt: _, ...row }) => row)).toEqual(orm);
  expect(Object.keys(raw[0]).sort()).toEqual([...Object.keys(Prisma.ScheduleBlockScalarFieldEnum), 'taskDueAt'].sort());
  // Only the open task's block carries its due time.
  expect(raw.filter((b) => b.taskDueAt !== null).map((b) => [b.title, b.taskDueAt])).toEqual([['Open task', dueAt]]);
  // Blocks that only touch the window's edge are not in it (three start exactly at its end).
  expect(await blocksBetween(database.db, userId, at(-30), at(0))).toEqual([]);
});
