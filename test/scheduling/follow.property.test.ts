import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServiceContext } from '../../lib/context';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { isAppError } from '../../lib/errors';
import { archiveHabit, createHabit, updateHabit } from '../../lib/habits/service';
import { archiveMeeting, createMeeting, updateMeeting } from '../../lib/meetings/service';
import { autoSchedule } from '../../lib/scheduling/auto';
import { moveBlock } from '../../lib/scheduling/blocks';
import { completeBlockAndTask } from '../../lib/scheduling/complete-block';
import { meetingBlockTitle } from '../../lib/scheduling/follow';
import { archiveTask, completeTask, createTask, updateTask } from '../../lib/tasks/service';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { userWithToken } from '../helpers/users';

// Issue 20's property: after any sequence of task, habit and 1:1 edits, completions, archives,
// hand moves and planning runs (with the clock moving on), no future planned block points at a
// completed or archived source, every block that has not ended carries its source's title, and no
// two Orbita blocks overlap.

const zone = 'Europe/Berlin';
const start = DateTime.fromISO('2030-03-04T07:00', { zone }).toJSDate(); // a Monday morning
const runs = Number(process.env.FOLLOW_PROPERTY_RUNS ?? 20);

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
});
afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});

type Op =
  | { op: 'task'; minutes: number; due: number | null }
  | { op: 'renameTask' | 'completeTask' | 'archiveTask' | 'reopenTask'; i: number; title: string }
  | { op: 'resizeTask'; i: number; minutes: number }
  | { op: 'habit'; minutes: number }
  | { op: 'renameHabit' | 'archiveHabit'; i: number; title: string }
  | { op: 'resizeHabit'; i: number; minutes: number }
  | { op: 'meeting'; hour: number }
  | { op: 'renameMeeting' | 'archiveMeeting'; i: number; title: string }
  | { op: 'moveMeeting'; i: number; hour: number }
  | { op: 'plan'; days: number }
  | { op: 'completeBlock'; i: number; completeTask: boolean | undefined }
  | { op: 'moveBlock'; i: number; hour: number }
  | { op: 'wait'; minutes: number };

const title = fc.constantFrom('Report', 'Email', 'Review', 'Call', 'Plan', 'Read');
const index = fc.nat({ max: 7 });
const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('task' as const), minutes: fc.constantFrom(15, 30, 45, 60, 90), due: fc.option(fc.integer({ min: -2, max: 3 }), { nil: null }) }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constantFrom('renameTask' as const, 'completeTask' as const, 'archiveTask' as const, 'reopenTask' as const), i: index, title }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('resizeTask' as const), i: index, minutes: fc.constantFrom(10, 30, 60, 120, 240) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('habit' as const), minutes: fc.constantFrom(10, 20, 30) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constantFrom('renameHabit' as const, 'archiveHabit' as const), i: index, title }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('resizeHabit' as const), i: index, minutes: fc.constantFrom(5, 15, 45) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('meeting' as const), hour: fc.integer({ min: 9, max: 16 }) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constantFrom('renameMeeting' as const, 'archiveMeeting' as const), i: index, title }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('moveMeeting' as const), i: index, hour: fc.integer({ min: 9, max: 16 }) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('plan' as const), days: fc.integer({ min: 1, max: 3 }) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('completeBlock' as const), i: index, completeTask: fc.option(fc.boolean(), { nil: undefined }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('moveBlock' as const), i: index, hour: fc.integer({ min: 6, max: 21 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('wait' as const), minutes: fc.constantFrom(30, 90, 240, 24 * 60) }), weight: 2 },
);

