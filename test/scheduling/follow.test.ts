import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../lib/context';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { archiveHabit, createHabit, updateHabit } from '../../lib/habits/service';
import { archiveMeeting, createMeeting, updateMeeting } from '../../lib/meetings/service';
import { autoSchedule } from '../../lib/scheduling/auto';
import { addBlock, moveBlock, scheduleDay } from '../../lib/scheduling/blocks';
import { completeBlockAndTask } from '../../lib/scheduling/complete-block';
import { updateProfile } from '../../lib/identity/profile';
import { enableIcsFeed, exportIcs, icsForFeedToken } from '../../lib/scheduling/ics-feed';
import { archiveTask, completeTask, createTask, updateTask } from '../../lib/tasks/service';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type TestUser, userWithToken } from '../helpers/users';

// Issue 20: blocks follow what they plan. The services run on a fixed clock (a Monday morning in
// Berlin, working hours 09:00–17:00 on weekdays), so every time below is exact.

const zone = 'Europe/Berlin';
const monday = '2030-03-04';
const tuesday = '2030-03-05';
const at = (date: string, hhmm: string) => DateTime.fromISO(`${date}T${hhmm}`, { zone }).toJSDate();
const morning = at(monday, '08:00');

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
});
afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});

/** A fresh user and a context at `now` (default Monday 08:00). */
async function person(name: string): Promise<{ user: TestUser; ctx: (now?: Date) => ServiceContext }> {
  const user = await userWithToken(database.db, name, zone);
  return { user, ctx: (now = morning) => ({ db: database.db, userId: user.id, now: () => now }) };
}

const blocksOf = (userId: string, referenceId?: string) =>
  database.db.scheduleBlock.findMany({ where: { userId, ...(referenceId ? { referenceId } : {}) }, orderBy: [{ startAt: 'asc' }, { id: 'asc' }] });
const local = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm');
const spans = (blocks: { title: string; startAt: Date; endAt: Date; status: string }[]) =>
  blocks.map((b) => `${b.title} ${local(b.startAt)}–${local(b.endAt).slice(11)} ${b.status}`);
const eventsOf = async (blockId: string) =>
  (await database.db.outboxEvent.findMany({ where: { aggregateId: blockId }, orderBy: { sequence: 'asc' } })).map((e) => ({
    type: e.eventType,
    reason: (e.payload as { reason?: string }).reason,
  }));

