import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../lib/context';
import { toAppError } from '../../lib/http/errors';
import { createUser } from '../../lib/identity/users';
import {
  addBlock,
  completeBlock,
  freeSlots,
  getBlock,
  isOverlapViolation,
  listBlocks,
  markMissedBlocks,
  moveBlock,
  removeBlock,
  scheduleDay,
  scheduleWeek,
} from '../../lib/scheduling/blocks';
import { createTask } from '../../lib/tasks/service';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
// Monday 2026-03-30, 08:00 in Berlin (CEST, +02:00).
const clock = new Date('2026-03-30T06:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

async function newUser(timeZone = 'Europe/Berlin', now: Date = clock): Promise<ServiceContext> {
  const user = await createUser(database.db, { name: 'Sam', timeZone });
  return { db: database.db, userId: user.id, now: () => now };
}

const eventsOf = (aggregateId: string) => database.db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { sequence: 'asc' } });
const userEvents = (userId: string) => database.db.outboxEvent.findMany({ where: { metadata: { path: ['userId'], equals: userId } }, orderBy: { sequence: 'asc' } });

/** An imported calendar event, written the way the import does (no overlap check). */
function importEvent(ctx: ServiceContext, title: string, start: string, end: string) {
  return database.db.scheduleBlock.create({
    data: { userId: ctx.userId, type: 'event', title, startAt: new Date(start), endAt: new Date(end), source: 'imported', externalCalendarId: 'primary', externalEventId: `ev-${title}` },
  });
}

