import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST as importRoute } from '../../app/api/v1/calendar/import/route';
import { importCalendar, importWindow, mapEvent, type MappingOptions } from '../../lib/calendar/import';
import { setCalendar } from '../../lib/calendar/settings';
import { resetConfig } from '../../lib/config';
import type { ServiceContext } from '../../lib/context';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import { addBlock, scheduleWeek } from '../../lib/scheduling/blocks';
import { type FakeGoogle, type FakeGoogleEvent, startFakeGoogle } from '../fakes/google/server';
import { callRoute } from '../helpers/api';
import { connectGoogle, useFakeGoogleEnv } from '../helpers/calendar';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type TestUser, userWithToken } from '../helpers/users';

const zone = 'Europe/Berlin';
// Tuesday 2026-03-10 09:00 in Berlin; the 7-day window is [2026-03-09T23:00Z, 2026-03-16T23:00Z).
const NOW = new Date('2026-03-10T08:00:00Z');
const team = 'team@group.calendar.google.com';
const savedCalendarId = process.env.CALENDAR_ID;
let restoreEnv: () => void = () => {};

let database: TestDatabase;
let google: FakeGoogle;
let alice: TestUser;
let bob: TestUser;

function setEnv(values: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfig();
}

const ctxOf = (user: TestUser, now = NOW): ServiceContext => ({ db: database.db, userId: user.id, now: () => now });

const connect = (user: TestUser) => connectGoogle(database.db, user.id, google);

let etag = 0;
/** Puts an event straight into the fake's store (a change Google's sync tokens then report). */
function put(calendarId: string, event: Partial<FakeGoogleEvent> & { id: string }) {
  const full = { status: 'confirmed', start: {}, end: {}, updated: new Date().toISOString(), etag: `"e${++etag}"`, ...event } as FakeGoogleEvent;
  google.events(calendarId).set(full.id, full);
}
const timed = (id: string, summary: string, start: string, end: string, extra: Partial<FakeGoogleEvent> = {}) => ({
  id,
  summary,
  start: { dateTime: start },
  end: { dateTime: end },
  ...extra,
});

async function importedBlocks(user: TestUser, calendarId?: string) {
  return database.db.scheduleBlock.findMany({
    where: { userId: user.id, source: 'imported', ...(calendarId ? { externalCalendarId: calendarId } : {}) },
    orderBy: [{ startAt: 'asc' }, { externalEventId: 'asc' }],
  });
}

async function blockEvents(user: TestUser, type: string) {
  const rows = await database.db.outboxEvent.findMany({ where: { eventType: type } });
  return rows.filter((r) => (r.metadata as { userId?: string }).userId === user.id);
}

const listRequests = () => google.requests.filter((r) => r.method === 'GET' && /\/events$/.test(r.path));

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  google = await startFakeGoogle({ accountEmail: 'importer@example.com' });
  google.calendars.set(team, { id: team, summary: 'Team', accessRole: 'owner', timeZone: 'UTC' });
  restoreEnv = useFakeGoogleEnv(google);
});

beforeEach(async () => {
  google.reset();
  setEnv({ CALENDAR_ID: undefined });
  alice = await userWithToken(database.db, `alice-${++etag}`, zone);
  bob = await userWithToken(database.db, `bob-${++etag}`, zone);
  await connect(alice);
  await connect(bob);
  google.requests.length = 0;
});

afterAll(async () => {
  restoreEnv();
  setEnv({ CALENDAR_ID: savedCalendarId });
  await google?.close();
  await disconnectDb();
  await database?.drop();
});