describe('a task renamed, resized, completed or archived', () => {
  it('renames its blocks that have not ended; what is over keeps its old title', async () => {
    const { user, ctx } = await person('Rena');
    const task = await createTask(ctx(), { title: 'Write report', durationMinutes: 45 });
    const early = at(monday, '06:00');
    const past = await addBlock(ctx(early), { type: 'task', referenceId: task.id, title: 'Write report', date: monday, start: '06:00', end: '06:30' });
    await addBlock(ctx(), { type: 'task', referenceId: task.id, title: 'Write report', date: monday, start: '10:00', end: '10:45' });
    await completeBlockAndTask(ctx(), past.id, { completeTask: false });
    const renamed = await updateTask(ctx(), task.id, { title: 'Write quarterly report' });
    expect(renamed.schedule?.map((c) => [c.action, c.block.title, c.from?.title])).toEqual([['renamed', 'Write quarterly report', 'Write report']]);
    expect(spans(await blocksOf(user.id, task.id))).toEqual([
      'Write report 2030-03-04 06:00–06:30 completed',
      'Write quarterly report 2030-03-04 10:00–10:45 planned',
    ]);
  });

  it('renames the planned block and the day view, ICS export and events follow', async () => {
    const { user, ctx } = await person('Rona');
    const task = await createTask(ctx(), { title: 'Write report', durationMinutes: 45 });
    const placed = await autoSchedule(ctx(), { date: monday });
    expect(placed.placed.map((b) => `${b.title} ${b.startTime}–${b.endTime}`)).toEqual(['Write report 09:00–09:45']);
    const renamed = await updateTask(ctx(), task.id, { title: 'Write quarterly report' });
    expect(renamed.schedule).toEqual([
      expect.objectContaining({ action: 'renamed', from: expect.objectContaining({ title: 'Write report' }), summary: 'block today 09:00–09:45 renamed to “Write quarterly report”' }),
    ]);
    const day = await scheduleDay(ctx(), { date: monday });
    expect(day.blocks.map((b) => b.title)).toEqual(['Write quarterly report']);
    expect(await exportIcs(ctx(), { from: monday, days: 1 })).toContain('SUMMARY:Write quarterly report');
    const feed = await enableIcsFeed(ctx());
    const served = await icsForFeedToken(database.db, feed.path.split('/').pop()!.replace(/\.ics$/, ''), morning);
    expect(served).toContain('SUMMARY:Write quarterly report');
    expect(served).not.toContain('SUMMARY:Write report');
    const [block] = await blocksOf(user.id, task.id);
    expect(await eventsOf(block.id)).toEqual([
      { type: 'scheduling.block.scheduled', reason: undefined },
      { type: 'scheduling.block.rescheduled', reason: 'source_renamed' },
    ]);
    // Nothing else changed: no second event, no schedule report.
    expect((await updateTask(ctx(), task.id, { priority: 'high' })).schedule).toBeUndefined();
  });

  it('a new estimate resizes the block where it fits, else moves it to the first free slot, else removes it and says why', async () => {
    const { user, ctx } = await person('Sizer');
    const task = await createTask(ctx(), { title: 'Draft', durationMinutes: 30 });
    await autoSchedule(ctx(), { date: monday }); // 09:00–09:30
    await addBlock(ctx(), { type: 'focus', title: 'Deep work', date: monday, start: '10:00', end: '12:00' });

    const longer = await updateTask(ctx(), task.id, { durationMinutes: 60 }); // 09:00–10:00 fits (no overlap)
    expect(longer.schedule?.map((c) => c.summary)).toEqual(['block resized: today 09:00–10:00']);
    const shorter = await updateTask(ctx(), task.id, { durationMinutes: 15 });
    expect(shorter.schedule?.map((c) => c.summary)).toEqual(['block resized: today 09:00–09:15']);

    // 90 minutes from 09:00 would run into Deep work: the block moves to the first free slot.
    const moved = await updateTask(ctx(), task.id, { durationMinutes: 90 });
    expect(moved.schedule?.map((c) => [c.action, c.summary])).toEqual([['moved', 'block moved to today 12:05–13:35']]);
    expect(spans(await blocksOf(user.id, task.id))).toEqual(['Draft 2030-03-04 12:05–13:35 planned']);

    // With three-hour working days, four hours fit nowhere in the next 14 days: removed, with the reason.
    await updateProfile(ctx(), { workingHours: Array.from({ length: 7 }, () => ({ start: '09:00', end: '12:00' })) });
    const tooLong = await updateTask(ctx(), task.id, { durationMinutes: 240 });
    expect(tooLong.schedule).toEqual([
      expect.objectContaining({ action: 'unplaced', code: 'longer_than_any_free_slot', summary: expect.stringMatching(/^block today 12:05–13:35 removed: no 4-hour slot left on 4 – 17 Mar 2030 \(the longest free slot is 180 min\)$/) }),
    ]);
    expect(await blocksOf(user.id, task.id)).toEqual([]);
  });

  it('a pinned block keeps its place; a task split over several blocks keeps their lengths', async () => {
    const { user, ctx } = await person('Pinner');
    const task = await createTask(ctx(), { title: 'Pinned', durationMinutes: 30 });
    await autoSchedule(ctx(), { date: monday });
    const [block] = await blocksOf(user.id, task.id);
    const moved = await moveBlock(ctx(), block.id, { start: '14:00', end: '14:30' });
    expect(moved.pinned).toBe(true);
    await addBlock(ctx(), { type: 'focus', title: 'After', date: monday, start: '14:40', end: '16:00' });
    const kept = await updateTask(ctx(), task.id, { durationMinutes: 60 });
    expect(kept.schedule?.map((c) => [c.action, c.code])).toEqual([['kept', 'pinned_block']]);
    expect(spans(await blocksOf(user.id, task.id))).toEqual(['Pinned 2030-03-04 14:00–14:30 planned']);
    // A pinned block may grow where it is when that is free (even outside working hours).
    expect((await updateTask(ctx(), task.id, { durationMinutes: 40 })).schedule?.map((c) => c.action)).toEqual(['resized']);

    const split = await createTask(ctx(), { title: 'Split', durationMinutes: 60 });
    await addBlock(ctx(), { type: 'task', referenceId: split.id, title: 'Split', date: tuesday, start: '09:00', end: '09:30' });
    await addBlock(ctx(), { type: 'task', referenceId: split.id, title: 'Split', date: tuesday, start: '10:00', end: '10:30' });
    const both = await updateTask(ctx(), split.id, { durationMinutes: 90 });
    expect(both.schedule?.map((c) => [c.action, c.code])).toEqual([
      ['kept', 'split_over_blocks'],
      ['kept', 'split_over_blocks'],
    ]);
  });

  it('completing or archiving removes its future blocks, marks the one in progress done and frees the time', async () => {
    const { user, ctx } = await person('Closer');
    const task = await createTask(ctx(), { title: 'Call the bank', durationMinutes: 30 });
    const inProgress = await addBlock(ctx(), { type: 'task', referenceId: task.id, title: 'Call the bank', date: monday, start: '09:00', end: '09:30' });
    await addBlock(ctx(), { type: 'task', referenceId: task.id, title: 'Call the bank', date: monday, start: '15:00', end: '15:30' });
    const nineFifteen = at(monday, '09:15');
    const done = await completeTask(ctx(nineFifteen), task.id);
    expect(done.schedule?.map((c) => c.summary)).toEqual(['block today 09:00–09:30 marked done', 'block today 15:00–15:30 removed']);
    expect(spans(await blocksOf(user.id, task.id))).toEqual(['Call the bank 2030-03-04 09:00–09:30 completed']);
    expect(await eventsOf(inProgress.id)).toEqual([
      { type: 'scheduling.block.scheduled', reason: undefined },
      { type: 'scheduling.block.completed', reason: 'task_completed' },
    ]);
    const day = await scheduleDay(ctx(nineFifteen), { date: monday });
    expect(day.summary.plannedMinutes).toBe(30); // the removed block no longer counts

    const other = await createTask(ctx(), { title: 'Archive me' });
    await autoSchedule(ctx(), { date: monday });
    expect(await blocksOf(user.id, other.id)).toHaveLength(1);
    const archived = await archiveTask(ctx(), other.id);
    expect(archived.schedule?.map((c) => c.action)).toEqual(['removed']);
    expect(await blocksOf(user.id, other.id)).toEqual([]);
  });
});

