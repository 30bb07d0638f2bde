import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as calendarsRoute from '../../app/api/v1/calendar/calendars/route';
import * as settingsRoute from '../../app/api/v1/calendar/settings/route';
import * as syncRoute from '../../app/api/v1/calendar/sync/route';
import * as blockRoute from '../../app/api/v1/schedule/blocks/[id]/route';
import {
  getCalendarSettings,
  getDeleteMissing,
  listCalendars,
  setCalendar,
  setDeleteMissing,
} from '../../lib/calendar/settings';
import { eventIdOf } from '../../lib/calendar/sync';
import { resetConfig } from '../../lib/config';
import type { ServiceContext } from '../../lib/context';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { createAccessToken } from '../../lib/identity/tokens';
import { addDays, atLocalMinute, localDate } from '../../lib/time';
import { type FakeGoogle, startFakeGoogle } from '../fakes/google/server';
import { callRoute } from '../helpers/api';
import { connectGoogle, useFakeGoogleEnv } from '../helpers/calendar';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type TestUser, userWithToken } from '../helpers/users';

const zone = 'America/New_York';
const work = 'work.orbita@group.calendar.google.com';

let database: TestDatabase;
let fake: FakeGoogle;
let restoreEnv: () => void;
let user: TestUser;
let ctx: ServiceContext;

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  fake = await startFakeGoogle({ accountEmail: 'settings.user@example.com' });
  restoreEnv = useFakeGoogleEnv(fake);
  user = await userWithToken(database.db, 'Settings', zone);
  ctx = { db: database.db, userId: user.id, now: () => new Date() };
  await connectGoogle(database.db, user.id, fake);
});
afterAll(async () => {
  restoreEnv?.();
  await disconnectDb();
  await fake?.close();
  await database?.drop();
});
beforeEach(async () => {
  await database.db.userSettings.deleteMany({ where: { userId: user.id } });
});

function withEnv(name: string, value: string | undefined) {
  const previous = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  resetConfig();
  return () => {
    if (previous === undefined) delete process.env[name];
    else process.env[name] = previous;
    resetConfig();
  };
}

describe('calendar settings', () => {
  it('lists the account\'s calendars (snake_case), follows pagination, and filters the primary one', async () => {
    const calendars = await listCalendars(ctx);
    expect(calendars).toEqual(
      expect.arrayContaining([
        { id: 'settings.user@example.com', summary: 'settings.user@example.com', primary: true, access_role: 'owner', time_zone: 'UTC' },
        { id: work, summary: 'Work', primary: false, access_role: 'writer', time_zone: 'UTC' },
      ]),
    );
    expect(await listCalendars(ctx, { primaryOnly: true })).toEqual([expect.objectContaining({ id: 'settings.user@example.com', primary: true })]);

    for (let i = 0; i < 260; i++) fake.calendars.set(`extra-${i}@group.calendar.google.com`, { id: `extra-${i}@group.calendar.google.com`, summary: `Extra ${i}`, accessRole: 'reader', timeZone: 'UTC' });
    try {
      fake.requests.length = 0;
      const all = await listCalendars(ctx);
      expect(all.length).toBe(calendars.length + 260);
      expect(fake.requests.filter((r) => r.path.endsWith('/calendarList')).length).toBe(2);
    } finally {
      for (let i = 0; i < 260; i++) fake.calendars.delete(`extra-${i}@group.calendar.google.com`);
    }
  });

  it('get/set the calendar: default → CALENDAR_ID → stored; unknown ids rejected; clearing', async () => {
    expect(await getCalendarSettings(ctx)).toEqual({ calendar_id: null, effective_calendar_id: 'primary', source: 'default' });
    const restore = withEnv('CALENDAR_ID', work);
    try {
      expect(await getCalendarSettings(ctx)).toEqual({ calendar_id: null, effective_calendar_id: work, source: 'config' });
      expect(await setCalendar(ctx, { calendar: 'primary' })).toEqual({ calendar_id: 'primary', effective_calendar_id: 'primary', source: 'setting' });
      expect(await setCalendar(ctx, { calendar: work })).toEqual({ calendar_id: work, effective_calendar_id: work, source: 'setting' });
      await expect(setCalendar(ctx, { calendar: 'missing@group.calendar.google.com' })).rejects.toMatchObject({
        code: 'validation_error',
        message: 'unknown calendar id "missing@group.calendar.google.com": run `orbita settings calendar list`',
      });
      expect((await getCalendarSettings(ctx)).calendar_id).toBe(work); // unchanged by the rejected set
      expect(await setCalendar(ctx, { calendar: '' })).toEqual({ calendar_id: null, effective_calendar_id: work, source: 'config' });
      await setCalendar(ctx, { calendar: work });
      expect(await setCalendar(ctx, { calendar: null })).toMatchObject({ calendar_id: null });
    } finally {
      restore();
    }
  });

  it('delete-missing: CALENDAR_DELETE_MISSING until a value is stored; the stored value wins', async () => {
    expect(await getDeleteMissing(ctx)).toEqual({ delete_missing: false, source: 'config' });
    const restore = withEnv('CALENDAR_DELETE_MISSING', 'true');
    try {
      expect(await getDeleteMissing(ctx)).toEqual({ delete_missing: true, source: 'config' });
      expect(await setDeleteMissing(ctx, { value: false })).toEqual({ delete_missing: false, source: 'setting' });
      expect(await getDeleteMissing(ctx)).toEqual({ delete_missing: false, source: 'setting' });
      expect(await setDeleteMissing(ctx, { value: 'true' })).toEqual({ delete_missing: true, source: 'setting' });
    } finally {
      restore();
    }
    await expect(setDeleteMissing(ctx, { value: 'maybe' as never })).rejects.toThrow(/value must be true or false/);
    // Both settings live in one row: setting one keeps the other.
    await setCalendar(ctx, { calendar: work });
    await setDeleteMissing(ctx, { value: true });
    expect(await database.db.userSettings.findUniqueOrThrow({ where: { userId: user.id } })).toMatchObject({ calendarId: work, calendarDeleteMissing: true });
  });
});

