import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as blocks from '../../app/api/v1/schedule/blocks/route';
import * as item from '../../app/api/v1/schedule/blocks/[id]/route';
import { POST as completeRoute } from '../../app/api/v1/schedule/blocks/[id]/complete/route';
import { GET as dayRoute } from '../../app/api/v1/schedule/day/route';
import { GET as freeRoute } from '../../app/api/v1/schedule/free/route';
import { GET as weekRoute } from '../../app/api/v1/schedule/week/route';
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
  bob = await userWithToken(database.db, 'Bob', 'America/New_York');
});
afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});

const eventTypes = async (aggregateId: string) =>
  (await database.db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { sequence: 'asc' } })).map((e) => e.eventType);

// Days from the Monday two weeks ahead (Alice's zone), so "never in the past" never cuts them; the
// commands run on the real clock, so no date here is written down.
const firstMonday = DateTime.now().setZone('Europe/Berlin').startOf('week').plus({ weeks: 2 });
const mondayPlus = (days: number) => firstMonday.plus({ days }).toISODate()!;
const monday = mondayPlus(0);
/** A wall-clock time on a date in a zone, as the API writes it: 2030-01-07T09:00:00+01:00. */
const localIso = (date: string, time: string, zone: string) => DateTime.fromISO(`${date}T${time}`, { zone }).toISO({ suppressMilliseconds: true })!;