describe('completing a block by hand', () => {
  it("completes the task with its last planned block, and asks when it has others", async () => {
    const { user, ctx } = await person('Hand');
    const single = await createTask(ctx(), { title: 'One go' });
    const block = await addBlock(ctx(), { type: 'task', referenceId: single.id, title: 'One go', date: monday, start: '09:00', end: '09:30' });
    const done = await completeBlockAndTask(ctx(at(monday, '09:30')), block.id);
    expect(done).toMatchObject({ status: 'completed', task: { id: single.id, status: 'completed' } });

    const twice = await createTask(ctx(), { title: 'Two goes' });
    const first = await addBlock(ctx(), { type: 'task', referenceId: twice.id, title: 'Two goes', date: monday, start: '10:00', end: '10:30' });
    await addBlock(ctx(), { type: 'task', referenceId: twice.id, title: 'Two goes', date: tuesday, start: '10:00', end: '10:30' });
    await expect(completeBlockAndTask(ctx(), first.id)).rejects.toMatchObject({
      code: 'conflict',
      details: { choice: 'completeTask', taskId: twice.id, taskTitle: 'Two goes', otherBlocks: 1 },
    });
    expect((await blocksOf(user.id, twice.id)).map((b) => b.status)).toEqual(['planned', 'planned']); // nothing changed
    const kept = await completeBlockAndTask(ctx(), first.id, { completeTask: false });
    expect(kept.task).toBeUndefined();
    expect((await database.db.task.findUniqueOrThrow({ where: { id: twice.id } })).status).toBe('pending');

    const thrice = await createTask(ctx(), { title: 'Three goes' });
    const one = await addBlock(ctx(), { type: 'task', referenceId: thrice.id, title: 'Three goes', date: monday, start: '11:00', end: '11:30' });
    await addBlock(ctx(), { type: 'task', referenceId: thrice.id, title: 'Three goes', date: tuesday, start: '11:00', end: '11:30' });
    const all = await completeBlockAndTask(ctx(), one.id, { completeTask: true });
    expect(all.task?.status).toBe('completed');
    expect(all.task?.schedule?.map((c) => c.action)).toEqual(['removed']);
    expect(spans(await blocksOf(user.id, thrice.id))).toEqual(['Three goes 2030-03-04 11:00–11:30 completed']);
  });
});

