import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authorizedClient } from '../../lib/calendar/connection';
import { calendarApi, withGoogleRetry } from '../../lib/calendar/google';
import { resolveCalendarId, setCalendar, setDeleteMissing } from '../../lib/calendar/settings';
import { eventIdOf, removeBlockEverywhere, syncCalendar } from '../../lib/calendar/sync';
import { resetConfig } from '../../lib/config';
import type { ServiceContext } from '../../lib/context';
import { AppError } from '../../lib/errors';
import { toAppError } from '../../lib/http/errors';
import { createUser } from '../../lib/identity/users';
import { addDays, atLocalMinute, localDate } from '../../lib/time';
import { type FakeGoogle, startFakeGoogle } from '../fakes/google/server';
import { connectGoogle, useFakeGoogleEnv } from '../helpers/calendar';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const zone = 'Europe/Berlin';
const work = 'work.orbita@group.calendar.google.com';
const fastRetry = { baseMs: 1, capMs: 5 };

let database: TestDatabase;
let fake: FakeGoogle;
let restoreEnv: () => void;
let userCount = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeGoogle();
  restoreEnv = useFakeGoogleEnv(fake);
});
afterAll(async () => {
  restoreEnv?.();
  await fake?.close();
  await database?.drop();
});
beforeEach(() => fake.reset());

/** A fresh user in Berlin, connected to the fake the real way. */
async function connectedUser(): Promise<ServiceContext> {
  const user = await createUser(database.db, { name: `Sync ${++userCount}`, timeZone: zone });
  const ctx = { db: database.db, userId: user.id, now: () => new Date() };
  await connectGoogle(database.db, user.id, fake);
  fake.requests.length = 0;
  return ctx;
}

const today = () => localDate(new Date(), zone);

/** `count` Orbita blocks of 20 minutes every 30 minutes from 08:00 local on `dayOffset` days after today. */
async function seedBlocks(ctx: ServiceContext, count: number, dayOffset = 1, startMinute = 8 * 60) {
  const base = atLocalMinute(addDays(today(), dayOffset), startMinute, zone).getTime();
  const blocks = [];
  for (let i = 0; i < count; i++) {
    const startAt = new Date(base + i * 30 * 60_000);
    blocks.push(
      await ctx.db.scheduleBlock.create({
        data: { userId: ctx.userId, type: 'focus', title: `Block ${i}`, startAt, endAt: new Date(startAt.getTime() + 20 * 60_000) },
      }),
    );
  }
  return blocks;
}

const live = (calendarId = 'primary') => [...fake.events(calendarId).values()].filter((e) => e.status !== 'cancelled');

