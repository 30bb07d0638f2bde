import { DateTime } from 'luxon';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as autoRoute } from '../../app/api/v1/schedule/auto/route';
import { POST as rescheduleRoute } from '../../app/api/v1/schedule/reschedule-missed/route';
import { grantModule } from '../../lib/billing/entitlements';
import { resetConfig } from '../../lib/config';
import type { ServiceContext } from '../../lib/context';
import { connectDatabase, createDb, disconnectDb } from '../../lib/db/client';
import { createHabit } from '../../lib/habits/service';
import { createMeeting } from '../../lib/meetings/service';
import { autoSchedule } from '../../lib/scheduling/auto';
import { runMissedDetection } from '../../lib/scheduling/jobs';
import { rescheduleMissed } from '../../lib/scheduling/missed';
import { createTask } from '../../lib/tasks/service';
import { callRoute } from '../helpers/api';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type TestUser, userWithToken } from '../helpers/users';

const zone = 'Europe/Berlin';
let database: TestDatabase;
let alice: TestUser;

/** A Monday 07:00 in Berlin: the whole working day (09:00–17:00) is ahead. */
const monday = '2026-12-07';
const clock = DateTime.fromISO(`${monday}T07:00`, { zone }).toJSDate();
const ctxOf = (user: TestUser, db = database.db): ServiceContext => ({ db, userId: user.id, now: () => clock });

async function freshUser(name: string): Promise<TestUser> {
  return userWithToken(database.db, name, zone);
}

const orbitaBlocks = (userId: string) => database.db.scheduleBlock.findMany({ where: { userId }, orderBy: { startAt: 'asc' } });

function assertNoOverlap(blocks: { startAt: Date; endAt: Date }[]) {
  const sorted = [...blocks].sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
  for (let i = 1; i < sorted.length; i++) expect(sorted[i].startAt.getTime()).toBeGreaterThanOrEqual(sorted[i - 1].endAt.getTime());
}

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  alice = await freshUser('Alice');
});
afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});

describe('schedule auto', () => {
  it('places tasks by priority inside working hours with the buffer, habits and 1:1s at their times, and is idempotent', async () => {
    const ctx = ctxOf(alice);
    const low = await createTask(ctx, { title: 'Low chore', priority: 'low', durationMinutes: 30 });
    const urgent = await createTask(ctx, { title: 'Urgent fix', priority: 'urgent', durationMinutes: 60 });
    const habit = await createHabit({ ...ctx, now: () => new Date(clock.getTime() - 86_400_000) }, { name: 'Stretch', frequency: 'daily', durationMinutes: 15, preferredTime: 'morning' });
    const meeting = await createMeeting({ ...ctx, now: () => new Date(clock.getTime() - 7 * 86_400_000) }, { name: 'Alex', cadence: 'weekly', time: '11:00' });

    const result = await autoSchedule(ctx, { date: monday, habits: true, meetings: true });
    expect(result.failures).toEqual([]);
    const byRef = Object.fromEntries(result.placed.map((b) => [b.referenceId, b]));
    expect(byRef[meeting.id]).toMatchObject({ type: 'meeting', startTime: '11:00', endTime: '11:30', date: monday });
    expect(byRef[habit.id]).toMatchObject({ type: 'habit', startTime: '07:00', date: monday });
    expect(byRef[urgent.id]).toMatchObject({ type: 'task', startTime: '09:00', endTime: '10:00' });
    // urgent first (the morning), then the low one 5 minutes later
    expect(byRef[low.id]).toMatchObject({ type: 'task', startTime: '10:05', endTime: '10:35' });
    expect(result.utilisation).toBeGreaterThan(0);
    const events = await database.db.outboxEvent.findMany({ where: { eventType: 'scheduling.block.scheduled', metadata: { path: ['userId'], equals: alice.id } } });
    expect(events).toHaveLength(4);

    const again = await autoSchedule(ctx, { date: monday, habits: true, meetings: true });
    expect(again.placed).toEqual([]);
    expect(await orbitaBlocks(alice.id)).toHaveLength(4);
  });

  it('two runs at once for the same user: no overlap and no duplicate (real PostgreSQL)', async () => {
    const bob = await freshUser('Bob');
    for (let i = 0; i < 12; i++) await createTask(ctxOf(bob), { title: `Task ${i}`, durationMinutes: 25 + i });
    const second = createDb(database.url, { max: 2 });
    try {
      const [a, b] = await Promise.all([autoSchedule(ctxOf(bob), { date: monday, days: 2 }), autoSchedule(ctxOf(bob, second), { date: monday, days: 2 })]);
      expect(a.placed.length + b.placed.length).toBe(12);
    } finally {
      await second.$disconnect();
    }
    const blocks = await orbitaBlocks(bob.id);
    expect(blocks).toHaveLength(12);
    expect(new Set(blocks.map((b) => b.referenceId)).size).toBe(12);
    assertNoOverlap(blocks);
  });

  it('REST and CLI: bad input is a clear error with nothing stored; --meetings needs smart-1to1 with Stripe on', async () => {
    const carol = await freshUser('Carol');
    await createTask(ctxOf(carol), { title: 'Only task' });
    for (const [body, message] of [
      [{ days: 0 }, /days must be a whole number between 1 and 31/],
      [{ days: 400 }, /days must be a whole number between 1 and 31/],
      [{ date: '2024-02-30' }, /date must be a real date/],
      [{ habits: 'maybe' }, /habits/],
    ] as const) {
      const response = await callRoute(autoRoute, { token: carol.token, body });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(message);
    }
    const cli = await runCli(['schedule', 'auto', '--days', '0'], { DATABASE_URL: database.url, ORBITA_USER_ID: carol.id });
    expect({ code: cli.code, stderr: cli.stderr.trim() }).toEqual({ code: 2, stderr: 'orbita: days must be a whole number between 1 and 31' });
    expect(await orbitaBlocks(carol.id)).toHaveLength(0);

    process.env.STRIPE_API_KEY = 'sk_test_sched';
    resetConfig();
    try {
      const denied = await callRoute(autoRoute, { token: carol.token, body: { meetings: true } });
      expect(denied).toMatchObject({ status: 403, body: { error: { message: 'module not enabled: smart-1to1' } } });
      const missedDenied = await callRoute(rescheduleRoute, { token: carol.token, body: {} });
      expect(missedDenied).toMatchObject({ status: 403, body: { error: { message: 'module not enabled: auto-rescheduler' } } });
      await grantModule(ctxOf(carol), { module: 'smart-1to1', active: true });
      expect((await callRoute(autoRoute, { token: carol.token, body: { meetings: true } })).status).toBe(200);
    } finally {
      delete process.env.STRIPE_API_KEY;
      resetConfig();
    }
  });

  it('CLI prints placed items, failures with reasons and utilisation', async () => {
    const dave = await freshUser('Dave');
    await createTask(ctxOf(dave), { title: 'Huge job', durationMinutes: 480, due: '2020-01-01' });
    await createTask(ctxOf(dave), { title: 'Small job', durationMinutes: 30, priority: 'high' });
    const result = await runCli(['schedule', 'auto', '--date', DateTime.now().setZone(zone).plus({ days: 1 }).toISODate()!], { DATABASE_URL: database.url, ORBITA_USER_ID: dave.id });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^planned \d{4}-\d{2}-\d{2} \(Europe\/Berlin\): \d placed, \d not placed$/m);
    expect(result.stdout).toMatch(/^utilisation: [\d.]+% of working time$/m);
  });
});