describe('habits and 1:1s', () => {
  it('an archived habit or 1:1 loses its future blocks; a renamed one renames them', async () => {
    const { user, ctx } = await person('Hab');
    const yesterday = () => new Date(morning.getTime() - 86_400_000);
    const habit = await createHabit({ ...ctx(), now: yesterday }, { name: 'Stretch', frequency: 'daily', durationMinutes: 15, preferredTime: 'evening' });
    const meeting = await createMeeting({ ...ctx(), now: () => new Date(morning.getTime() - 7 * 86_400_000) }, { name: 'Alex', cadence: 'weekly', time: '11:00' });
    await autoSchedule(ctx(), { date: monday, habits: true, meetings: true });
    expect(spans(await blocksOf(user.id))).toEqual(['1:1 Alex 2030-03-04 11:00–11:30 planned', 'Stretch 2030-03-04 17:00–17:15 planned']);

    const renamed = await updateHabit(ctx(), habit.id, { name: 'Stretch well' });
    expect(renamed.schedule?.map((c) => c.action)).toEqual(['renamed']);
    const longer = await updateHabit(ctx(), habit.id, { durationMinutes: 20 });
    expect(longer.schedule?.map((c) => c.summary)).toEqual(['block resized: today 17:00–17:20']);
    const meetingRenamed = await updateMeeting(ctx(), meeting.id, { name: 'Alex Kim' });
    expect(meetingRenamed.schedule?.map((c) => c.block.title)).toEqual(['1:1 Alex Kim']);

    expect((await archiveHabit(ctx(), habit.id)).schedule?.map((c) => c.action)).toEqual(['removed']);
    expect((await archiveMeeting(ctx(), meeting.id)).schedule?.map((c) => c.action)).toEqual(['removed']);
    expect(await blocksOf(user.id)).toEqual([]);
  });

  it("a 1:1's new time or cadence re-plans its next block; a pinned one stays", async () => {
    const { user, ctx } = await person('Cadence');
    const meeting = await createMeeting({ ...ctx(), now: () => new Date(morning.getTime() - 7 * 86_400_000) }, { name: 'Sam', cadence: 'weekly', time: '11:00' });
    await autoSchedule(ctx(), { date: monday, meetings: true });
    const [block] = await blocksOf(user.id, meeting.id);
    const later = await updateMeeting(ctx(), meeting.id, { time: '15:00' });
    expect(later.schedule?.map((c) => c.summary)).toEqual(['block moved to today 15:00–15:30']);
    const [moved] = await blocksOf(user.id, meeting.id);
    expect(moved.id).toBe(block.id); // the same block (its calendar event is updated, not replaced)
    expect(await eventsOf(block.id)).toContainEqual({ type: 'scheduling.block.rescheduled', reason: 'source_replanned' });

    // Pinned by hand: a new time leaves it where it was put.
    await moveBlock(ctx(), block.id, { start: '16:00', end: '16:30' });
    expect((await updateMeeting(ctx(), meeting.id, { time: '09:00' })).schedule).toBeUndefined();
    expect(spans(await blocksOf(user.id, meeting.id))).toEqual(['1:1 Sam 2030-03-04 16:00–16:30 planned']);
  });
});

describe('overdue and late-day planning', () => {
  it('in the evening, Plan my day says the working hours are over and offers tomorrow; over two days the task lands tomorrow, flagged', async () => {
    const { user, ctx } = await person('Evening');
    const evening = at(monday, '19:00');
    await createTask(ctx(evening), { title: 'Write report', durationMinutes: 45, due: monday });

    const today = await autoSchedule(ctx(evening), {});
    expect(today.placed).toEqual([]);
    expect(today.failures).toEqual([
      expect.objectContaining({
        code: 'working_hours_over_today',
        reason: 'working hours today ended at 17:00; first free slot tomorrow 09:00, after its due time',
        suggestion: expect.objectContaining({ date: tuesday, time: '09:00' }),
      }),
    ]);

    const twoDays = await autoSchedule(ctx(evening), { days: 2 });
    expect(twoDays.placed.map((b) => [b.date, b.startTime, b.flag, b.note?.code])).toEqual([[tuesday, '09:00', 'after_due', 'no_slot_before_due']]);
    // Once its due time has passed, every view flags it overdue.
    const day = await scheduleDay(ctx(at(tuesday, '08:00')), { date: tuesday });
    expect(day.blocks.map((b) => [b.title, b.flag])).toEqual([['Write report', 'overdue']]);
    expect(await blocksOf(user.id)).toHaveLength(1);
  });

  it('an overdue task is planned at the first free slot, flagged, before newer work of its priority', async () => {
    const { ctx } = await person('Late');
    await createTask(ctx(), { title: 'Fresh', durationMinutes: 30 });
    await createTask(ctx(at('2030-03-01', '08:00')), { title: 'Late', durationMinutes: 30, due: '2030-03-01' });
    const result = await autoSchedule(ctx(), { date: monday });
    expect(result.placed.map((b) => [b.title, b.startTime, b.flag])).toEqual([
      ['Late', '09:00', 'overdue'],
      ['Fresh', '09:35', null],
    ]);
  });
});
