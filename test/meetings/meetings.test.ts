import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import type { ServiceContext } from '../../lib/context';
import { fromZodError } from '../../lib/http/errors';
import { createUser } from '../../lib/identity/users';
import { adaptMeetings } from '../../lib/meetings/adapt';
import {
  archiveMeeting,
  createMeeting,
  getMeeting,
  listMeetings,
  markMeetingHeld,
  meetingsDueOn,
  updateMeeting,
} from '../../lib/meetings/service';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let ctx: ServiceContext;
let clock = new Date('2026-03-10T15:00:00Z'); // Tue 11:00 in New York (EDT since Mar 8)

beforeAll(async () => {
  database = await createTestDatabase();
  const user = await createUser(database.db, { name: 'Mia', timeZone: 'America/New_York' });
  ctx = { db: database.db, userId: user.id, now: () => clock };
});
afterAll(async () => database?.drop());

const eventsOf = (aggregateId: string) => database.db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { sequence: 'asc' } });

/** The one-line message a door shows for a rejected call. */
async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => { throw new Error('expected a rejection'); },
    (e: unknown) => e,
  );
  if (error instanceof ZodError) return fromZodError(error);
  return error as { code: string; message: string };
}

describe('meetings', () => {
  it('creates a 1:1 with defaults, its next occurrence, and a created event in the same transaction', async () => {
    const meeting = await createMeeting(ctx, { name: '  Alex ' });
    expect(meeting).toEqual({
      id: expect.any(String),
      name: 'Alex',
      cadence: 'weekly',
      intervalDays: 7,
      durationMinutes: 30,
      time: '10:00',
      lastHeldAt: null,
      nextOccurrence: '2026-03-17T10:00:00-04:00',
      dueToday: false,
      archived: false,
      archivedAt: null,
      createdAt: '2026-03-10T11:00:00-04:00',
      updatedAt: '2026-03-10T11:00:00-04:00',
    });
    const events = await eventsOf(meeting.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ eventType: 'meetings.meeting.created', aggregateType: 'meeting', metadata: { userId: ctx.userId }, payload: { meeting } });
  });

  it('sets the interval from the cadence, needs one for custom, and follows an interval given alone', async () => {
    expect(await createMeeting(ctx, { name: 'Bo', cadence: 'biweekly', durationMinutes: 45, time: '14:30' })).toMatchObject({
      cadence: 'biweekly', intervalDays: 14, durationMinutes: 45, time: '14:30', nextOccurrence: '2026-03-24T14:30:00-04:00',
    });
    expect(await createMeeting(ctx, { name: 'Cy', cadence: 'monthly', intervalDays: 30 })).toMatchObject({ cadence: 'monthly', intervalDays: 30 });
    expect(await createMeeting(ctx, { name: 'Di', cadence: 'custom', intervalDays: 21 })).toMatchObject({ cadence: 'custom', intervalDays: 21 });
    expect(await createMeeting(ctx, { name: 'Ed', intervalDays: 14 })).toMatchObject({ cadence: 'biweekly', intervalDays: 14 });
  });

  it('rejects bad input naming the field, writing nothing (no row, no outbox event)', async () => {
    const meetings = await database.db.meeting.count();
    const events = await database.db.outboxEvent.count();
    const cases: [object, RegExp][] = [
      [{}, /^name is required/],
      [{ name: '' }, /^name must not be empty/],
      [{ name: 'x'.repeat(501) }, /^name must be at most 500 characters/],
      [{ name: 'x', cadence: 'daily' }, /^cadence must be one of weekly, biweekly, monthly, custom/],
      [{ name: 'x', cadence: 'custom' }, /^intervalDays is required for a custom cadence/],
      [{ name: 'x', cadence: 'weekly', intervalDays: 10 }, /^intervalDays 10 contradicts cadence weekly/],
      [{ name: 'x', cadence: 'custom', intervalDays: 0 }, /^intervalDays must be a whole number of days between 1 and 365/],
      [{ name: 'x', cadence: 'custom', intervalDays: 366 }, /^intervalDays must be/],
      [{ name: 'x', cadence: 'custom', intervalDays: 2.5 }, /^intervalDays must be/],
      [{ name: 'x', durationMinutes: 0 }, /^duration must be between 5 and 480 minutes/],
      [{ name: 'x', durationMinutes: 10_000 }, /^duration must be between 5 and 480 minutes/],
      [{ name: 'x', durationMinutes: 'long' }, /^duration must be a whole number of minutes/],
      [{ name: 'x', time: '25:00' }, /^time must be a time between 00:00 and 23:59 \(HH:MM\), got "25:00"/],
      [{ name: 'x', time: '24:00' }, /^time must be a time/],
      [{ name: 'x', time: 'noon' }, /^time must be a time/],
      [{ name: 'x', colour: 'red' }, /colour/],
    ];
    for (const [input, message] of cases) {
      const error = await rejection(createMeeting(ctx, input as never));
      expect(error.code, JSON.stringify(input)).toBe('validation_error');
      expect(error.message, JSON.stringify(input)).toMatch(message);
      expect(error.message).not.toContain('\n');
    }
    expect(await database.db.meeting.count()).toBe(meetings);
    expect(await database.db.outboxEvent.count()).toBe(events);
  });

  it('updates any field, sets or keeps the interval with the cadence, and records what changed', async () => {
    const meeting = await createMeeting(ctx, { name: 'Fay' });
    clock = new Date('2026-03-10T15:05:00Z');
    const biweekly = await updateMeeting(ctx, meeting.id, { cadence: 'biweekly' });
    expect(biweekly).toMatchObject({ cadence: 'biweekly', intervalDays: 14, nextOccurrence: '2026-03-24T10:00:00-04:00', updatedAt: '2026-03-10T11:05:00-04:00' });
    const custom = await updateMeeting(ctx, meeting.id, { cadence: 'custom' }); // keeps 14 days
    expect(custom).toMatchObject({ cadence: 'custom', intervalDays: 14 });
    expect(await updateMeeting(ctx, meeting.id, { intervalDays: 10 })).toMatchObject({ cadence: 'custom', intervalDays: 10 });
    expect(await updateMeeting(ctx, meeting.id, { intervalDays: 30 })).toMatchObject({ cadence: 'monthly', intervalDays: 30 });
    const all = await updateMeeting(ctx, meeting.id, { name: 'Fay L.', cadence: 'custom', intervalDays: 21, durationMinutes: 60, time: '16:15' });
    expect(all).toMatchObject({ name: 'Fay L.', cadence: 'custom', intervalDays: 21, durationMinutes: 60, time: '16:15', nextOccurrence: '2026-03-31T16:15:00-04:00' });

    const events = await eventsOf(meeting.id);
    expect(events.map((e) => e.eventType)).toEqual(['meetings.meeting.created', ...Array(5).fill('meetings.meeting.updated')]);
    expect(events.map((e) => (e.payload as { changed?: string[] }).changed)).toEqual([
      undefined,
      ['cadence', 'intervalDays'],
      ['cadence'],
      ['intervalDays'],
      ['cadence', 'intervalDays'],
      ['name', 'cadence', 'intervalDays', 'durationMinutes', 'time'],
    ]);
    expect(events.at(-1)!.payload).toMatchObject({ meeting: all });

    // The same values again: nothing to write, no event.
    expect(await updateMeeting(ctx, meeting.id, { name: 'Fay L.', time: '16:15' })).toEqual(all);
    // A named cadence that contradicts the interval, or nothing at all, is bad input.
    const contradicting = await rejection(updateMeeting(ctx, meeting.id, { cadence: 'weekly', intervalDays: 9 }));
    expect(contradicting).toMatchObject({ code: 'validation_error', message: expect.stringMatching(/^intervalDays 9 contradicts cadence weekly/) });
    expect(await rejection(updateMeeting(ctx, meeting.id, {}))).toMatchObject({ message: 'nothing to update: give at least one field' });
    expect(await rejection(updateMeeting(ctx, meeting.id, { time: '25:00' }))).toMatchObject({ message: expect.stringMatching(/^time must be a time/) });
    expect(await rejection(updateMeeting(ctx, meeting.id, { cadence: 'sometimes' as never }))).toMatchObject({ message: expect.stringMatching(/^cadence must be one of/) });
    expect(await eventsOf(meeting.id)).toHaveLength(6);
    expect(await getMeeting(ctx, meeting.id.slice(0, 8).toUpperCase())).toEqual(all);
  });

  it('held: records now, a date at the preferred time, never in the future, and never moves lastHeldAt back', async () => {
    clock = new Date('2026-03-10T15:00:00Z');
    const meeting = await createMeeting(ctx, { name: 'Gus', time: '09:30' });
    const now = await markMeetingHeld(ctx, meeting.id);
    expect(now).toEqual({
      heldAt: '2026-03-10T11:00:00-04:00',
      meeting: expect.objectContaining({ lastHeldAt: '2026-03-10T11:00:00-04:00', nextOccurrence: '2026-03-17T09:30:00-04:00' }),
    });
    // An older occurrence is recorded (event) but lastHeldAt stays.
    const older = await markMeetingHeld(ctx, meeting.id, { date: '2026-03-03' });
    expect(older.heldAt).toBe('2026-03-03T09:30:00-05:00');
    expect(older.meeting.lastHeldAt).toBe('2026-03-10T11:00:00-04:00');
    const explicit = await markMeetingHeld(ctx, meeting.id.slice(0, 6), { date: '2026-03-10', time: '10:45' });
    expect(explicit.meeting.lastHeldAt).toBe('2026-03-10T11:00:00-04:00');

    const events = await eventsOf(meeting.id);
    expect(events.map((e) => e.eventType)).toEqual(['meetings.meeting.created', 'meetings.meeting.held', 'meetings.meeting.held', 'meetings.meeting.held']);
    expect(events[2].payload).toEqual({ meeting: older.meeting, heldAt: '2026-03-03T09:30:00-05:00' });

    for (const [input, message] of [
      [{ date: '2026-03-11' }, /^date 2026-03-11 is in the future/],
      [{ time: '11:30' }, /^time 2026-03-10 11:30 is in the future/],
      [{ date: '2026-02-30' }, /^date must be a real date written YYYY-MM-DD/],
      [{ date: '03/01/2026' }, /^date must be a real date/],
      [{ time: '25:00' }, /^time must be a time between 00:00 and 23:59/],
      [{ when: 'yesterday' }, /when/],
    ] as [object, RegExp][]) {
      const error = await rejection(markMeetingHeld(ctx, meeting.id, input as never));
      expect(error, JSON.stringify(input)).toMatchObject({ code: 'validation_error', message: expect.stringMatching(message) });
    }
    expect(await eventsOf(meeting.id)).toHaveLength(4);
  });

  it('archive is idempotent (one event) and archived meetings reject updates and held', async () => {
    const meeting = await createMeeting(ctx, { name: 'Hal' });
    clock = new Date('2026-03-10T16:00:00Z');
    const archived = await archiveMeeting(ctx, meeting.id);
    expect(archived).toMatchObject({ archived: true, archivedAt: '2026-03-10T12:00:00-04:00', nextOccurrence: null, dueToday: false });
    clock = new Date('2026-03-10T17:00:00Z');
    expect(await archiveMeeting(ctx, meeting.id)).toEqual(archived);
    await expect(updateMeeting(ctx, meeting.id, { name: 'Hal 2' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/archived/) });
    await expect(markMeetingHeld(ctx, meeting.id)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/archived/) });
    const events = await eventsOf(meeting.id);
    expect(events.map((e) => e.eventType)).toEqual(['meetings.meeting.created', 'meetings.meeting.archived']);
    expect(events[1].payload).toEqual({ meeting: archived });
  });

  it('answers another user\'s ids exactly like missing ones and changes nothing', async () => {
    const other = await createUser(database.db, { name: 'Other', timeZone: 'UTC' });
    const otherCtx: ServiceContext = { db: database.db, userId: other.id, now: () => clock };
    const mine = await createMeeting(ctx, { name: 'Private' });
    const before = await database.db.meeting.findUniqueOrThrow({ where: { id: mine.id } });
    for (const call of [
      () => getMeeting(otherCtx, mine.id),
      () => getMeeting(otherCtx, mine.id.slice(0, 8)),
      () => updateMeeting(otherCtx, mine.id, { name: 'stolen' }),
      () => markMeetingHeld(otherCtx, mine.id),
      () => archiveMeeting(otherCtx, mine.id),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'not_found' });
    }
    expect(await database.db.meeting.findUniqueOrThrow({ where: { id: mine.id } })).toEqual(before);
    expect(await eventsOf(mine.id)).toHaveLength(1);
    expect((await listMeetings(otherCtx)).items).toEqual([]);
    expect(await meetingsDueOn(otherCtx, '2026-03-17')).toEqual([]);
  });
});