describe('addBlock', () => {
  it('adds a block on a local date, shows it in the user zone and records scheduling.block.scheduled', async () => {
    const ctx = await newUser();
    const block = await addBlock(ctx, { type: 'focus', title: ' Deep work ', date: '2026-03-31', start: '09:00', end: '10:30' });
    expect(block).toMatchObject({
      type: 'focus',
      title: 'Deep work',
      referenceId: null,
      start: '2026-03-31T09:00:00+02:00',
      end: '2026-03-31T10:30:00+02:00',
      date: '2026-03-31',
      startTime: '09:00',
      endTime: '10:30',
      minutes: 90,
      status: 'planned',
      source: 'orbita',
      externalCalendarId: null,
      externalEventId: null,
      createdAt: '2026-03-30T08:00:00+02:00',
    });
    const events = await eventsOf(block.id);
    expect(events.map((e) => e.eventType)).toEqual(['scheduling.block.scheduled']);
    expect(events[0]).toMatchObject({ aggregateType: 'block', metadata: { userId: ctx.userId }, payload: { block } });
    expect(await getBlock(ctx, block.id.slice(0, 8))).toEqual(block);
  });

  it('defaults to today, accepts ISO date-times with an offset and 24:00 as the end of the day', async () => {
    const ctx = await newUser();
    const today = await addBlock(ctx, { type: 'break', title: 'Lunch', start: '12:00', end: '12:45' });
    expect(today).toMatchObject({ date: '2026-03-30', start: '2026-03-30T12:00:00+02:00', minutes: 45 });
    const iso = await addBlock(ctx, { type: 'event', title: 'Call', start: '2026-03-30T13:00:00Z', end: '2026-03-30T16:30:00+02:00', date: '2026-05-01' });
    expect(iso).toMatchObject({ start: '2026-03-30T15:00:00+02:00', end: '2026-03-30T16:30:00+02:00', date: '2026-03-30', startTime: '15:00', endTime: '16:30', minutes: 90 });
    const late = await addBlock(ctx, { type: 'focus', title: 'Late', date: '2026-03-30', start: '23:00', end: '24:00' });
    expect(late).toMatchObject({ startTime: '23:00', endTime: '24:00', end: '2026-03-31T00:00:00+02:00', minutes: 60 });
  });

  it('links a block to one of the user\'s tasks; another user\'s task is not found', async () => {
    const ctx = await newUser();
    const task = await createTask(ctx, { title: 'Report' });
    const block = await addBlock(ctx, { type: 'task', title: 'Report', referenceId: task.id, date: '2026-04-01', start: '09:00', end: '10:00' });
    expect(block.referenceId).toBe(task.id);
    const other = await newUser();
    await expect(addBlock(other, { type: 'task', title: 'x', referenceId: task.id, date: '2026-04-01', start: '09:00', end: '10:00' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(addBlock(ctx, { type: 'habit', title: 'x', referenceId: task.id, date: '2026-04-01', start: '11:00', end: '12:00' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await database.db.scheduleBlock.count({ where: { userId: other.userId } })).toBe(0);
  });

  it('an overlap is a 409 naming the block it collides with; back-to-back is fine; imported events never conflict', async () => {
    const ctx = await newUser();
    const deep = await addBlock(ctx, { type: 'focus', title: 'Deep work', date: '2026-04-02', start: '09:00', end: '10:30' });
    const before = await userEvents(ctx.userId);
    const error = await addBlock(ctx, { type: 'meeting', title: 'Standup', date: '2026-04-02', start: '10:00', end: '10:15' }).catch((e) => e);
    expect(toAppError(error)).toMatchObject({
      code: 'conflict',
      message: `the block overlaps "Deep work" 09:00–10:30 (block ${deep.id.slice(0, 8)})`,
      details: { conflictingBlock: { id: deep.id, title: 'Deep work', startTime: '09:00', endTime: '10:30' } },
    });
    expect(toAppError(error)?.httpStatus).toBe(409);
    // A block spanning the whole other one also collides.
    await expect(addBlock(ctx, { type: 'focus', title: 'Wide', date: '2026-04-02', start: '08:00', end: '11:00' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await userEvents(ctx.userId)).toHaveLength(before.length);

    const after = await addBlock(ctx, { type: 'break', title: 'Coffee', date: '2026-04-02', start: '10:30', end: '10:45' });
    const earlier = await addBlock(ctx, { type: 'break', title: 'Prep', date: '2026-04-02', start: '08:45', end: '09:00' });
    expect([after.startTime, earlier.endTime]).toEqual(['10:30', '09:00']);

    await importEvent(ctx, 'Offsite', '2026-04-02T08:00:00Z', '2026-04-02T12:00:00Z'); // 10:00–14:00 local, over everything
    const overImport = await addBlock(ctx, { type: 'focus', title: 'Writing', date: '2026-04-02', start: '11:00', end: '12:00' });
    expect(overImport.status).toBe('planned');
  });

  it('two writers racing for the same time: one wins, the other gets a clean 409', async () => {
    const ctx = await newUser();
    const results = await Promise.allSettled([
      addBlock(ctx, { type: 'focus', title: 'A', date: '2026-04-03', start: '09:00', end: '10:00' }),
      addBlock(ctx, { type: 'focus', title: 'B', date: '2026-04-03', start: '09:30', end: '10:30' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(toAppError(rejected.reason)).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^the block overlaps "[AB]"/) });
    expect(await database.db.scheduleBlock.count({ where: { userId: ctx.userId } })).toBe(1);
    expect(await userEvents(ctx.userId)).toHaveLength(1);
  });

  it('the database exclusion constraint is the final guard: a violation past the pre-check becomes a 409, never a 500', async () => {
    const ctx = await newUser();
    const first = await addBlock(ctx, { type: 'focus', title: 'Held', date: '2026-04-06', start: '09:00', end: '10:00' });
    // Bypassing the pre-check: the raw insert fails with SQLSTATE 23P01, which we recognise.
    const raw = await database.db.scheduleBlock
      .create({ data: { userId: ctx.userId, type: 'focus', title: 'raw', startAt: new Date('2026-04-06T07:30:00Z'), endAt: new Date('2026-04-06T08:30:00Z') } })
      .catch((e: unknown) => e);
    expect(isOverlapViolation(raw)).toBe(true);
    // Where the pg adapter puts the SQLSTATE (Prisma 7): a known request error with the driver error in meta.
    expect(raw).toMatchObject({ name: 'PrismaClientKnownRequestError', meta: { driverAdapterError: { cause: { originalCode: '23P01' } } } });
    expect(isOverlapViolation(new Error('something else'))).toBe(false);

    if (database.kind === 'pglite') return; // one connection: no concurrent writer to race with
    // A concurrent writer that does not take the schedule lock inserts inside an open transaction: our
    // pre-check cannot see it, our insert waits on it, and fails with 23P01 when it commits.
    const other = new pg.Client({ connectionString: database.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      const inserted = await other.query<{ id: string }>(
        `INSERT INTO schedule_blocks (user_id, type, title, start_at, end_at) VALUES ($1, 'focus', 'Sneaky', '2026-04-06T09:00:00Z', '2026-04-06T10:00:00Z') RETURNING id::text AS id`,
        [ctx.userId],
      );
      const adding = addBlock(ctx, { type: 'focus', title: 'Mine', date: '2026-04-06', start: '11:30', end: '12:30' }).catch((e: unknown) => e);
      await waitForLockWait(database.url);
      await other.query('COMMIT');
      const error = toAppError(await adding);
      expect(error).toMatchObject({
        code: 'conflict',
        message: `the block overlaps "Sneaky" 11:00–12:00 (block ${inserted.rows[0].id.slice(0, 8)})`,
        details: { conflictingBlock: { id: inserted.rows[0].id } },
      });
    } finally {
      await other.end();
    }
    const titles = (await database.db.scheduleBlock.findMany({ where: { userId: ctx.userId }, orderBy: { startAt: 'asc' } })).map((b) => b.title);
    expect(titles).toEqual(['Held', 'Sneaky']);
    expect((await userEvents(ctx.userId)).map((e) => e.aggregateId)).toEqual([first.id]);
  });

  it('keeps wall-clock times across DST transition days (Berlin spring forward, New York fall back)', async () => {
    const berlin = await newUser('Europe/Berlin');
    const sunday = await addBlock(berlin, { type: 'focus', title: 'Spring', date: '2026-03-29', start: '09:00', end: '10:00' });
    const saturday = await addBlock(berlin, { type: 'focus', title: 'Before', date: '2026-03-28', start: '09:00', end: '10:00' });
    expect(sunday).toMatchObject({ start: '2026-03-29T09:00:00+02:00', end: '2026-03-29T10:00:00+02:00', startTime: '09:00', endTime: '10:00', minutes: 60 });
    expect(saturday).toMatchObject({ start: '2026-03-28T09:00:00+01:00', startTime: '09:00' });
    const stored = await database.db.scheduleBlock.findUniqueOrThrow({ where: { id: sunday.id } });
    expect([stored.startAt.toISOString(), stored.endAt.toISOString()]).toEqual(['2026-03-29T07:00:00.000Z', '2026-03-29T08:00:00.000Z']);
    expect((await database.db.scheduleBlock.findUniqueOrThrow({ where: { id: saturday.id } })).startAt.toISOString()).toBe('2026-03-28T08:00:00.000Z');

    const newYork = await newUser('America/New_York');
    const fallBack = await addBlock(newYork, { type: 'focus', title: 'Fall', date: '2026-11-01', start: '09:00', end: '10:00' });
    expect(fallBack).toMatchObject({ start: '2026-11-01T09:00:00-05:00', end: '2026-11-01T10:00:00-05:00', startTime: '09:00', endTime: '10:00', minutes: 60 });
    const nyStored = await database.db.scheduleBlock.findUniqueOrThrow({ where: { id: fallBack.id } });
    expect([nyStored.startAt.toISOString(), nyStored.endAt.toISOString()]).toEqual(['2026-11-01T14:00:00.000Z', '2026-11-01T15:00:00.000Z']);
    const day = await scheduleDay(newYork, { date: '2026-11-01' });
    expect(day.blocks.map((b) => `${b.startTime}–${b.endTime}`)).toEqual(['09:00–10:00']);
    // Moving across the transition keeps the wall time too.
    const moved = await moveBlock(newYork, fallBack.id, { date: '2026-10-31', start: '09:00', end: '10:00' });
    expect(moved).toMatchObject({ start: '2026-10-31T09:00:00-04:00', startTime: '09:00' });
  });

  it('rejects bad input naming the field, storing nothing and recording no event', async () => {
    const ctx = await newUser();
    const base = { type: 'focus', title: 'x', date: '2026-04-07', start: '09:00', end: '10:00' };
    const cases: [object, RegExp][] = [
      [{ start: '10:00', end: '09:00' }, /^end must be after start$/],
      [{ start: '10:00', end: '10:00' }, /^end must be after start$/],
      [{ start: '10:00', end: '10:03' }, /^end: a block must be at least 5 minutes$/],
      [{ start: '2026-04-07T09:00:00Z', end: '2026-04-08T09:30:00Z' }, /^end: a block must be at most 24 hours$/],
      [{ start: '2026-04-07T09:00:00Z', end: '10:00' }, /^end must be after start$/], // 10:00 on 2026-04-07 Berlin = 08:00Z
      [{ type: 'meeting-ish' }, /^type must be one of task, habit, meeting, focus, break, event$/],
      [{ date: '2024-02-30' }, /^date must be a real date/],
      [{ start: '25:00' }, /^start must be a time HH:MM/],
      [{ end: '24:30' }, /^end must be a time HH:MM/],
      [{ start: '24:00', end: '24:00' }, /^start must be a time HH:MM/],
      [{ start: '2026-04-07T09:00' }, /^start must be a time HH:MM .* or an ISO-8601 date-time with an offset/],
      [{ title: '' }, /^title must not be empty$/],
      [{ title: 'x'.repeat(501) }, /^title must be at most 500 characters$/],
      [{ referenceId: 'abc' }, /referenceId must be the id/],
      [{ referenceId: '8f0b6a3e-7c1d-4b2a-9e5f-0a1b2c3d4e5f' }, /^referenceId is only for task, habit, meeting blocks$/],
      [{ colour: 'red' }, /colour/],
    ];
    for (const [change, message] of cases) {
      const error = toAppError(await addBlock(ctx, { ...base, ...change } as never).catch((e: unknown) => e));
      expect(error?.code, JSON.stringify(change)).toBe('validation_error');
      expect(error?.message, JSON.stringify(change)).toMatch(message);
      expect(error?.details).toMatchObject({ issues: expect.any(Array) });
    }
    const missing = toAppError(await addBlock(ctx, { title: 'x' } as never).catch((e: unknown) => e));
    expect(missing?.message).toMatch(/type must be one of/);
    expect(await database.db.scheduleBlock.count({ where: { userId: ctx.userId } })).toBe(0);
    expect(await userEvents(ctx.userId)).toHaveLength(0);
  });
});

describe('move, complete, remove', () => {
  it('moves a block (event with from), refuses overlaps naming the block, and allows back-to-back', async () => {
    const ctx = await newUser();
    const a = await addBlock(ctx, { type: 'focus', title: 'Deep work', date: '2026-04-08', start: '09:00', end: '10:30' });
    const b = await addBlock(ctx, { type: 'task', title: 'Email', date: '2026-04-08', start: '13:00', end: '13:30' });
    const moved = await moveBlock(ctx, b.id.slice(0, 8), { start: '11:00', end: '12:30' });
    expect(moved).toMatchObject({ id: b.id, date: '2026-04-08', startTime: '11:00', endTime: '12:30', minutes: 90, status: 'planned' });
    const events = await eventsOf(b.id);
    expect(events.map((e) => e.eventType)).toEqual(['scheduling.block.scheduled', 'scheduling.block.rescheduled']);
    expect(events[1].payload).toEqual({ block: moved, from: { start: '2026-04-08T13:00:00+02:00', end: '2026-04-08T13:30:00+02:00' } });

    await expect(moveBlock(ctx, b.id, { start: '10:00', end: '11:00' })).rejects.toMatchObject({
      code: 'conflict',
      message: `the block overlaps "Deep work" 09:00–10:30 (block ${a.id.slice(0, 8)})`,
    });
    // Moving onto its own old time (overlapping itself) is fine, and so is touching another block.
    expect((await moveBlock(ctx, b.id, { start: '10:30', end: '11:30' })).startTime).toBe('10:30');
    expect((await moveBlock(ctx, b.id, { date: '2026-04-09', start: '09:00', end: '09:30' })).date).toBe('2026-04-09');
    expect(toAppError(await moveBlock(ctx, b.id, { start: '09:30', end: '09:00' }).catch((e: unknown) => e))).toMatchObject({ code: 'validation_error', message: 'end must be after start' });
    expect(await eventsOf(b.id)).toHaveLength(4);
  });

  it('imported and completed blocks do not move; a missed block moved becomes planned again', async () => {
    const ctx = await newUser();
    const imported = await importEvent(ctx, 'Dentist', '2026-04-10T08:00:00Z', '2026-04-10T09:00:00Z');
    await expect(moveBlock(ctx, imported.id, { start: '12:00', end: '13:00' })).rejects.toMatchObject({ code: 'conflict', message: 'imported events are moved in their calendar' });

    const done = await addBlock(ctx, { type: 'focus', title: 'Done', date: '2026-04-10', start: '14:00', end: '15:00' });
    const completed = await completeBlock(ctx, done.id);
    expect(completed.status).toBe('completed');
    await expect(completeBlock(ctx, done.id)).rejects.toMatchObject({ code: 'conflict', message: 'block is already completed' });
    await expect(moveBlock(ctx, done.id, { start: '16:00', end: '17:00' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/completed/) });
    expect((await eventsOf(done.id)).map((e) => e.eventType)).toEqual(['scheduling.block.scheduled', 'scheduling.block.completed']);

    const yesterday = await addBlock(ctx, { type: 'task', title: 'Missed it', date: '2026-03-29', start: '09:00', end: '10:00' });
    expect(await markMissedBlocks(database.db, clock, ctx.userId)).toBe(1);
    expect((await getBlock(ctx, yesterday.id)).status).toBe('missed');
    const again = await moveBlock(ctx, yesterday.id, { start: '15:00', end: '16:00' }); // a missed block's HH:MM default to today
    expect(again).toMatchObject({ status: 'planned', date: '2026-03-30', startTime: '15:00' });
  });

  it('removes a block with a removed event carrying the block; the onRemoved hook runs inside the transaction', async () => {
    const ctx = await newUser();
    const block = await addBlock(ctx, { type: 'focus', title: 'Gone', date: '2026-04-13', start: '09:00', end: '10:00' });
    await expect(
      removeBlock(ctx, block.id, {
        onRemoved: async () => {
          throw new Error('calendar down');
        },
      }),
    ).rejects.toThrow('calendar down');
    expect(await database.db.scheduleBlock.count({ where: { id: block.id } })).toBe(1); // rolled back
    const seen: string[] = [];
    const removed = await removeBlock(ctx, block.id, { onRemoved: async (tx, { block: row, view }) => void seen.push(`${row.source}:${view.id}:${await tx.scheduleBlock.count({ where: { id: row.id } })}`) });
    expect(seen).toEqual([`orbita:${block.id}:0`]);
    expect(removed).toMatchObject({ id: block.id, title: 'Gone' });
    expect(await database.db.scheduleBlock.count({ where: { id: block.id } })).toBe(0);
    const events = await eventsOf(block.id);
    expect(events.map((e) => e.eventType)).toEqual(['scheduling.block.scheduled', 'scheduling.block.removed']);
    expect(events[1].payload).toEqual({ block: removed });
    await expect(removeBlock(ctx, block.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('isolation: another user\'s block is not found for every operation, and nothing changes', async () => {
    const owner = await newUser();
    const intruder = await newUser();
    const block = await addBlock(owner, { type: 'focus', title: 'Private', date: '2026-04-14', start: '09:00', end: '10:00' });
    for (const attempt of [
      () => getBlock(intruder, block.id),
      () => moveBlock(intruder, block.id, { start: '11:00', end: '12:00' }),
      () => completeBlock(intruder, block.id),
      () => removeBlock(intruder, block.id),
      () => getBlock(intruder, block.id.slice(0, 8)),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'not_found' });
    }
    // Their blocks never collide with mine, and never show in my views.
    await addBlock(intruder, { type: 'focus', title: 'Same time', date: '2026-04-14', start: '09:00', end: '10:00' });
    expect((await scheduleDay(intruder, { date: '2026-04-14' })).blocks.map((b) => b.title)).toEqual(['Same time']);
    expect(await getBlock(owner, block.id)).toEqual(block);
    expect((await eventsOf(block.id)).map((e) => e.eventType)).toEqual(['scheduling.block.scheduled']);
  });
});

describe('missed detection', () => {
  it('marks planned Orbita blocks ended more than an hour ago, one event each in the owner\'s zone, idempotently', async () => {
    const berlin = await newUser('Europe/Berlin');
    const tokyo = await newUser('Asia/Tokyo');
    const now = new Date('2026-04-20T12:00:00Z');
    const mk = (ctx: ServiceContext, title: string, start: string, end: string) => addBlock(ctx, { type: 'focus', title, start, end });
    const old = await mk(berlin, 'old', '2026-04-20T09:00:00Z', '2026-04-20T10:55:00Z'); // ended 65 min ago
    const recent = await mk(berlin, 'recent', '2026-04-20T10:56:00Z', '2026-04-20T11:01:00Z'); // ended 59 min ago
    const exact = await mk(tokyo, 'exact', '2026-04-20T10:00:00Z', '2026-04-20T11:00:00Z'); // ended exactly an hour ago: not yet
    const tokyoOld = await mk(tokyo, 'tokyo old', '2026-04-19T10:00:00Z', '2026-04-19T11:00:00Z');
    const done = await mk(tokyo, 'done', '2026-04-19T08:00:00Z', '2026-04-19T09:00:00Z');
    await completeBlock(tokyo, done.id);
    const imported = await importEvent(berlin, 'cal', '2026-04-19T08:00:00Z', '2026-04-19T09:00:00Z');

    const other = await database.db.scheduleBlock.count({ where: { status: 'planned', source: 'orbita', endAt: { lt: new Date(now.getTime() - 3_600_000) }, userId: { notIn: [berlin.userId, tokyo.userId] } } });
    expect(await markMissedBlocks(database.db, now)).toBe(2 + other);
    const status = async (id: string) => (await database.db.scheduleBlock.findUniqueOrThrow({ where: { id } })).status;
    expect([await status(old.id), await status(recent.id), await status(exact.id), await status(tokyoOld.id), await status(done.id), await status(imported.id)]).toEqual([
      'missed', 'planned', 'planned', 'missed', 'completed', 'planned',
    ]);
    const missedEvents = (await eventsOf(old.id)).filter((e) => e.eventType === 'scheduling.block.missed');
    expect(missedEvents).toHaveLength(1);
    expect(missedEvents[0]).toMatchObject({ metadata: { userId: berlin.userId }, payload: { block: { id: old.id, status: 'missed', start: '2026-04-20T11:00:00+02:00' } } });
    const tokyoEvent = (await eventsOf(tokyoOld.id)).find((e) => e.eventType === 'scheduling.block.missed');
    expect(tokyoEvent?.payload).toMatchObject({ block: { status: 'missed', start: '2026-04-19T19:00:00+09:00' } });

    expect(await markMissedBlocks(database.db, now)).toBe(0);
    expect((await eventsOf(old.id)).filter((e) => e.eventType === 'scheduling.block.missed')).toHaveLength(1);
    // A minute later the block that ended exactly an hour ago goes too.
    expect(await markMissedBlocks(database.db, new Date(now.getTime() + 60_000), tokyo.userId)).toBe(1);
    expect(await status(exact.id)).toBe('missed');
  });
});

describe('views', () => {
  it('day: blocks (Orbita and imported), working hours and planned/free minutes; weekends have no working hours', async () => {
    const ctx = await newUser();
    await addBlock(ctx, { type: 'focus', title: 'Deep work', date: '2026-04-15', start: '09:00', end: '10:30' });
    await addBlock(ctx, { type: 'break', title: 'Evening', date: '2026-04-15', start: '18:00', end: '19:00' });
    await importEvent(ctx, 'Lunch with Jo', '2026-04-15T10:00:00Z', '2026-04-15T11:00:00Z'); // 12:00–13:00
    const day = await scheduleDay(ctx, { date: '2026-04-15' });
    expect(day).toMatchObject({ date: '2026-04-15', timeZone: 'Europe/Berlin', workingHours: { start: '09:00', end: '17:00' } });
    expect(day.blocks.map((b) => `${b.startTime}–${b.endTime} ${b.title} ${b.source}`)).toEqual([
      '09:00–10:30 Deep work orbita',
      '12:00–13:00 Lunch with Jo imported',
      '18:00–19:00 Evening orbita',
    ]);
    expect(day.summary).toEqual({ plannedMinutes: 150, freeMinutes: 480 - 90 - 60 });
    const saturday = await scheduleDay(ctx, { date: '2026-04-18' });
    expect(saturday).toMatchObject({ workingHours: null, blocks: [], summary: { plannedMinutes: 0, freeMinutes: 0 } });
    expect((await scheduleDay(ctx)).date).toBe('2026-03-30');
    await expect(scheduleDay(ctx, { date: '2024-02-30' })).rejects.toThrow(/date must be a real date/);
  });

  it('week: Monday-based, from any date in it, shifted by offset', async () => {
    const ctx = await newUser();
    await addBlock(ctx, { type: 'focus', title: 'Thu', date: '2026-04-16', start: '09:00', end: '10:00' });
    const week = await scheduleWeek(ctx, { date: '2026-04-18' });
    expect(week).toMatchObject({ weekStart: '2026-04-13', weekEnd: '2026-04-19', timeZone: 'Europe/Berlin' });
    expect(week.days.map((d) => d.date)).toEqual(['2026-04-13', '2026-04-14', '2026-04-15', '2026-04-16', '2026-04-17', '2026-04-18', '2026-04-19']);
    expect(week.days[3].blocks.map((b) => b.title)).toEqual(['Thu']);
    expect(week.summary).toEqual({ plannedMinutes: 60, freeMinutes: 5 * 480 - 60 });
    expect((await scheduleWeek(ctx)).weekStart).toBe('2026-03-30');
    expect((await scheduleWeek(ctx, { offset: 1 })).weekStart).toBe('2026-04-06');
    expect((await scheduleWeek(ctx, { offset: '-1' } as never)).weekStart).toBe('2026-03-23');
    expect((await scheduleWeek(ctx, { date: '2026-04-16', offset: 2 })).weekStart).toBe('2026-04-27');
    await expect(scheduleWeek(ctx, { offset: 53 })).rejects.toThrow(/offset must be a whole number of weeks between -52 and 52/);
  });

  it('free slots: working hours minus Orbita and imported blocks, at least min minutes, never in the past', async () => {
    const ctx = await newUser();
    await addBlock(ctx, { type: 'focus', title: 'Deep work', date: '2026-04-15', start: '09:00', end: '10:30' });
    await importEvent(ctx, 'Lunch', '2026-04-15T10:00:00Z', '2026-04-15T11:00:00Z'); // 12:00–13:00
    await addBlock(ctx, { type: 'break', title: 'Short gap maker', date: '2026-04-15', start: '13:20', end: '14:00' });
    const free = await freeSlots(ctx, { date: '2026-04-15' });
    expect(free).toMatchObject({ date: '2026-04-15', timeZone: 'Europe/Berlin', min: 30 });
    expect(free.slots.map((s) => `${s.startTime}–${s.endTime} ${s.minutes}`)).toEqual(['10:30–12:00 90', '14:00–17:00 180']);
    expect(free.slots[0]).toMatchObject({ start: '2026-04-15T10:30:00+02:00', end: '2026-04-15T12:00:00+02:00' });
    expect((await freeSlots(ctx, { date: '2026-04-15', min: 5 })).slots.map((s) => s.minutes)).toEqual([90, 20, 180]);
    expect((await freeSlots(ctx, { date: '2026-04-15', min: '100' } as never)).slots.map((s) => s.minutes)).toEqual([180]);
    expect((await freeSlots(ctx, { date: '2026-04-18' })).slots).toEqual([]); // Saturday
    await expect(freeSlots(ctx, { min: 4 })).rejects.toThrow(/min must be a whole number of minutes between 5 and 480/);

    // Today at 11:00:20 local: nothing before 11:01.
    const late = { ...ctx, now: () => new Date('2026-04-15T09:00:20Z') };
    expect((await freeSlots(late)).slots.map((s) => `${s.startTime}–${s.endTime}`)).toEqual(['11:01–12:00', '14:00–17:00']);
    expect((await freeSlots({ ...ctx, now: () => new Date('2026-04-16T09:00:00Z') }, { date: '2026-04-15' })).slots).toEqual([]);
  });

  it('lists blocks in a range by start, cursor-paginated', async () => {
    const ctx = await newUser();
    for (const [date, start] of [['2026-04-21', '09:00'], ['2026-04-21', '11:00'], ['2026-04-22', '09:00'], ['2026-04-23', '09:00']]) {
      await addBlock(ctx, { type: 'focus', title: `${date} ${start}`, date, start, end: `${start.slice(0, 2)}:45` });
    }
    const first = await listBlocks(ctx, { from: '2026-04-21', to: '2026-04-22', limit: 2 });
    expect(first.items.map((b) => b.title)).toEqual(['2026-04-21 09:00', '2026-04-21 11:00']);
    const second = await listBlocks(ctx, { from: '2026-04-21', to: '2026-04-22', limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ items: [{ title: '2026-04-22 09:00' }], nextCursor: null });
    expect((await listBlocks(ctx, { from: '2026-04-22T09:30:00+02:00' })).items.map((b) => b.title)).toEqual(['2026-04-22 09:00', '2026-04-23 09:00']);
    expect((await listBlocks(ctx)).items).toHaveLength(4);
    await expect(listBlocks(ctx, { from: '2026-04-22', to: '2026-04-21' })).rejects.toThrow(/to must be after from/);
    await expect(listBlocks(ctx, { from: 'yesterday' })).rejects.toThrow(/from must be a date/);
  });
});

/** Waits until some backend is blocked waiting for a lock (our insert, waiting on the other transaction). */
async function waitForLockWait(url: string): Promise<void> {
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  try {
    for (let i = 0; i < 200; i++) {
      const { rows } = await probe.query<{ waiting: number }>(`SELECT count(*)::int AS waiting FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()`);
      if (rows[0].waiting > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the insert never waited on the concurrent transaction');
  } finally {
    await probe.end();
  }
}