describe('syncCalendar against the fake Google (real googleapis client)', () => {
  it('first run creates every block\'s event; a second run of unchanged blocks writes nothing and makes no request', async () => {
    const ctx = await connectedUser();
    const blocks = await seedBlocks(ctx, 12);
    const imported = await ctx.db.scheduleBlock.create({
      data: { userId: ctx.userId, type: 'event', title: 'From Google', source: 'imported', externalCalendarId: 'primary', externalEventId: 'abc123def', startAt: atLocalMinute(addDays(today(), 1), 7 * 60, zone), endAt: atLocalMinute(addDays(today(), 1), 7 * 60 + 30, zone) },
    });
    await ctx.db.scheduleBlock.create({
      data: { userId: ctx.userId, type: 'focus', title: 'Too late', startAt: atLocalMinute(addDays(today(), 9), 9 * 60, zone), endAt: atLocalMinute(addDays(today(), 9), 10 * 60, zone) },
    });
    const progress: [number, number][] = [];
    const first = await syncCalendar(ctx, { days: 3 }, { onProgress: (done, total) => progress.push([done, total]) });
    expect(first).toMatchObject({ calendar_id: 'primary', created: 12, updated: 0, deleted: 0, unchanged: 0, failed: 0, failures: [], requests: 12, delete_missing: false });
    expect(first.window.from).toBe(`${today()}T00:00:00+01:00`);
    expect(first.window.to).toBe(`${addDays(today(), 3)}T00:00:00+01:00`);
    expect(progress.at(-1)).toEqual([12, 12]);
    expect(progress).toHaveLength(12);

    const events = live();
    expect(events).toHaveLength(12);
    const event = fake.events('primary').get(eventIdOf(blocks[0].id))!;
    expect(event).toMatchObject({
      summary: 'Block 0',
      status: 'confirmed',
      extendedProperties: { private: { orbita: '1', orbita_block_id: blocks[0].id } },
    });
    expect(event.start.timeZone).toBe(zone);
    expect(new Date(event.start.dateTime!).getTime()).toBe(blocks[0].startAt.getTime());
    expect(event.start.dateTime).toMatch(/\+01:00$/);
    expect(new Date(event.end.dateTime!).getTime()).toBe(blocks[0].endAt.getTime());
    // Google's id rules: base32hex characters (a–v, 0–9), 5–1024 long.
    for (const e of events) expect(e.id).toMatch(/^[a-v0-9]{5,1024}$/);
    expect(events.some((e) => e.summary === 'From Google' || e.summary === 'Too late')).toBe(false);
    expect(await ctx.db.scheduleBlock.findUniqueOrThrow({ where: { id: imported.id } })).toMatchObject({ syncedHash: null, externalEventId: 'abc123def' });

    const stored = await ctx.db.scheduleBlock.findUniqueOrThrow({ where: { id: blocks[0].id } });
    expect(stored).toMatchObject({ externalCalendarId: 'primary', externalEventId: eventIdOf(blocks[0].id) });
    expect(stored.syncedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.syncedAt).toBeInstanceOf(Date);
    expect(stored.updatedAt.getTime()).toBe(blocks[0].updatedAt.getTime()); // a sync is not an edit

    const before = fake.requests.length;
    const second = await syncCalendar(ctx, { days: 3 });
    expect(second).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 12, failed: 0 });
    expect(second.requests).toBeLessThanOrEqual(3);
    expect(second.requests).toBe(0);
    expect(fake.requests.length - before).toBe(0);
    const state = await ctx.db.calendarSyncState.findUniqueOrThrow({ where: { userId_calendarId: { userId: ctx.userId, calendarId: 'primary' } } });
    expect(state.lastSyncedAt).toBeInstanceOf(Date);
  });

  it('a changed block is updated in place; only it costs a request', async () => {
    const ctx = await connectedUser();
    const blocks = await seedBlocks(ctx, 5);
    await syncCalendar(ctx, { days: 2 });
    await ctx.db.scheduleBlock.update({ where: { id: blocks[2].id }, data: { title: 'Renamed', endAt: new Date(blocks[2].endAt.getTime() + 5 * 60_000) } });
    await ctx.db.scheduleBlock.update({ where: { id: blocks[3].id }, data: { status: 'completed' } });
    fake.requests.length = 0;
    const result = await syncCalendar(ctx, { days: 2 });
    expect(result).toMatchObject({ created: 0, updated: 2, unchanged: 3, failed: 0, requests: 2 });
    expect(fake.requests.map((r) => r.method)).toEqual(['PUT', 'PUT']);
    const renamed = fake.events('primary').get(eventIdOf(blocks[2].id))!;
    expect(renamed.summary).toBe('Renamed');
    expect(new Date(renamed.end.dateTime!).getTime()).toBe(blocks[2].endAt.getTime() + 5 * 60_000);
    expect(fake.events('primary').get(eventIdOf(blocks[3].id))!.description).toMatch(/completed/);
    expect(live()).toHaveLength(5);
  });

  it('an event deleted in Google comes back: update → 410/404 → insert, and insert → 409 → update', async () => {
    const ctx = await connectedUser();
    const [a, b] = await seedBlocks(ctx, 2);
    await syncCalendar(ctx, { days: 2 });
    // a: deleted in Google (cancelled) and changed here → PUT restores it.
    const api = calendarApi(await authorizedClient(ctx));
    await api.events.delete({ calendarId: 'primary', eventId: eventIdOf(a.id) });
    await ctx.db.scheduleBlock.update({ where: { id: a.id }, data: { title: 'A again' } });
    // b: the database forgot it was synced → insert answers 409 → update.
    await ctx.db.scheduleBlock.update({ where: { id: b.id }, data: { syncedHash: null, externalEventId: null, externalCalendarId: null, title: 'B again' } });
    const result = await syncCalendar(ctx, { days: 2 });
    expect(result).toMatchObject({ failed: 0, unchanged: 0 });
    expect(result.created + result.updated).toBe(2);
    expect(live().map((e) => e.summary).sort()).toEqual(['A again', 'B again']);
    expect(fake.requests.some((r) => r.method === 'POST' && r.status === 409)).toBe(true);
  });

  it('attendees and reminder overrides are on the events, and changing them updates the events', async () => {
    const ctx = await connectedUser();
    const [block] = await seedBlocks(ctx, 1);
    const result = await syncCalendar(ctx, { days: 2, attendees: ['ana@example.com', 'bo@example.com'], reminders: [30, 10] });
    expect(result.created).toBe(1);
    const event = fake.events('primary').get(eventIdOf(block.id))!;
    expect(event.attendees?.map((a) => a.email)).toEqual(['ana@example.com', 'bo@example.com']);
    expect(event.reminders).toEqual({ useDefault: false, overrides: [{ method: 'popup', minutes: 10 }, { method: 'popup', minutes: 30 }] });
    expect(await syncCalendar(ctx, { days: 2, attendees: ['ana@example.com', 'bo@example.com'], reminders: [10, 30] })).toMatchObject({ unchanged: 1, requests: 0 });
    expect(await syncCalendar(ctx, { days: 2 })).toMatchObject({ updated: 1 });
    const plain = fake.events('primary').get(eventIdOf(block.id))!;
    expect(plain.attendees ?? []).toEqual([]);
  });

  it('delete-missing deletes only Orbita-tagged events of gone blocks inside the window', async () => {
    const ctx = await connectedUser();
    const blocks = await seedBlocks(ctx, 4);
    await syncCalendar(ctx, { days: 3 });
    const api = calendarApi(await authorizedClient(ctx));
    const slot = (day: number, minute: number) => ({
      start: { dateTime: atLocalMinute(addDays(today(), day), minute, zone).toISOString() },
      end: { dateTime: atLocalMinute(addDays(today(), day), minute + 30, zone).toISOString() },
    });
    const untagged = (await api.events.insert({ calendarId: 'primary', requestBody: { summary: 'Dentist (mine)', ...slot(1, 18 * 60) } })).data;
    const otherTagKey = (await api.events.insert({ calendarId: 'primary', requestBody: { summary: 'Other app', extendedProperties: { private: { orbita: '0' } }, ...slot(1, 19 * 60) } })).data;
    const ghost = '11111111-2222-4333-8444-555555555555';
    const outside = (
      await api.events.insert({
        calendarId: 'primary',
        requestBody: { summary: 'Later Orbita event', extendedProperties: { private: { orbita: '1', orbita_block_id: ghost } }, ...slot(10, 9 * 60) },
      })
    ).data;
    const orphanInWindow = (
      await api.events.insert({
        calendarId: 'primary',
        requestBody: { summary: 'Orphan', extendedProperties: { private: { orbita: '1', orbita_block_id: ghost } }, ...slot(2, 9 * 60) },
      })
    ).data;
    const otherUser = (
      await api.events.insert({
        calendarId: 'primary',
        requestBody: { summary: 'Someone else\'s', extendedProperties: { private: { orbita: '1', orbita_block_id: ghost, orbita_user_id: '99999999-2222-4333-8444-555555555555' } }, ...slot(2, 11 * 60) },
      })
    ).data;

    await ctx.db.scheduleBlock.delete({ where: { id: blocks[0].id } }); // gone
    // moved out of the window: its old event goes, and its sync fields are cleared
    await ctx.db.scheduleBlock.update({ where: { id: blocks[1].id }, data: { startAt: atLocalMinute(addDays(today(), 20), 600, zone), endAt: atLocalMinute(addDays(today(), 20), 620, zone) } });

    const withoutFlag = await syncCalendar(ctx, { days: 3 });
    expect(withoutFlag).toMatchObject({ deleted: 0, unchanged: 2 }); // default (CALENDAR_DELETE_MISSING=false, nothing stored): off

    const result = await syncCalendar(ctx, { days: 3, deleteMissing: true });
    expect(result).toMatchObject({ deleted: 3, unchanged: 2, created: 0, failed: 0, delete_missing: true });
    expect(result.requests).toBe(1 + 3); // one list page, three deletes
    const list = fake.requests.find((r) => r.method === 'GET' && r.path.endsWith('/events'))!;
    expect(list.query).toMatchObject({ privateExtendedProperty: 'orbita=1', timeMin: expect.any(String), timeMax: expect.any(String) });
    const status = (id: string | null | undefined) => fake.events('primary').get(id!)?.status;
    expect(status(eventIdOf(blocks[0].id))).toBe('cancelled');
    expect(status(eventIdOf(blocks[1].id))).toBe('cancelled');
    expect(status(orphanInWindow.id)).toBe('cancelled');
    expect(status(eventIdOf(blocks[2].id))).toBe('confirmed');
    expect(status(untagged.id)).toBe('confirmed');
    expect(status(otherTagKey.id)).toBe('confirmed');
    expect(status(outside.id)).toBe('confirmed');
    expect(status(otherUser.id)).toBe('confirmed');
    expect(await ctx.db.scheduleBlock.findUniqueOrThrow({ where: { id: blocks[1].id } })).toMatchObject({ externalEventId: null, syncedHash: null, externalCalendarId: null });

    // The stored setting turns it on for later runs; the flag still wins.
    await setDeleteMissing(ctx, { value: true });
    await ctx.db.scheduleBlock.delete({ where: { id: blocks[2].id } });
    expect(await syncCalendar(ctx, { days: 3, deleteMissing: false })).toMatchObject({ deleted: 0, delete_missing: false });
    expect(await syncCalendar(ctx, { days: 3 })).toMatchObject({ deleted: 1, delete_missing: true });
    // An unchanged second run with delete-missing on: the list only.
    expect((await syncCalendar(ctx, { days: 3 })).requests).toBe(1);
  });

  it('calendar precedence: flag > stored setting > CALENDAR_ID > primary; use-config-calendar=false → primary', async () => {
    const ctx = await connectedUser();
    const setEnv = (value?: string) => {
      if (value === undefined) delete process.env.CALENDAR_ID;
      else process.env.CALENDAR_ID = value;
      resetConfig();
    };
    try {
      const table: { env?: string; stored?: string | null; calendar?: string; useConfigCalendar?: boolean; expected: string }[] = [
        { expected: 'primary' },
        { env: work, expected: work },
        { env: work, useConfigCalendar: false, expected: 'primary' },
        { env: work, stored: 'primary', expected: 'primary' },
        { stored: work, expected: work },
        { env: 'env-cal', stored: work, expected: work },
        { env: 'env-cal', stored: work, useConfigCalendar: false, expected: 'primary' },
        { env: 'env-cal', stored: work, calendar: 'flag-cal', expected: 'flag-cal' },
        { env: 'env-cal', stored: work, calendar: 'flag-cal', useConfigCalendar: false, expected: 'flag-cal' },
      ];
      for (const row of table) {
        setEnv(row.env);
        await setCalendar(ctx, { calendar: row.stored ?? null });
        const got = await resolveCalendarId(ctx, { calendar: row.calendar, useConfigCalendar: row.useConfigCalendar });
        expect(got, JSON.stringify(row)).toBe(row.expected);
      }
    } finally {
      setEnv(undefined);
      await setCalendar(ctx, { calendar: null });
    }

    // A sync follows it: events land on the calendar it resolves to; switching calendars creates them there.
    const [block] = await seedBlocks(ctx, 1);
    expect(await syncCalendar(ctx, { days: 2, calendar: work })).toMatchObject({ calendar_id: work, created: 1 });
    expect(fake.events(work).get(eventIdOf(block.id))?.summary).toBe('Block 0');
    expect(live('primary')).toHaveLength(0);
    expect(await syncCalendar(ctx, { days: 2 })).toMatchObject({ calendar_id: 'primary', created: 1, unchanged: 0 });
    expect(live('primary')).toHaveLength(1);
    expect(await syncCalendar(ctx, { days: 2 })).toMatchObject({ unchanged: 1, requests: 0 });
  });

  it('429 then success is retried (counted), and so is a 403 rateLimitExceeded and a 503', async () => {
    const ctx = await connectedUser();
    await seedBlocks(ctx, 3);
    fake.fail({ method: 'POST', path: /\/events$/ }, { status: 429, reason: 'rateLimitExceeded', times: 1 });
    fake.fail({ method: 'POST', path: /\/events$/ }, { status: 403, reason: 'userRateLimitExceeded', times: 1 });
    fake.fail({ method: 'POST', path: /\/events$/ }, { status: 503, times: 1 });
    const result = await syncCalendar(ctx, { days: 2 }, { retry: fastRetry });
    expect(result).toMatchObject({ created: 3, failed: 0, requests: 6 });
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.status).sort()).toEqual([200, 200, 200, 403, 429, 503]);
    expect(live()).toHaveLength(3);
  });

  it('a permanent 403 (forbidden) on one event fails only that event; the next run retries it', async () => {
    const ctx = await connectedUser();
    const blocks = await seedBlocks(ctx, 4);
    await syncCalendar(ctx, { days: 2 });
    for (const b of blocks) await ctx.db.scheduleBlock.update({ where: { id: b.id }, data: { title: `${b.title}!` } });
    const victim = eventIdOf(blocks[1].id);
    // Queued for one request: were a 403 forbidden retried, the retry would succeed and nothing would fail.
    fake.fail({ method: 'PUT', path: new RegExp(`/events/${victim}$`) }, { status: 403, reason: 'forbidden', times: 1 });
    const result = await syncCalendar(ctx, { days: 2 }, { retry: fastRetry });
    expect(result).toMatchObject({ updated: 3, failed: 1, requests: 4 });
    expect(result.failures).toEqual([{ block_id: blocks[1].id, message: expect.stringMatching(/403 forbidden/) }]);
    expect(fake.events('primary').get(victim)!.summary).toBe('Block 1');
    expect(await ctx.db.scheduleBlock.findUniqueOrThrow({ where: { id: blocks[1].id } })).toMatchObject({ externalEventId: victim }); // hash not advanced
    const again = await syncCalendar(ctx, { days: 2 });
    expect(again).toMatchObject({ failed: 0, updated: 1, unchanged: 3 });
    expect(fake.events('primary').get(victim)!.summary).toBe('Block 1!');
  });

  it('a 5xx that never ends fails that event after the bounded retries; a 401 stops the whole sync', async () => {
    const ctx = await connectedUser();
    await seedBlocks(ctx, 2);
    fake.fail({ method: 'POST', path: /\/events$/ }, { status: 500, times: 6 });
    const result = await syncCalendar(ctx, { days: 2 }, { retry: { ...fastRetry, retries: 5 }, concurrency: 1 });
    expect(result).toMatchObject({ created: 1, failed: 1, requests: 7 });
    expect(result.failures[0].message).toMatch(/500/);

    await ctx.db.scheduleBlock.updateMany({ where: { userId: ctx.userId }, data: { title: 'changed' } });
    fake.fail({ path: /\/events/ }, { status: 401, times: 100 });
    const failed = await syncCalendar(ctx, { days: 2 }, { retry: fastRetry }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(AppError);
    expect(failed).toMatchObject({ code: 'unauthorized' });
  });

  it('an unknown calendar id is a clear validation error (setting and sync)', async () => {
    const ctx = await connectedUser();
    await seedBlocks(ctx, 2);
    await expect(setCalendar(ctx, { calendar: 'nope@group.calendar.google.com' })).rejects.toMatchObject({
      code: 'validation_error',
      message: 'unknown calendar id "nope@group.calendar.google.com": run `orbita settings calendar list`',
    });
    await expect(syncCalendar(ctx, { days: 2, calendar: 'nope@group.calendar.google.com' })).rejects.toMatchObject({
      code: 'validation_error',
      message: 'unknown calendar id "nope@group.calendar.google.com": run `orbita settings calendar list`',
    });
  });

  it('rejects bad input before touching Google', async () => {
    const ctx = await connectedUser();
    for (const [input, message] of [
      [{ days: 0 }, /days must be a whole number from 1 to 90/],
      [{ days: 91 }, /days must be a whole number from 1 to 90/],
      [{ reminders: [-5] }, /reminder must be a whole number of minutes from 0 to 40320/],
      [{ attendees: ['not-an-email'] }, /attendee must be an email address, got "not-an-email"/],
    ] as const) {
      const error = await syncCalendar(ctx, input as never).catch((e: unknown) => toAppError(e));
      expect(error).toMatchObject({ code: 'validation_error', message: expect.stringMatching(message) });
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('not connected → not_found naming `orbita auth url`', async () => {
    const user = await createUser(database.db, { name: 'Nobody', timeZone: zone });
    await expect(syncCalendar({ db: database.db, userId: user.id, now: () => new Date() }, {})).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/orbita auth url/),
    });
  });
});