describe('REST /api/v1/schedule', () => {
  it('adds (201), shows, moves, completes and removes a block, writing one event per change', async () => {
    const added = await callRoute(blocks.POST, { token: alice.token, body: { type: 'focus', title: 'Deep work', date: monday, start: '09:00', end: '10:30' } });
    expect(added).toMatchObject({ status: 201, body: { title: 'Deep work', start: localIso(monday, '09:00', 'Europe/Berlin'), startTime: '09:00', endTime: '10:30', minutes: 90, status: 'planned' } });
    const params = { id: added.body.id };
    expect((await callRoute(item.GET, { token: alice.token, params: { id: added.body.id.slice(0, 8) } })).body).toEqual(added.body);

    const other = await callRoute(blocks.POST, { token: alice.token, body: { type: 'meeting', title: 'Sync', date: monday, start: '11:00', end: '11:30' } });
    const clash = await callRoute(item.PATCH, { token: alice.token, method: 'PATCH', params: { id: other.body.id }, body: { start: '10:00', end: '11:00' } });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({
      code: 'conflict',
      message: `the block overlaps "Deep work" 09:00–10:30 (block ${added.body.id.slice(0, 8)})`,
      details: { conflictingBlock: { id: added.body.id } },
    });
    const moved = await callRoute(item.PATCH, { token: alice.token, method: 'PATCH', params, body: { start: '13:00', end: '14:30' } });
    expect(moved).toMatchObject({ status: 200, body: { startTime: '13:00', endTime: '14:30' } });
    expect((await callRoute(completeRoute, { token: alice.token, method: 'POST', params })).body.status).toBe('completed');
    const twice = await callRoute(completeRoute, { token: alice.token, method: 'POST', params });
    expect(twice).toEqual({ status: 409, body: { error: { code: 'conflict', message: 'block is already completed' } } });
    const removed = await callRoute(item.DELETE, { token: alice.token, method: 'DELETE', params });
    expect(removed).toMatchObject({ status: 200, body: { id: params.id, status: 'completed' } });
    expect((await callRoute(item.GET, { token: alice.token, params })).status).toBe(404);
    expect(await eventTypes(params.id)).toEqual(['scheduling.block.scheduled', 'scheduling.block.rescheduled', 'scheduling.block.completed', 'scheduling.block.removed']);
    expect(await eventTypes(other.body.id)).toEqual(['scheduling.block.scheduled']);
  });

  it('day, week, free slots and the block list read from the query string', async () => {
    const date = mondayPlus(7);
    await callRoute(blocks.POST, { token: alice.token, body: { type: 'focus', title: 'Morning', date, start: '09:00', end: '10:00' } });
    await callRoute(blocks.POST, { token: alice.token, body: { type: 'task', title: 'Afternoon', date, start: '14:00', end: '15:00' } });
    const day = await callRoute(dayRoute, { token: alice.token, path: `/api/v1/schedule/day?date=${date}` });
    expect(day).toMatchObject({ status: 200, body: { date, timeZone: 'Europe/Berlin', workingHours: { start: '09:00', end: '17:00' }, summary: { plannedMinutes: 120, freeMinutes: 360 } } });
    expect(day.body.blocks.map((b: { title: string }) => b.title)).toEqual(['Morning', 'Afternoon']);
    const week = await callRoute(weekRoute, { token: alice.token, path: `/api/v1/schedule/week?date=${monday}&offset=1` });
    expect(week.body).toMatchObject({ weekStart: date, weekEnd: mondayPlus(13) });
    expect(week.body.days).toHaveLength(7);
    const free = await callRoute(freeRoute, { token: alice.token, path: `/api/v1/schedule/free?date=${date}&min=121` });
    expect(free.body.slots.map((s: { startTime: string; endTime: string }) => `${s.startTime}–${s.endTime}`)).toEqual(['10:00–14:00']);
    const list = await callRoute(blocks.GET, { token: alice.token, path: `/api/v1/schedule/blocks?from=${date}&to=${date}&limit=1` });
    expect(list.body).toMatchObject({ items: [{ title: 'Morning' }], nextCursor: expect.any(String) });
    const next = await callRoute(blocks.GET, { token: alice.token, path: `/api/v1/schedule/blocks?from=${date}&to=${date}&limit=1&cursor=${list.body.nextCursor}` });
    expect(next.body).toMatchObject({ items: [{ title: 'Afternoon' }], nextCursor: null });
    for (const [path, message] of [
      ['/api/v1/schedule/free?min=3', /min must be a whole number/],
      ['/api/v1/schedule/week?offset=60', /offset must be/],
      ['/api/v1/schedule/day?date=2024-02-30', /date must be a real date/],
    ] as const) {
      const bad = await callRoute(path.includes('free') ? freeRoute : path.includes('week') ? weekRoute : dayRoute, { token: alice.token, path });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(message);
    }
  });

  it('answers 400 naming the field for bad bodies, storing nothing and writing no outbox row', async () => {
    const blocksBefore = await database.db.scheduleBlock.count();
    const eventsBefore = await database.db.outboxEvent.count();
    const base = { type: 'focus', title: 'x', date: mondayPlus(14), start: '09:00', end: '10:00' };
    for (const [change, field, message] of [
      [{ start: '10:00', end: '09:00' }, 'end', /end must be after start/],
      [{ start: '09:00', end: '09:03' }, 'end', /a block must be at least 5 minutes/],
      [{ type: 'nap' }, 'type', /type must be one of/],
      [{ date: '2024-02-30' }, 'date', /date must be a real date/],
      [{ start: '25:00' }, 'start', /start must be a time HH:MM/],
    ] as const) {
      const result = await callRoute(blocks.POST, { token: alice.token, body: { ...base, ...change } });
      expect(result.status).toBe(400);
      expect(result.body.error).toMatchObject({ code: 'validation_error', message: expect.stringMatching(message), details: { issues: [expect.objectContaining({ field })] } });
    }
    expect(await database.db.scheduleBlock.count()).toBe(blocksBefore);
    expect(await database.db.outboxEvent.count()).toBe(eventsBefore);
  });

  it('isolation: every route answers 404 for another user\'s block and changes nothing', async () => {
    const theirs = (await callRoute(blocks.POST, { token: bob.token, body: { type: 'focus', title: 'Bob private', date: monday, start: '09:00', end: '10:00' } })).body;
    const params = { id: theirs.id };
    const attempts = [
      await callRoute(item.GET, { token: alice.token, params }),
      await callRoute(item.PATCH, { token: alice.token, method: 'PATCH', params, body: { start: '11:00', end: '12:00' } }),
      await callRoute(item.DELETE, { token: alice.token, method: 'DELETE', params }),
      await callRoute(completeRoute, { token: alice.token, method: 'POST', params }),
      await callRoute(item.GET, { token: alice.token, params: { id: 'not-a-uuid' } }),
    ];
    for (const attempt of attempts) expect(attempt).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const list = await callRoute(blocks.GET, { token: alice.token, path: '/api/v1/schedule/blocks?limit=200' });
    expect(list.body.items.map((b: { id: string }) => b.id)).not.toContain(theirs.id);
    const day = await callRoute(dayRoute, { token: alice.token, path: `/api/v1/schedule/day?date=${monday}` });
    expect(day.body.blocks.map((b: { id: string }) => b.id)).not.toContain(theirs.id);
    expect(await database.db.scheduleBlock.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ title: 'Bob private', status: 'planned', startAt: new Date(localIso(monday, '09:00', 'America/New_York')) });
    expect(await eventTypes(theirs.id)).toEqual(['scheduling.block.scheduled']);
  });
});