describe('REST /api/v1/calendar', () => {
  it('GET /calendars (primaryOnly), GET/PUT /settings, POST /sync; read tokens cannot write', async () => {
    const listed = await callRoute(calendarsRoute.GET, { token: user.token, path: '/api/v1/calendar/calendars?primaryOnly=true' });
    expect(listed).toMatchObject({ status: 200, body: [{ id: 'settings.user@example.com', primary: true, access_role: 'owner' }] });
    expect((await callRoute(calendarsRoute.GET, { token: user.token, path: '/api/v1/calendar/calendars' })).body.length).toBeGreaterThanOrEqual(3);

    expect((await callRoute(settingsRoute.GET, { token: user.token })).body).toEqual({
      calendar_id: null,
      effective_calendar_id: 'primary',
      source: 'default',
      delete_missing: false,
      delete_missing_source: 'config',
    });
    const put = await callRoute(settingsRoute.PUT, { token: user.token, method: 'PUT', body: { calendar: work, delete_missing: true } });
    expect(put).toMatchObject({ status: 200, body: { calendar_id: work, effective_calendar_id: work, source: 'setting', delete_missing: true, delete_missing_source: 'setting' } });
    const unknown = await callRoute(settingsRoute.PUT, { token: user.token, method: 'PUT', body: { calendar: 'nope' } });
    expect(unknown).toEqual({ status: 400, body: { error: expect.objectContaining({ code: 'validation_error', message: 'unknown calendar id "nope": run `orbita settings calendar list`' }) } });
    const empty = await callRoute(settingsRoute.PUT, { token: user.token, method: 'PUT', body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/give calendar and\/or delete_missing/);

    const { token: readOnly } = await createAccessToken(ctx, { name: 'ro', scopes: ['read'] });
    expect((await callRoute(settingsRoute.GET, { token: readOnly })).status).toBe(200);
    expect((await callRoute(settingsRoute.PUT, { token: readOnly, method: 'PUT', body: { delete_missing: false } })).status).toBe(403);
    expect((await callRoute(syncRoute.POST, { token: readOnly, body: {} })).status).toBe(403);

    const day = addDays(localDate(new Date(), zone), 1);
    const block = await database.db.scheduleBlock.create({
      data: { userId: user.id, type: 'focus', title: 'REST focus', startAt: atLocalMinute(day, 600, zone), endAt: atLocalMinute(day, 660, zone) },
    });
    const synced = await callRoute(syncRoute.POST, { token: user.token, body: { days: 2, reminders: [15] } });
    expect(synced).toMatchObject({ status: 200, body: { calendar_id: work, created: 1, failed: 0, delete_missing: true } });
    expect(fake.events(work).get(eventIdOf(block.id))).toMatchObject({ summary: 'REST focus', reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 15 }] } });
    // DELETE of the block (delete-missing stored on above) deletes its event after the removal.
    const removed = await callRoute(blockRoute.DELETE, { token: user.token, method: 'DELETE', params: { id: block.id } });
    expect(removed).toMatchObject({ status: 200, body: { id: block.id, calendarEvent: { calendarId: work, eventId: eventIdOf(block.id), deleted: true } } });
    expect(fake.events(work).get(eventIdOf(block.id))?.status).toBe('cancelled');
    const bad = await callRoute(syncRoute.POST, { token: user.token, body: { days: 0 } });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'validation_error', message: 'days must be a whole number from 1 to 90' } } });
  });
});
