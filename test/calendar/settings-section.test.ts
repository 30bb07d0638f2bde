import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  disconnectAction,
  loadCalendarSection,
  saveCalendarAction,
  saveDeleteMissingAction,
  syncNowAction,
} from '../../app/(dashboard)/settings/calendar-actions';
import { connectionStatus, createAuthUrl, exchangeCode } from '../../lib/calendar/connection';
import { resetConfig } from '../../lib/config';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { createUser } from '../../lib/identity/users';
import { type FakeGoogle, startFakeGoogle } from '../fakes/google/server';
import { fakeGoogleEnv } from '../helpers/calendar';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

// The Settings section's server side, as the page and its buttons call it: the session user is
// `session.user`, and revalidatePath (which needs a Next.js request) is recorded instead.
const session = vi.hoisted(() => ({ user: null as null | { id: string; email: string; name: string; timeZone: string; isAdmin: boolean } }));
const revalidated = vi.hoisted(() => [] as string[]);
vi.mock('../../lib/identity/session', async () => {
  const { db } = await import('../../lib/db/client');
  const { systemClock } = await import('../../lib/context');
  const requireSessionUser = async () => {
    if (!session.user) throw new Error('NEXT_REDIRECT /signin');
    return session.user;
  };
  return {
    sessionUserId: async () => session.user?.id ?? null,
    requireSessionUser,
    sessionContext: async () => {
      const user = await requireSessionUser();
      return { ctx: { db: db(), userId: user.id, now: systemClock }, user };
    },
  };
});
vi.mock('next/cache', () => ({ revalidatePath: (path: string, type?: string) => revalidated.push(type ? `${path} (${type})` : path) }));

const redirectUri = 'http://localhost:3100/api/calendar/oauth/callback';
const names = ['OAUTH_PROVIDER', 'OAUTH_CLIENT_ID', 'OAUTH_CLIENT_SECRET', 'OAUTH_AUTH_URL', 'OAUTH_TOKEN_URL', 'OAUTH_REDIRECT_URL', 'GOOGLE_API_BASE_URL', 'ORBITA_ENCRYPTION_KEY', 'CALENDAR_ID', 'CALENDAR_DELETE_MISSING'];
const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
const key = randomBytes(32).toString('base64');

let database: TestDatabase;
let google: FakeGoogle;
let userId: string;
const ctx = () => ({ db: database.db, userId, now: () => new Date() });

function setEnv(values: Record<string, string | undefined>) {
  for (const name of names) {
    const value = values[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfig();
}
const configured = () => fakeGoogleEnv(google, { OAUTH_REDIRECT_URL: redirectUri, ORBITA_ENCRYPTION_KEY: key });

async function connect() {
  const { url, state } = await createAuthUrl(ctx());
  const code = google.issueCode({ redirectUri, codeChallenge: new URL(url).searchParams.get('code_challenge') ?? undefined });
  await exchangeCode(ctx(), { code, state });
}

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  google = await startFakeGoogle({ accountEmail: 'section@example.com' });
  const user = await createUser(database.db, { email: 'section-user@example.com', timeZone: 'UTC' });
  userId = user.id;
  session.user = { id: user.id, email: 'section-user@example.com', name: 'Section', timeZone: 'UTC', isAdmin: false };
});
afterEach(() => {
  revalidated.length = 0;
});
afterAll(async () => {
  setEnv(saved);
  await google?.close();
  await disconnectDb();
  await database?.drop();
});