describe('meeting lists and due dates', () => {
  let listCtx: ServiceContext;
  let listClock = new Date('2026-03-10T09:00:00Z'); // Tue 10:00 in Berlin
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const user = await createUser(database.db, { name: 'Lister', timeZone: 'Europe/Berlin' });
    listCtx = { db: database.db, userId: user.id, now: () => listClock };
    const create = async (name: string, input: object, heldOn?: string) => {
      const meeting = await createMeeting(listCtx, { name, ...input });
      if (heldOn) await markMeetingHeld(listCtx, meeting.id, { date: heldOn });
      ids[name] = meeting.id;
    };
    await create('weekly held Mar 4', { cadence: 'weekly', time: '15:00' }, '2026-03-04'); // → Wed Mar 11 15:00
    await create('due today later', { cadence: 'weekly', time: '16:00' }, '2026-03-03'); // → Tue Mar 10 16:00 (today)
    await create('due today passed', { cadence: 'weekly', time: '09:00' }, '2026-03-03'); // 09:00 passed → Mar 17
    await create('new monthly', { cadence: 'monthly' }); // → Apr 9 10:00
    await create('custom 3d', { cadence: 'custom', intervalDays: 3, time: '08:00' }, '2026-03-09'); // → Thu Mar 12 08:00
    await create('gone', { cadence: 'weekly' });
    await archiveMeeting(listCtx, ids.gone);
  });

  const names = async (input: object) => (await listMeetings(listCtx, input)).items.map((m) => m.name);

  it('sorts by next occurrence and leaves archived ones out unless asked', async () => {
    expect(await names({})).toEqual(['due today later', 'weekly held Mar 4', 'custom 3d', 'due today passed', 'new monthly']);
    expect(await names({ archived: true })).toEqual(['due today later', 'weekly held Mar 4', 'custom 3d', 'due today passed', 'new monthly', 'gone']);
    expect(await names({ archived: 'true' })).toHaveLength(6);
    expect(await names({ archived: 'false' })).toHaveLength(5);
    const items = (await listMeetings(listCtx)).items;
    expect(items.map((m) => [m.nextOccurrence, m.dueToday])).toEqual([
      ['2026-03-10T16:00:00+01:00', true],
      ['2026-03-11T15:00:00+01:00', false],
      ['2026-03-12T08:00:00+01:00', false],
      ['2026-03-17T09:00:00+01:00', false],
      ['2026-04-09T10:00:00+02:00', false], // after the switch to CEST, still 10:00 local
    ]);
  });

  it('pages with an opaque cursor without gaps or repeats, and rejects forged or foreign cursors', async () => {
    for (const archived of [false, true]) {
      const all = await names({ archived });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listMeetings(listCtx, { archived, limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((m) => m.name));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(all);
    }
    await expect(listMeetings(listCtx, { cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({ code: 'validation_error' });
    const theirs = (await listMeetings(ctx, { limit: 1 })).nextCursor!;
    await expect(listMeetings(listCtx, { cursor: theirs })).rejects.toMatchObject({ code: 'validation_error' });
    await expect(listMeetings(listCtx, { limit: 0 })).rejects.toThrow(/limit must be between 1 and 200/);
    await expect(listMeetings(listCtx, { archived: 'maybe' as never })).rejects.toBeInstanceOf(ZodError);
  });

  it('meetingsDueOn gives the meetings whose next occurrence falls on that local date', async () => {
    expect((await meetingsDueOn(listCtx, '2026-03-10')).map((m) => m.name)).toEqual(['due today later']);
    expect((await meetingsDueOn(listCtx, '2026-03-12')).map((m) => m.name)).toEqual(['custom 3d']);
    expect((await meetingsDueOn(listCtx, '2026-03-17')).map((m) => m.name)).toEqual(['due today passed']);
    expect(await meetingsDueOn(listCtx, '2026-03-15')).toEqual([]); // custom 3d's later occurrences are not "next"
    await expect(meetingsDueOn(listCtx, '2026-3-1')).rejects.toThrow(/date must be a real date/);
    // Holding it moves the next occurrence away from today.
    listClock = new Date('2026-03-10T15:30:00Z');
    await markMeetingHeld(listCtx, ids['due today later']);
    expect(await meetingsDueOn(listCtx, '2026-03-10')).toEqual([]);
    expect((await getMeeting(listCtx, ids['due today later'])).nextOccurrence).toBe('2026-03-17T16:00:00+01:00');
  });
});

describe('adapt meetings', () => {
  it('changes cadences by the days since last held, with events in the same transaction, and reports every meeting', async () => {
    const user = await createUser(database.db, { name: 'Adapter', timeZone: 'America/New_York' });
    let now = new Date('2026-03-01T15:00:00Z');
    const actx: ServiceContext = { db: database.db, userId: user.id, now: () => now };
    const make = async (name: string, input: object, heldOn?: string) => {
      const meeting = await createMeeting(actx, { name, ...input });
      if (heldOn) await markMeetingHeld(actx, meeting.id, { date: heldOn });
      return meeting.id;
    };
    const neglected = await make('neglected weekly', { cadence: 'weekly' }, '2026-02-14'); // 28 days ≥ 14 → 14 biweekly
    const almost = await make('almost neglected', { cadence: 'weekly' }, '2026-03-01'); // 13 days < 14 → kept
    const frequent = await make('frequent biweekly', { cadence: 'biweekly' }, '2026-02-20'); // held again below
    const monthly = await make('neglected monthly', { cadence: 'monthly' }, '2026-01-01'); // 60+ days but 30 is the longest
    const never = await make('never held', { cadence: 'custom', intervalDays: 21 });
    const archived = await make('archived', { cadence: 'weekly' }, '2026-01-01');
    await archiveMeeting(actx, archived);
    now = new Date('2026-03-14T15:00:00Z'); // Sat Mar 14, 11:00 EDT
    await markMeetingHeld(actx, frequent, { date: '2026-03-06' }); // 8 days ≤ 8.4 → 7 weekly

    const report = await adaptMeetings(actx);
    // Created at the same instant: in name order.
    expect(report).toEqual({
      evaluated: 5,
      updated: 2,
      meetings: [
        { id: almost, name: 'almost neglected', from: { cadence: 'weekly', intervalDays: 7 }, to: { cadence: 'weekly', intervalDays: 7 }, changed: false, daysSinceHeld: 13, reason: 'last held 13 days ago, between 60% and twice the 7-day interval: cadence kept' },
        {
          id: frequent, name: 'frequent biweekly', from: { cadence: 'biweekly', intervalDays: 14 }, to: { cadence: 'weekly', intervalDays: 7 }, changed: true, daysSinceHeld: 8,
          reason: 'last held 8 days ago, within 60% of the 14-day interval: meet more often, every 7 days',
        },
        { id: monthly, name: 'neglected monthly', from: { cadence: 'monthly', intervalDays: 30 }, to: { cadence: 'monthly', intervalDays: 30 }, changed: false, daysSinceHeld: 72, reason: expect.stringMatching(/already the longest/) },
        {
          id: neglected, name: 'neglected weekly', from: { cadence: 'weekly', intervalDays: 7 }, to: { cadence: 'biweekly', intervalDays: 14 }, changed: true, daysSinceHeld: 28,
          reason: 'last held 28 days ago, at least twice the 7-day interval: meet less often, every 14 days',
        },
        { id: never, name: 'never held', from: { cadence: 'custom', intervalDays: 21 }, to: { cadence: 'custom', intervalDays: 21 }, changed: false, daysSinceHeld: null, reason: expect.stringMatching(/^never held/) },
      ],
    });
    expect(await getMeeting(actx, neglected)).toMatchObject({ cadence: 'biweekly', intervalDays: 14 });
    expect(await getMeeting(actx, frequent)).toMatchObject({ cadence: 'weekly', intervalDays: 7 });
    const changed = (await eventsOf(neglected)).at(-1)!;
    expect(changed).toMatchObject({ eventType: 'meetings.smart1to1.frequency_changed', aggregateType: 'meeting', metadata: { userId: user.id } });
    expect(changed.payload).toEqual({
      meeting: await getMeeting(actx, neglected),
      from: { cadence: 'weekly', intervalDays: 7 },
      to: { cadence: 'biweekly', intervalDays: 14 },
      daysSinceHeld: 28,
    });
    for (const id of [almost, monthly, never, archived]) {
      expect((await eventsOf(id)).map((e) => e.eventType)).not.toContain('meetings.smart1to1.frequency_changed');
    }
  });
});