describe('reschedule-missed', () => {
  it('marks past planned blocks missed and moves them to the next free slot, with events', async () => {
    const erin = await freshUser('Erin');
    const past = await database.db.scheduleBlock.create({
      data: { userId: erin.id, type: 'focus', title: 'Deep work', startAt: new Date(clock.getTime() - 26 * 3_600_000), endAt: new Date(clock.getTime() - 25 * 3_600_000) },
    });
    const result = await rescheduleMissed(ctxOf(erin), { date: monday, after: '13:00' });
    expect(result.markedMissed).toBe(1);
    expect(result.rescheduled).toHaveLength(1);
    expect(result.rescheduled[0]).toMatchObject({ id: past.id, status: 'planned', startTime: '13:00', endTime: '14:00', date: monday });
    const events = await database.db.outboxEvent.findMany({ where: { aggregateId: past.id }, orderBy: { sequence: 'asc' } });
    expect(events.map((e) => e.eventType)).toEqual(['scheduling.block.missed', 'scheduling.block.rescheduled']);
    expect(await rescheduleMissed(ctxOf(erin), { date: monday })).toMatchObject({ markedMissed: 0, rescheduled: [] });
  });
});

describe('missed-block detection job (worker)', () => {
  it('marks blocks missed an hour after their end, once; another worker holding the tick makes it skip', async () => {
    const frank = await freshUser('Frank');
    const ended = (hoursAgo: number) => ({ startAt: new Date(clock.getTime() - (hoursAgo + 1) * 3_600_000), endAt: new Date(clock.getTime() - hoursAgo * 3_600_000) });
    const late = await database.db.scheduleBlock.create({ data: { userId: frank.id, type: 'focus', title: 'Late', ...ended(2) } });
    const recent = await database.db.scheduleBlock.create({ data: { userId: frank.id, type: 'focus', title: 'Recent', ...ended(0.5) } });

    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended('orbita:job:missed-blocks', 0))`);
      if (database.kind === 'postgres') expect(await runMissedDetection(database.db, clock)).toBeNull(); // PGlite has one session: the lock is shared
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    expect(await runMissedDetection(database.db, clock)).toBeGreaterThanOrEqual(1);
    expect((await database.db.scheduleBlock.findUniqueOrThrow({ where: { id: late.id } })).status).toBe('missed');
    expect((await database.db.scheduleBlock.findUniqueOrThrow({ where: { id: recent.id } })).status).toBe('planned');
    expect(await runMissedDetection(database.db, clock)).toBe(0);
    expect(await database.db.outboxEvent.count({ where: { aggregateId: late.id, eventType: 'scheduling.block.missed' } })).toBe(1);
  });
});