describe('mapping (pure)', () => {
  const window = importWindow(NOW, zone, 7);
  const options: MappingOptions = { zone, window, includeAllDay: false, taggedOnly: false };

  it('the window starts at local midnight today and lasts `days` local days', () => {
    expect(window.from.toISOString()).toBe('2026-03-09T23:00:00.000Z');
    expect(window.to.toISOString()).toBe('2026-03-16T23:00:00.000Z');
    // 2026-10-25 is 25 h long in Berlin: the window still ends at a local midnight.
    const autumn = importWindow(new Date('2026-10-24T12:00:00Z'), zone, 2);
    expect(autumn.from.toISOString()).toBe('2026-10-23T22:00:00.000Z');
    expect(autumn.to.toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('maps a timed event; untitled → (no title); cancelled → remove; outside the window → remove', () => {
    expect(mapEvent(timed('a', 'Standup', '2026-03-10T09:00:00Z', '2026-03-10T09:15:00Z'), options, new Set())).toEqual({
      kind: 'blocks',
      spans: [{ externalEventId: 'a', title: 'Standup', startAt: new Date('2026-03-10T09:00:00Z'), endAt: new Date('2026-03-10T09:15:00Z') }],
    });
    const untitled = mapEvent({ ...timed('b', '', '2026-03-10T09:00:00Z', '2026-03-10T10:00:00Z'), summary: undefined }, options, new Set());
    expect(untitled.kind === 'blocks' && untitled.spans[0].title).toBe('(no title)');
    expect(mapEvent({ id: 'c', status: 'cancelled' }, options, new Set())).toEqual({ kind: 'remove' });
    expect(mapEvent(timed('d', 'Later', '2026-03-20T09:00:00Z', '2026-03-20T10:00:00Z'), options, new Set())).toEqual({ kind: 'remove' });
    expect(mapEvent(timed('e', 'Zero', '2026-03-10T09:00:00Z', '2026-03-10T09:00:00Z'), options, new Set())).toMatchObject({ kind: 'skip' });
  });

  it('all-day events are skipped unless includeAllDay; then they cover the local day(s), split per day, 25 h days clamped to 24 h', () => {
    const allDay = { id: 'f', summary: 'Offsite', start: { date: '2026-03-11' }, end: { date: '2026-03-13' } };
    expect(mapEvent(allDay, options, new Set())).toMatchObject({ kind: 'skip', reason: expect.stringContaining('all-day') });
    expect(mapEvent(allDay, { ...options, includeAllDay: true }, new Set())).toEqual({
      kind: 'blocks',
      spans: [
        { externalEventId: 'f#2026-03-11', title: 'Offsite', startAt: new Date('2026-03-10T23:00:00Z'), endAt: new Date('2026-03-11T23:00:00Z') },
        { externalEventId: 'f#2026-03-12', title: 'Offsite', startAt: new Date('2026-03-11T23:00:00Z'), endAt: new Date('2026-03-12T23:00:00Z') },
      ],
    });
    const single = mapEvent({ id: 'g', summary: 'Holiday', start: { date: '2026-03-12' }, end: { date: '2026-03-13' } }, { ...options, includeAllDay: true }, new Set());
    expect(single).toEqual({ kind: 'blocks', spans: [{ externalEventId: 'g', title: 'Holiday', startAt: new Date('2026-03-11T23:00:00Z'), endAt: new Date('2026-03-12T23:00:00Z') }] });
    const autumnWindow = importWindow(new Date('2026-10-24T12:00:00Z'), zone, 3);
    const dstDay = mapEvent({ id: 'h', summary: 'Long day', start: { date: '2026-10-25' }, end: { date: '2026-10-26' } }, { ...options, window: autumnWindow, includeAllDay: true }, new Set());
    expect(dstDay).toEqual({
      kind: 'blocks',
      spans: [{ externalEventId: 'h#2026-10-25', title: 'Long day', startAt: new Date('2026-10-24T22:00:00Z'), endAt: new Date('2026-10-25T22:00:00Z') }],
    });
  });

  it('a timed event longer than 24 h is split at local midnights; only pieces inside the window are kept', () => {
    const mapped = mapEvent(timed('i', 'Conference', '2026-03-09T12:00:00Z', '2026-03-11T12:00:00Z'), options, new Set());
    expect(mapped).toEqual({
      kind: 'blocks',
      spans: [
        { externalEventId: 'i#2026-03-10', title: 'Conference', startAt: new Date('2026-03-09T23:00:00Z'), endAt: new Date('2026-03-10T23:00:00Z') },
        { externalEventId: 'i#2026-03-11', title: 'Conference', startAt: new Date('2026-03-10T23:00:00Z'), endAt: new Date('2026-03-11T12:00:00Z') },
      ],
    });
  });

  it('tagged-only and orbita_block_id tags', () => {
    const plain = timed('j', 'Plain', '2026-03-10T09:00:00Z', '2026-03-10T10:00:00Z');
    expect(mapEvent(plain, { ...options, taggedOnly: true }, new Set())).toMatchObject({ kind: 'skip', reason: expect.stringContaining('tagged') });
    const tagged = { ...plain, extendedProperties: { private: { orbita: '1', orbita_block_id: '11111111-1111-4111-8111-111111111111' } } };
    expect(mapEvent(tagged, { ...options, taggedOnly: true }, new Set())).toMatchObject({ kind: 'blocks' });
    expect(mapEvent(tagged, options, new Set(['11111111-1111-4111-8111-111111111111']))).toMatchObject({ kind: 'skip', reason: expect.stringContaining('written by Orbita') });
  });
});

describe('importCalendar against the fake Google', () => {
  it('first import lists the window and creates imported blocks with outbox events', async () => {
    put('primary', timed('ev1', 'Standup', '2026-03-10T09:00:00Z', '2026-03-10T09:15:00Z'));
    put('primary', timed('ev2', 'Review', '2026-03-12T13:00:00Z', '2026-03-12T14:00:00Z'));
    put('primary', timed('ev3', 'Next month', '2026-04-12T13:00:00Z', '2026-04-12T14:00:00Z'));
    const result = await importCalendar(ctxOf(alice), { days: 7, type: 'meeting' });
    expect(result).toMatchObject({ calendar_id: 'primary', created: 2, updated: 0, removed: 0, skipped: 0, full_resync: false });
    expect(result.requests).toBe(1);
    expect(result.window).toEqual({ from: '2026-03-10T00:00:00+01:00', to: '2026-03-17T00:00:00+01:00' });

    const [list] = listRequests();
    expect(list.query).toMatchObject({ singleEvents: 'true', showDeleted: 'true', timeMin: '2026-03-09T23:00:00.000Z', timeMax: '2026-03-16T23:00:00.000Z' });
    expect(list.query.syncToken).toBeUndefined();

    const blocks = await importedBlocks(alice);
    expect(blocks.map((b) => [b.externalEventId, b.title, b.type, b.status, b.externalCalendarId, b.startAt.toISOString(), b.endAt.toISOString()])).toEqual([
      ['ev1', 'Standup', 'meeting', 'planned', 'primary', '2026-03-10T09:00:00.000Z', '2026-03-10T09:15:00.000Z'],
      ['ev2', 'Review', 'meeting', 'planned', 'primary', '2026-03-12T13:00:00.000Z', '2026-03-12T14:00:00.000Z'],
    ]);
    expect((await blockEvents(alice, 'scheduling.block.scheduled')).length).toBe(2);
    const state = await database.db.calendarSyncState.findUnique({ where: { userId_calendarId: { userId: alice.id, calendarId: 'primary' } } });
    expect(state?.syncToken).toBeTruthy();
    expect(state?.lastImportAt?.toISOString()).toBe(NOW.toISOString());
  });

  it('re-import uses the sync token, updates a changed event in place and never duplicates', async () => {
    put('primary', timed('ev1', 'Standup', '2026-03-10T09:00:00Z', '2026-03-10T09:15:00Z'));
    put('primary', timed('ev2', 'Review', '2026-03-12T13:00:00Z', '2026-03-12T14:00:00Z'));
    await importCalendar(ctxOf(alice), { days: 7, type: 'meeting' });
    const before = await importedBlocks(alice);

    const again = await importCalendar(ctxOf(alice), { days: 7, type: 'meeting' });
    expect(again).toMatchObject({ created: 0, updated: 0, removed: 0, full_resync: false });

    put('primary', timed('ev2', 'Design review', '2026-03-12T15:00:00Z', '2026-03-12T16:30:00Z'));
    const result = await importCalendar(ctxOf(alice), { days: 7, type: 'meeting' });
    expect(result).toMatchObject({ created: 0, updated: 1, removed: 0, skipped: 0, full_resync: false });
    const last = listRequests().at(-1)!;
    expect(last.query.syncToken).toBeTruthy();
    expect(last.query.timeMin).toBeUndefined();

    const after = await importedBlocks(alice);
    expect(after).toHaveLength(2);
    const review = after.find((b) => b.externalEventId === 'ev2')!;
    expect(review.id).toBe(before.find((b) => b.externalEventId === 'ev2')!.id);
    expect([review.title, review.startAt.toISOString(), review.endAt.toISOString()]).toEqual(['Design review', '2026-03-12T15:00:00.000Z', '2026-03-12T16:30:00.000Z']);
    const moved = await blockEvents(alice, 'scheduling.block.rescheduled');
    expect(moved).toHaveLength(1);
    expect((moved[0].payload as { from: { start: string } }).from.start).toBe('2026-03-12T14:00:00+01:00');
  });

  it('an event deleted or cancelled in Google removes its block', async () => {
    put('primary', timed('ev1', 'Standup', '2026-03-10T09:00:00Z', '2026-03-10T09:15:00Z'));
    put('primary', timed('ev2', 'Review', '2026-03-12T13:00:00Z', '2026-03-12T14:00:00Z'));
    await importCalendar(ctxOf(alice), { days: 7, type: 'meeting' });
    google.events('primary').delete('ev1');
    put('primary', { ...timed('ev2', 'Review', '2026-03-12T13:00:00Z', '2026-03-12T14:00:00Z'), status: 'cancelled' });
    const result = await importCalendar(ctxOf(alice), { days: 7, type: 'meeting' });
    expect(result).toMatchObject({ created: 0, updated: 0, removed: 2, full_resync: false });
    expect(await importedBlocks(alice)).toEqual([]);
    expect(await blockEvents(alice, 'scheduling.block.removed')).toHaveLength(2);
  });

  it('an expired sync token (410) → full resync, and the result is still right', async () => {
    put('primary', timed('ev1', 'Standup', '2026-03-10T09:00:00Z', '2026-03-10T09:15:00Z'));
    put('primary', timed('ev2', 'Review', '2026-03-12T13:00:00Z', '2026-03-12T14:00:00Z'));
    await importCalendar(ctxOf(alice), { days: 7, type: 'meeting' });
    google.expireSyncTokens();
    google.events('primary').delete('ev1'); // deleted while the token was dead: only the full list can tell
    put('primary', timed('ev2', 'Review (moved)', '2026-03-13T13:00:00Z', '2026-03-13T14:00:00Z'));
    put('primary', timed('ev4', 'New', '2026-03-14T08:00:00Z', '2026-03-14T09:00:00Z'));
    const result = await importCalendar(ctxOf(alice), { days: 7, type: 'meeting' });
    expect(result).toMatchObject({ created: 1, updated: 1, removed: 1, full_resync: true, requests: 2 });
    const [withToken, full] = listRequests().slice(-2);
    expect(withToken.status).toBe(410);
    expect(full.query.syncToken).toBeUndefined();
    expect(full.query.timeMin).toBe('2026-03-09T23:00:00.000Z');
    expect((await importedBlocks(alice)).map((b) => [b.externalEventId, b.title])).toEqual([
      ['ev2', 'Review (moved)'],
      ['ev4', 'New'],
    ]);
    // The new token works again.
    const next = await importCalendar(ctxOf(alice), { days: 7, type: 'meeting' });
    expect(next).toMatchObject({ created: 0, updated: 0, removed: 0, full_resync: false });
    expect(listRequests().at(-1)!.status).toBe(200);
  });

  it('a new day or another window lists the window again (full resync)', async () => {
    put('primary', timed('ev1', 'Standup', '2026-03-10T09:00:00Z', '2026-03-10T09:15:00Z'));
    await importCalendar(ctxOf(alice), { days: 7, type: 'meeting' });
    const wider = await importCalendar(ctxOf(alice), { days: 14, type: 'meeting' });
    expect(wider).toMatchObject({ full_resync: true, created: 0, unchanged: 1 });
    expect(listRequests().at(-1)!.query.timeMax).toBe('2026-03-23T23:00:00.000Z');
    const tomorrow = await importCalendar(ctxOf(alice, new Date('2026-03-11T08:00:00Z')), { days: 14, type: 'meeting' });
    expect(tomorrow.full_resync).toBe(true);
    expect(listRequests().at(-1)!.query.timeMin).toBe('2026-03-10T23:00:00.000Z');
  });

  it('all-day events are skipped unless includeAllDay', async () => {
    put('primary', { id: 'day1', summary: 'Offsite', start: { date: '2026-03-11' }, end: { date: '2026-03-12' } });
    put('primary', timed('ev1', 'Standup', '2026-03-10T09:00:00Z', '2026-03-10T09:15:00Z'));
    const without = await importCalendar(ctxOf(alice), { days: 7, type: 'event' });
    expect(without).toMatchObject({ created: 1, skipped: 1 });
    expect(without.skips).toEqual([{ event_id: 'day1', reason: expect.stringContaining('all-day') }]);
    const withAllDay = await importCalendar(ctxOf(alice), { days: 7, type: 'event', includeAllDay: true });
    expect(withAllDay).toMatchObject({ created: 1, skipped: 0, full_resync: true });
    const offsite = (await importedBlocks(alice)).find((b) => b.externalEventId === 'day1')!;
    expect([offsite.startAt.toISOString(), offsite.endAt.toISOString(), offsite.type]).toEqual(['2026-03-10T23:00:00.000Z', '2026-03-11T23:00:00.000Z', 'event']);
  });

  it('taggedOnly imports only Orbita-tagged events; an event of an existing block is that block (skipped)', async () => {
    const own = await addBlock(ctxOf(alice), { type: 'focus', title: 'Deep work', date: '2026-03-11', start: '09:00', end: '10:00' });
    put('primary', timed('plain', 'Plain', '2026-03-10T09:00:00Z', '2026-03-10T10:00:00Z'));
    put('primary', timed('orphan', 'Orphan', '2026-03-10T11:00:00Z', '2026-03-10T12:00:00Z', { extendedProperties: { private: { orbita: '1', orbita_block_id: '11111111-1111-4111-8111-111111111111' } } }));
    put('primary', timed('mine', 'Deep work', '2026-03-11T08:00:00Z', '2026-03-11T09:00:00Z', { extendedProperties: { private: { orbita: '1', orbita_block_id: own.id } } }));
    const tagged = await importCalendar(ctxOf(alice), { days: 7, type: 'focus', taggedOnly: true });
    expect(tagged).toMatchObject({ created: 1, skipped: 2 });
    expect((await importedBlocks(alice)).map((b) => b.externalEventId)).toEqual(['orphan']);

    const all = await importCalendar(ctxOf(alice), { days: 7, type: 'focus' });
    expect(all).toMatchObject({ created: 1, skipped: 1, full_resync: true });
    expect((await importedBlocks(alice)).map((b) => b.externalEventId)).toEqual(['plain', 'orphan']);
    expect(await database.db.scheduleBlock.count({ where: { userId: alice.id } })).toBe(3);
  });

  it('imported blocks may overlap Orbita blocks (the exclusion constraint covers Orbita blocks only)', async () => {
    await addBlock(ctxOf(alice), { type: 'focus', title: 'Deep work', date: '2026-03-10', start: '10:00', end: '12:00' });
    put('primary', timed('clash', 'Clash', '2026-03-10T09:30:00Z', '2026-03-10T10:30:00Z'));
    put('primary', timed('short', 'Ping', '2026-03-10T12:00:00Z', '2026-03-10T12:02:00Z'));
    const result = await importCalendar(ctxOf(alice), { days: 7, type: 'meeting' });
    expect(result).toMatchObject({ created: 2, skipped: 0 });
    const week = await scheduleWeek(ctxOf(alice), { date: '2026-03-10' });
    expect(week.days.find((d) => d.date === '2026-03-10')!.blocks.map((b) => [b.title, b.source])).toEqual([
      ['Deep work', 'orbita'], // 10:00–12:00 Berlin = 09:00–11:00Z
      ['Clash', 'imported'], // 09:30–10:30Z, inside it
      ['Ping', 'imported'],
    ]);
  });

  it('calendar selection: explicit calendar > stored setting > CALENDAR_ID > primary; useConfigCalendar false → primary', async () => {
    put('primary', timed('p1', 'Primary event', '2026-03-10T09:00:00Z', '2026-03-10T10:00:00Z'));
    put(team, timed('t1', 'Team event', '2026-03-10T13:00:00Z', '2026-03-10T14:00:00Z'));
    const ctx = ctxOf(alice);
    const calendarOfLastList = () => decodeURIComponent(listRequests().at(-1)!.path.split('/calendars/')[1].split('/')[0]);

    expect((await importCalendar(ctx, { days: 7, type: 'meeting', calendar: team })).calendar_id).toBe(team);
    expect(calendarOfLastList()).toBe(team);
    expect((await importedBlocks(alice, team)).map((b) => b.title)).toEqual(['Team event']);

    setEnv({ CALENDAR_ID: team });
    expect((await importCalendar(ctx, { days: 7, type: 'meeting' })).calendar_id).toBe(team);
    expect((await importCalendar(ctx, { days: 7, type: 'meeting', useConfigCalendar: false })).calendar_id).toBe('primary');
    expect(calendarOfLastList()).toBe('primary');
    setEnv({ CALENDAR_ID: undefined });

    await setCalendar(ctx, { calendar: team });
    expect((await importCalendar(ctx, { days: 7, type: 'meeting' })).calendar_id).toBe(team);
    expect((await importCalendar(ctx, { days: 7, type: 'meeting', useConfigCalendar: 'false' as unknown as boolean })).calendar_id).toBe('primary');
    expect((await importedBlocks(alice, 'primary')).map((b) => b.title)).toEqual(['Primary event']);
    expect(await importedBlocks(alice)).toHaveLength(2);
  });

  it('a second user never sees (or touches) the first user\'s imported blocks', async () => {
    put('primary', timed('ev1', 'Standup', '2026-03-10T09:00:00Z', '2026-03-10T09:15:00Z'));
    await importCalendar(ctxOf(alice), { days: 7, type: 'meeting' });
    const aliceBlock = (await importedBlocks(alice))[0];
    // Bob's calendar tags an event with Alice's block id: not his block, so it is imported for him.
    put('primary', timed('ev5', 'Tagged with Alice', '2026-03-11T09:00:00Z', '2026-03-11T10:00:00Z', { extendedProperties: { private: { orbita: '1', orbita_block_id: aliceBlock.id } } }));
    const bobs = await importCalendar(ctxOf(bob), { days: 7, type: 'event' });
    expect(bobs).toMatchObject({ created: 2, skipped: 0 });
    google.events('primary').delete('ev1');
    const bobAgain = await importCalendar(ctxOf(bob), { days: 7, type: 'event' });
    expect(bobAgain.removed).toBe(1);
    // Alice's block is untouched until she imports herself.
    expect((await importedBlocks(alice)).map((b) => b.id)).toEqual([aliceBlock.id]);
    const bobWeek = await scheduleWeek(ctxOf(bob), { date: '2026-03-10' });
    expect(bobWeek.days.flatMap((d) => d.blocks).map((b) => b.title)).toEqual(['Tagged with Alice']);
    expect(bobWeek.days.flatMap((d) => d.blocks).some((b) => b.id === aliceBlock.id)).toBe(false);
  });

  it('bad input is a validation error; no connection is not_found', async () => {
    await expect(importCalendar(ctxOf(alice), { days: 0, type: 'meeting' })).rejects.toThrow(/days must be a whole number from 1 to 90/);
    await expect(importCalendar(ctxOf(alice), { days: 7, type: 'nonsense' as 'meeting' })).rejects.toThrow(/type must be one of/);
    const stranger = await userWithToken(database.db, 'stranger', zone);
    const error = await importCalendar(ctxOf(stranger), { days: 7, type: 'meeting' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('not_found');
  });

  it('POST /api/v1/calendar/import imports for the token\'s user and rejects bad bodies with 400', async () => {
    // The route runs on the real clock: an event an hour from now is inside any window.
    const soon = Date.now() + 3_600_000;
    put('primary', timed('soon', 'Soon', new Date(soon).toISOString(), new Date(soon + 1_800_000).toISOString()));
    const ok = await callRoute(importRoute, { token: bob.token, path: '/api/v1/calendar/import', body: { days: 90, type: 'meeting', useConfigCalendar: 'false' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ calendar_id: 'primary', created: 1, full_resync: false, skipped: 0 });
    expect((await importedBlocks(bob)).map((b) => b.title)).toEqual(['Soon']);
    expect(await importedBlocks(alice)).toEqual([]);
    const bad = await callRoute(importRoute, { token: bob.token, path: '/api/v1/calendar/import', body: { days: 91, type: 'meeting' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/days/);
  });
});