describe('syncCalendar at scale and with a shared token', () => {
  it('a second run over 500 unchanged blocks makes no writes and at most 3 requests', async () => {
    const ctx = await connectedUser();
    // 500 blocks: 25 a day (08:00–20:30 every 30 minutes) over 20 days.
    for (let day = 1; day <= 20; day++) await seedBlocks(ctx, 25, day);
    const first = await syncCalendar(ctx, { days: 21 }, { retry: fastRetry });
    expect(first).toMatchObject({ created: 500, failed: 0 });
    const writesBefore = fake.requests.filter((r) => r.method !== 'GET').length;
    const before = fake.requests.length;
    const second = await syncCalendar(ctx, { days: 21 }, { retry: fastRetry });
    expect(second).toMatchObject({ created: 0, updated: 0, deleted: 0, unchanged: 500, failed: 0 });
    expect(second.requests).toBeLessThanOrEqual(3);
    expect(fake.requests.length - before).toBeLessThanOrEqual(3);
    expect(fake.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
  }, 120_000);

  it('two syncs at once with an expired access token refresh it once and both succeed', async () => {
    const ctx = await connectedUser();
    await seedBlocks(ctx, 4);
    // The stored access token has expired (as an hour later): both syncs need a fresh one.
    await ctx.db.oAuthToken.updateMany({ where: { userId: ctx.userId }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const refreshesBefore = fake.tokenGrants.filter((grant) => grant.grant_type === 'refresh_token').length;
    const [a, b] = await Promise.all([syncCalendar(ctx, { days: 3 }, { retry: fastRetry }), syncCalendar({ ...ctx }, { days: 3 }, { retry: fastRetry })]);
    expect(fake.tokenGrants.filter((grant) => grant.grant_type === 'refresh_token').length - refreshesBefore).toBe(1);
    expect(a.failed + b.failed).toBe(0);
    expect(live()).toHaveLength(4);
  });
});

describe('removeBlockEverywhere (the schedule remove hook)', () => {
  it('with delete-missing on, deletes the synced event after the removal; off, keeps it', async () => {
    const ctx = await connectedUser();
    const [kept, gone, flaky] = await seedBlocks(ctx, 3);
    await syncCalendar(ctx, { days: 2 });

    const off = await removeBlockEverywhere(ctx, kept.id.slice(0, 8));
    expect(off).toMatchObject({ id: kept.id, calendarEvent: { calendarId: 'primary', eventId: eventIdOf(kept.id), deleted: false, reason: 'delete-missing is off' } });
    expect(fake.events('primary').get(eventIdOf(kept.id))!.status).toBe('confirmed');

    await setDeleteMissing(ctx, { value: true });
    const on = await removeBlockEverywhere(ctx, gone.id);
    expect(on).toMatchObject({ id: gone.id, calendarEvent: { deleted: true } });
    expect(fake.events('primary').get(eventIdOf(gone.id))!.status).toBe('cancelled');
    expect(await ctx.db.scheduleBlock.count({ where: { id: gone.id } })).toBe(0);
    expect((await ctx.db.outboxEvent.findMany({ where: { aggregateId: gone.id } })).map((e) => e.eventType)).toContain('scheduling.block.removed');

    // Google failing: the removal stands, the output says the event was not deleted.
    fake.fail({ method: 'DELETE' }, { status: 500, times: 100 });
    const failed = await removeBlockEverywhere(ctx, flaky.id, { retry: { ...fastRetry, retries: 1 } });
    expect(failed.calendarEvent).toMatchObject({ deleted: false, reason: expect.stringMatching(/500/) });
    expect(await ctx.db.scheduleBlock.count({ where: { id: flaky.id } })).toBe(0);

    // A block never synced: nothing to do, no request.
    const [plain] = await seedBlocks(ctx, 1, 5);
    fake.requests.length = 0;
    expect((await removeBlockEverywhere(ctx, plain.id)).calendarEvent).toBeNull();
    expect(fake.requests).toHaveLength(0);
  });
});

describe('withGoogleRetry', () => {
  const httpError = (status: number, reason?: string, headers: Record<string, string> = {}) =>
    Object.assign(new Error(`status ${status}`), { status, response: { status, headers: new Headers(headers), data: { error: { code: status, message: 'x', errors: reason ? [{ reason }] : [] } } } });

  it('backs off exponentially with full jitter, capped, and honours Retry-After', async () => {
    const waits: number[] = [];
    let calls = 0;
    const counter = { requests: 0 };
    const value = await withGoogleRetry(
      async () => {
        calls++;
        if (calls === 1) throw httpError(429, 'rateLimitExceeded', { 'retry-after': '2' });
        if (calls < 6) throw httpError(503);
        return 'ok';
      },
      { baseMs: 100, capMs: 500, random: () => 1, sleep: async (ms) => void waits.push(ms), counter },
    );
    expect(value).toBe('ok');
    expect(waits).toEqual([2000, 200, 400, 500, 500]);
    expect(counter.requests).toBe(6);
  });

  it('gives up after `retries`, and never retries other 4xx', async () => {
    let calls = 0;
    const sleep = async () => {};
    await expect(withGoogleRetry(async () => { calls++; throw httpError(503); }, { retries: 2, sleep })).rejects.toMatchObject({ code: 'upstream_error', details: { status: 503 } });
    expect(calls).toBe(3);
    calls = 0;
    await expect(withGoogleRetry(async () => { calls++; throw httpError(403, 'forbidden'); }, { sleep })).rejects.toMatchObject({ code: 'upstream_error', details: { status: 403, reason: 'forbidden' } });
    await expect(withGoogleRetry(async () => { calls++; throw httpError(404, 'notFound'); }, { sleep })).rejects.toMatchObject({ details: { status: 404 } });
    await expect(withGoogleRetry(async () => { calls++; throw httpError(401); }, { sleep })).rejects.toMatchObject({ code: 'unauthorized' });
    expect(calls).toBe(3);
    calls = 0;
    await expect(withGoogleRetry(async () => { calls++; throw httpError(429); }, { retries: 1, sleep })).rejects.toMatchObject({ code: 'rate_limited' });
    expect(calls).toBe(2);
  });
});