describe('loadCalendarSection', () => {
  it('not configured: names what to set, and the callback outcome becomes a sentence', async () => {
    setEnv({ OAUTH_CLIENT_ID: 'only-this' });
    const data = await loadCalendarSection({ calendar_error: 'denied' });
    expect(data.configured).toBe(false);
    expect(data.missing).toEqual(['OAUTH_PROVIDER=google', 'OAUTH_CLIENT_SECRET', 'OAUTH_AUTH_URL', 'OAUTH_TOKEN_URL', 'OAUTH_REDIRECT_URL', 'ORBITA_ENCRYPTION_KEY']);
    expect(data.connection).toBeNull();
    expect(data.flash).toEqual({ tone: 'error', text: 'Google Calendar was not connected: access was declined on Google’s consent page.' });
    // An unknown code is not echoed back.
    expect((await loadCalendarSection({ calendar_error: '<script>' })).flash).toEqual({ tone: 'error', text: 'Google Calendar was not connected. Try connecting again.' });
  });

  it('connected: account, writable calendars, settings with their sources', async () => {
    setEnv({ ...configured(), CALENDAR_DELETE_MISSING: 'true' });
    await connect();
    const data = await loadCalendarSection({ calendar: 'connected' });
    expect(data.configured).toBe(true);
    expect(data.flash).toEqual({ tone: 'success', text: 'Google Calendar connected.' });
    expect(data.connection).toMatchObject({ accountEmail: 'section@example.com', status: 'connected' });
    expect(data.calendars).toEqual([
      { id: 'section@example.com', summary: 'section@example.com', primary: true, writable: true },
      { id: 'work.orbita@group.calendar.google.com', summary: 'Work', primary: false, writable: true },
      { id: 'en.usa#holiday@group.v.calendar.google.com', summary: 'Holidays', primary: false, writable: false },
    ]);
    expect(data).toMatchObject({ calendarId: null, effectiveCalendarId: 'primary', calendarSource: 'default', deleteMissing: true, deleteMissingSource: 'config' });
  });

  it('a Google outage while listing calendars is a message, not a failed page', async () => {
    setEnv(configured());
    google.fail({ method: 'GET', path: /calendarList/ }, { status: 404, reason: 'notFound', times: 1 });
    const data = await loadCalendarSection();
    expect(data.calendars).toBeNull();
    expect(data.calendarsError).toMatch(/^Could not list your calendars: /);
    expect(data.connection?.status).toBe('connected');
  });
});

describe('actions', () => {
  it('saves the calendar (unknown ids refused readably) and delete-missing', async () => {
    setEnv(configured());
    expect(await saveCalendarAction('work.orbita@group.calendar.google.com')).toEqual({ ok: true, message: 'Saved: blocks sync to work.orbita@group.calendar.google.com.' });
    expect(revalidated).toContain('/settings');
    const refused = await saveCalendarAction('nope@group.calendar.google.com');
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/^Could not save the calendar: .*nope@group\.calendar\.google\.com/);
    expect(await saveCalendarAction(null)).toEqual({ ok: true, message: 'Saved: blocks sync to the default calendar (primary).' });
    expect(await saveDeleteMissingAction(false)).toEqual({ ok: true, message: 'Saved: syncing never deletes events from Google Calendar.' });
    expect((await loadCalendarSection()).deleteMissing).toBe(false);
  });

  it('sync now reports counts; a revoked grant becomes "needs to be reconnected" and refreshes the layout', async () => {
    setEnv(configured());
    const ok = await syncNowAction();
    expect(ok).toMatchObject({ ok: true, message: 'Synced the next 7 days to primary.', counts: { created: 0, updated: 0, deleted: 0, unchanged: 0, failed: 0 } });

    google.revokeRefreshTokens();
    await database.db.oAuthToken.updateMany({ where: { userId }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const failed = await syncNowAction();
    expect(failed).toEqual({
      ok: false,
      counts: null,
      message: 'Google Calendar needs to be reconnected: Google no longer accepts the stored sign-in. Use “Reconnect Google Calendar”.',
    });
    expect(failed.message).not.toMatch(/orbita auth|stack|at /);
    expect(revalidated).toContain('/ (layout)');
    expect((await connectionStatus(ctx()))?.status).toBe('needs_reconnect');
    const data = await loadCalendarSection();
    expect(data.connection?.status).toBe('needs_reconnect');
    expect(data.calendars).toBeNull(); // not listed while the grant is dead
  });

  it('disconnect forgets the connection; sync then says it is not connected', async () => {
    setEnv(configured());
    expect(await disconnectAction()).toEqual({ ok: true, message: 'Google Calendar disconnected. Events already in Google stay there.' });
    expect(await connectionStatus(ctx())).toBeNull();
    expect(await disconnectAction()).toEqual({ ok: true, message: 'Google Calendar was not connected.' });
    expect(await syncNowAction()).toEqual({ ok: false, counts: null, message: 'Google Calendar is not connected.' });
  });
});