/** Runs one op; a refusal the rules allow (a conflict, a validation error, a missing row) is part of the game. */
async function apply(ctx: ServiceContext, op: Op, ids: { tasks: string[]; habits: string[]; meetings: string[] }): Promise<void> {
  const pick = (list: string[], i: number) => list[i % list.length];
  const now = ctx.now();
  const localDay = (days: number) => DateTime.fromJSDate(now, { zone }).plus({ days }).toISODate()!;
  try {
    switch (op.op) {
      case 'task':
        ids.tasks.push((await createTask(ctx, { title: `Task ${ids.tasks.length}`, durationMinutes: op.minutes, ...(op.due === null ? {} : { due: localDay(op.due) }) })).id);
        return;
      case 'renameTask':
        if (ids.tasks.length) await updateTask(ctx, pick(ids.tasks, op.i), { title: op.title });
        return;
      case 'resizeTask':
        if (ids.tasks.length) await updateTask(ctx, pick(ids.tasks, op.i), { durationMinutes: op.minutes });
        return;
      case 'completeTask':
        if (ids.tasks.length) await completeTask(ctx, pick(ids.tasks, op.i));
        return;
      case 'archiveTask':
        if (ids.tasks.length) await archiveTask(ctx, pick(ids.tasks, op.i));
        return;
      case 'reopenTask':
        if (ids.tasks.length) await updateTask(ctx, pick(ids.tasks, op.i), { status: 'pending' });
        return;
      case 'habit': {
        const yesterday = { ...ctx, now: () => new Date(now.getTime() - 86_400_000) };
        ids.habits.push((await createHabit(yesterday, { name: `Habit ${ids.habits.length}`, frequency: 'daily', durationMinutes: op.minutes })).id);
        return;
      }
      case 'renameHabit':
        if (ids.habits.length) await updateHabit(ctx, pick(ids.habits, op.i), { name: op.title });
        return;
      case 'resizeHabit':
        if (ids.habits.length) await updateHabit(ctx, pick(ids.habits, op.i), { durationMinutes: op.minutes });
        return;
      case 'archiveHabit':
        if (ids.habits.length) await archiveHabit(ctx, pick(ids.habits, op.i));
        return;
      case 'meeting': {
        const weekAgo = { ...ctx, now: () => new Date(now.getTime() - 7 * 86_400_000) };
        ids.meetings.push((await createMeeting(weekAgo, { name: `Person ${ids.meetings.length}`, cadence: 'weekly', time: `${op.hour}:00` })).id);
        return;
      }
      case 'renameMeeting':
        if (ids.meetings.length) await updateMeeting(ctx, pick(ids.meetings, op.i), { name: op.title });
        return;
      case 'moveMeeting':
        if (ids.meetings.length) await updateMeeting(ctx, pick(ids.meetings, op.i), { time: `${op.hour}:30` });
        return;
      case 'archiveMeeting':
        if (ids.meetings.length) await archiveMeeting(ctx, pick(ids.meetings, op.i));
        return;
      case 'plan':
        await autoSchedule(ctx, { days: op.days, habits: true, meetings: true });
        return;
      case 'completeBlock':
      case 'moveBlock': {
        const planned = await database.db.scheduleBlock.findMany({ where: { userId: ctx.userId, status: 'planned', source: 'orbita' }, orderBy: [{ startAt: 'asc' }, { id: 'asc' }] });
        if (!planned.length) return;
        const block = planned[op.i % planned.length];
        if (op.op === 'completeBlock') await completeBlockAndTask(ctx, block.id, op.completeTask === undefined ? {} : { completeTask: op.completeTask });
        else await moveBlock(ctx, block.id, { date: localDay(1), start: `${String(op.hour).padStart(2, '0')}:00`, end: `${String(op.hour).padStart(2, '0')}:25` });
        return;
      }
      case 'wait':
        return;
    }
  } catch (error) {
    if (isAppError(error) && ['conflict', 'validation_error', 'not_found'].includes(error.code)) return;
    throw error;
  }
}

async function checkInvariants(userId: string, now: Date): Promise<void> {
  const [blocks, tasks, habits, meetings] = await Promise.all([
    database.db.scheduleBlock.findMany({ where: { userId, source: 'orbita' }, orderBy: { startAt: 'asc' } }),
    database.db.task.findMany({ where: { userId } }),
    database.db.habit.findMany({ where: { userId } }),
    database.db.meeting.findMany({ where: { userId } }),
  ]);
  const sources = new Map<string, { title: string; gone: boolean }>([
    ...tasks.map((t) => [t.id, { title: t.title, gone: t.status === 'completed' || t.status === 'archived' }] as const),
    ...habits.map((h) => [h.id, { title: h.name, gone: h.archived }] as const),
    ...meetings.map((m) => [m.id, { title: meetingBlockTitle(m.name), gone: m.archived }] as const),
  ]);
  for (const block of blocks) {
    const source = block.referenceId ? sources.get(block.referenceId) : undefined;
    if (!source || block.status !== 'planned') continue;
    const label = `${block.type} block ${block.title} ${block.startAt.toISOString()}`;
    if (block.startAt >= now) expect(source.gone, `${label} points at a completed or archived source`).toBe(false);
    if (block.endAt > now) expect(block.title, `${label} carries its source's title`).toBe(source.title);
  }
  for (let i = 1; i < blocks.length; i++) {
    expect(blocks[i].startAt.getTime(), `${blocks[i].title} overlaps ${blocks[i - 1].title}`).toBeGreaterThanOrEqual(blocks[i - 1].endAt.getTime());
  }
}

it('no future planned block points at a completed or archived source, titles follow, and nothing overlaps', async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(arbOp, { minLength: 5, maxLength: 30 }), async (ops) => {
      const user = await userWithToken(database.db, `Property ${run++}`, zone);
      let now = start;
      const ctx: ServiceContext = { db: database.db, userId: user.id, now: () => now };
      const ids = { tasks: [] as string[], habits: [] as string[], meetings: [] as string[] };
      for (const op of ops) {
        if (op.op === 'wait') now = new Date(now.getTime() + op.minutes * 60_000);
        await apply(ctx, op, ids);
        await checkInvariants(user.id, now);
      }
    }),
    { numRuns: runs },
  );
});