describe('orbita schedule', () => {
  const cli = (user: { id: string }, ...args: string[]) => runCli(args, { DATABASE_URL: database.url, ORBITA_USER_ID: user.id, OUTBOX_PROCESSOR_ENABLED: 'false' });
  const date = mondayPlus(28); // a Monday

  it('add, show, week, free, move, complete, remove — by 8-char prefix, readable text and --json', async () => {
    const added = await cli(alice, 'schedule', 'add', '--type', 'focus', '--title', 'Deep work', '--start', '09:00', '--end', '10:30', '--date', date, '--json');
    expect(added.stderr).toBe('');
    const block = JSON.parse(added.stdout);
    const prefix = block.id.slice(0, 8);
    expect(block).toMatchObject({ type: 'focus', title: 'Deep work', date, startTime: '09:00', endTime: '10:30' });
    const lunch = await cli(alice, 'schedule', 'add', '--type', 'break', '--title', 'Lunch', '--start', '12:00', '--end', '13:00', '--date', date);
    expect(lunch.stdout.trim()).toMatch(new RegExp(`^added block [0-9a-f]{8} break "Lunch" ${date} 12:00–13:00 \\(planned\\)$`));

    const shown = await cli(alice, 'schedule', 'show', '--date', date);
    expect(shown.stdout).toMatch(new RegExp(`^Monday ${date} \\(Europe/Berlin\\) · working hours 09:00–17:00$`, 'm'));
    expect(shown.stdout).toMatch(new RegExp(`^09:00–10:30  focus    Deep work  ${prefix}  planned$`, 'm'));
    expect(shown.stdout).toMatch(/^12:00–13:00 {2}break {4}Lunch {6}[0-9a-f]{8} {2}planned$/m);
    expect(shown.stdout).toMatch(/^planned 150 min · free 330 min$/m);

    const today = await cli(alice, 'schedule', 'today');
    expect(today.stdout.split('\n')[0]).toContain(`${DateTime.now().setZone('Europe/Berlin').toISODate()} (Europe/Berlin)`);

    const week = await cli(alice, 'schedule', 'week', '--date', mondayPlus(21), '--next', '--json');
    expect(JSON.parse(week.stdout)).toMatchObject({ weekStart: date, weekEnd: mondayPlus(34) });
    const weekText = await cli(alice, 'schedule', 'week', '--date', date);
    expect(weekText.stdout).toMatch(new RegExp(`^week ${date} – ${mondayPlus(34)} \\(Europe/Berlin\\)$`, 'm'));
    expect(weekText.stdout).toMatch(new RegExp(`^  09:00–10:30  focus    Deep work  ${prefix}  planned$`, 'm'));

    const free = await cli(alice, 'schedule', 'free', '--date', date, '--min', '60');
    expect(free.stdout.trim().split('\n')).toEqual([`free on ${date} (Europe/Berlin), slots of at least 60 min`, '10:30–12:00  90 min', '13:00–17:00  240 min']);

    const clash = await cli(alice, 'schedule', 'add', '--type', 'meeting', '--title', 'Standup', '--start', '10:00', '--end', '10:15', '--date', date);
    expect({ code: clash.code, stderr: clash.stderr.trim() }).toEqual({ code: 4, stderr: `orbita: the block overlaps "Deep work" 09:00–10:30 (block ${prefix})` });

    const moved = await cli(alice, 'schedule', 'move', prefix, '--start', '14:00', '--end', '15:30');
    expect(moved.stdout.trim()).toBe(`moved block ${prefix} focus "Deep work" ${date} 14:00–15:30 (planned)`);
    expect((await cli(alice, 'schedule', 'complete', prefix)).stdout.trim()).toBe(`completed block ${prefix} focus "Deep work" ${date} 14:00–15:30 (completed)`);
    const twice = await cli(alice, 'schedule', 'complete', prefix);
    expect({ code: twice.code, stderr: twice.stderr.trim() }).toEqual({ code: 4, stderr: 'orbita: block is already completed' });
    const removed = await cli(alice, 'schedule', 'remove', prefix, '--json');
    expect(JSON.parse(removed.stdout)).toMatchObject({ id: block.id });
    expect(await eventTypes(block.id)).toEqual(['scheduling.block.scheduled', 'scheduling.block.rescheduled', 'scheduling.block.completed', 'scheduling.block.removed']);
    expect(await database.db.scheduleBlock.count({ where: { id: block.id } })).toBe(0);
  }, 120_000);

  it('bad flags: one line naming the field, exit 2, nothing stored, no outbox row', async () => {
    const blocksBefore = await database.db.scheduleBlock.count();
    const eventsBefore = await database.db.outboxEvent.count();
    const base = { '--type': 'focus', '--title': 'x', '--start': '09:00', '--end': '10:00', '--date': mondayPlus(29) };
    for (const [change, message] of [
      [{ '--start': '10:00', '--end': '09:00' }, /^orbita: end must be after start$/],
      [{ '--start': '09:00', '--end': '09:03' }, /^orbita: end: a block must be at least 5 minutes$/],
      [{ '--type': 'nap' }, /^orbita: type must be one of task, habit, meeting, focus, break, event$/],
      [{ '--date': '2024-02-30' }, /^orbita: date must be a real date/],
      [{ '--start': '25:00' }, /^orbita: start must be a time HH:MM/],
    ] as const) {
      const args = Object.entries({ ...base, ...change }).flat();
      const result = await cli(alice, 'schedule', 'add', ...args);
      expect(result.code, JSON.stringify(change)).toBe(2);
      expect(result.stderr.trim()).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    const both = await cli(alice, 'schedule', 'week', '--next', '--offset', '2');
    expect({ code: both.code, stderr: both.stderr.trim() }).toEqual({ code: 2, stderr: 'orbita: use either --next or --offset, not both' });
    const min = await cli(alice, 'schedule', 'free', '--min', '3');
    expect(min.code).toBe(2);
    expect(min.stderr).toMatch(/min must be a whole number of minutes between 5 and 480/);
    expect(await database.db.scheduleBlock.count()).toBe(blocksBefore);
    expect(await database.db.outboxEvent.count()).toBe(eventsBefore);
  }, 120_000);

  it('isolation: every command answers not found (exit 4) for another user\'s block, changing nothing', async () => {
    const theirs = await database.db.scheduleBlock.create({
      data: { userId: bob.id, type: 'focus', title: 'Bob secret', startAt: new Date(`${mondayPlus(30)}T14:00:00Z`), endAt: new Date(`${mondayPlus(30)}T15:00:00Z`) },
    });
    for (const command of [['move', '--start', '11:00', '--end', '12:00'], ['complete'], ['remove']]) {
      const [verb, ...rest] = command;
      const result = await cli(alice, 'schedule', verb, theirs.id, ...rest);
      expect(result.code).toBe(4);
      expect(result.stderr.trim()).toBe(`orbita: block ${theirs.id} not found`);
    }
    expect(await database.db.scheduleBlock.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ title: 'Bob secret', status: 'planned', startAt: theirs.startAt });
    expect(await eventTypes(theirs.id)).toEqual([]);
  }, 120_000);
});
