import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { exchangeErrorCode, missingCalendarSettings } from '../../app/api/calendar/oauth/shared';
import { GET as callback } from '../../app/api/calendar/oauth/callback/route';
import { GET as startGet, POST as startPost } from '../../app/api/calendar/oauth/start/route';
import { connectionStatus, createAuthUrl } from '../../lib/calendar/connection';
import { parseConfig, resetConfig } from '../../lib/config';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { AppError, validationError } from '../../lib/errors';
import { createUser } from '../../lib/identity/users';
import { type FakeGoogle, startFakeGoogle } from '../fakes/google/server';
import { fakeGoogleEnv } from '../helpers/calendar';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

// The routes read the signed-in user from the next-auth session; here the session is whoever `signedIn` says.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock('../../lib/identity/session', () => ({
  sessionUserId: async () => session.userId,
  requireSessionUser: async () => {
    throw new Error('not used by the routes');
  },
}));

const redirectUri = 'http://localhost:3100/api/calendar/oauth/callback';
const oauthEnv = ['OAUTH_PROVIDER', 'OAUTH_CLIENT_ID', 'OAUTH_CLIENT_SECRET', 'OAUTH_AUTH_URL', 'OAUTH_TOKEN_URL', 'OAUTH_REDIRECT_URL', 'GOOGLE_API_BASE_URL', 'ORBITA_ENCRYPTION_KEY'];
const savedEnv = Object.fromEntries(oauthEnv.map((name) => [name, process.env[name]]));

let database: TestDatabase;
let google: FakeGoogle;
let alice: string;
let bob: string;

function configure(overrides: Record<string, string | undefined> = {}) {
  const values: Record<string, string | undefined> = {
    ...fakeGoogleEnv(google, { OAUTH_REDIRECT_URL: redirectUri, ORBITA_ENCRYPTION_KEY: key }),
    ...overrides,
  };
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfig();
}
const key = randomBytes(32).toString('base64');

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  google = await startFakeGoogle({ accountEmail: 'routes@example.com' });
  alice = (await createUser(database.db, { email: 'alice-oauth@example.com', timeZone: 'UTC' })).id;
  bob = (await createUser(database.db, { email: 'bob-oauth@example.com', timeZone: 'UTC' })).id;
});
afterEach(() => {
  session.userId = null;
  configure();
});
afterAll(async () => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfig();
  await google?.close();
  await disconnectDb();
  await database?.drop();
});

const back = (query: string) => callback(new Request(`http://localhost:3100/api/calendar/oauth/callback?${query}`));

function expectSeeOther(response: Response, location: string | RegExp) {
  expect(response.status).toBe(303);
  const actual = response.headers.get('location') ?? '';
  if (typeof location === 'string') expect(actual).toBe(location);
  else expect(actual).toMatch(location);
  expect(response.headers.get('cache-control')).toBe('no-store');
}

/** Start as `userId`; returns the consent URL's state and code challenge. */
async function start(userId: string) {
  session.userId = userId;
  const response = await startPost();
  expectSeeOther(response, new RegExp(`^${google.authUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\?`));
  const url = new URL(response.headers.get('location') as string);
  return { state: url.searchParams.get('state') as string, codeChallenge: url.searchParams.get('code_challenge') as string, url };
}

describe('start route', () => {
  it('sends a signed-out browser to sign in', async () => {
    configure();
    expectSeeOther(await startPost(), '/signin');
    expectSeeOther(await startGet(), '/signin');
  });

  it('redirects (303) to the consent page with state, PKCE, offline access and consent prompt', async () => {
    configure();
    const { state, url } = await start(alice);
    expect(url.searchParams.get('client_id')).toBe(google.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(await database.db.oAuthState.findUnique({ where: { state } })).toMatchObject({ userId: alice, provider: 'google' });
  });

  it.each([
    ['OAUTH_CLIENT_ID', { OAUTH_CLIENT_ID: undefined }],
    ['OAUTH_PROVIDER', { OAUTH_PROVIDER: undefined }],
    ['ORBITA_ENCRYPTION_KEY', { ORBITA_ENCRYPTION_KEY: undefined }],
  ])('without %s: back to Settings with not_configured, never a 500', async (_name, overrides) => {
    configure(overrides);
    session.userId = alice;
    expectSeeOther(await startPost(), '/settings?calendar_error=not_configured#google-calendar');
  });
});

describe('callback route', () => {
  it('connects: exchanges the code for the user who started, then the state is spent', async () => {
    configure();
    await database.db.oAuthToken.deleteMany({ where: { userId: alice } });
    const { state, codeChallenge } = await start(alice);
    const code = google.issueCode({ redirectUri, codeChallenge });
    expectSeeOther(await back(`code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`), '/settings?calendar=connected#google-calendar');
    expect(await connectionStatus({ db: database.db, userId: alice, now: () => new Date() })).toMatchObject({
      status: 'connected',
      accountEmail: 'routes@example.com',
    });
    // The same callback again (a reload, or a replay): the state was consumed.
    expectSeeOther(await back(`code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`), '/settings?calendar_error=invalid_state#google-calendar');
  });

  it('refuses a state another user started (no cross-account connect)', async () => {
    configure();
    await database.db.oAuthToken.deleteMany({ where: { userId: alice } });
    const bobs = await start(bob);
    const code = google.issueCode({ redirectUri, codeChallenge: bobs.codeChallenge });
    session.userId = alice;
    expectSeeOther(await back(`code=${encodeURIComponent(code)}&state=${encodeURIComponent(bobs.state)}`), '/settings?calendar_error=invalid_state#google-calendar');
    expect(await connectionStatus({ db: database.db, userId: alice, now: () => new Date() })).toBeNull();
    expect(await connectionStatus({ db: database.db, userId: bob, now: () => new Date() })).toBeNull();
  });

  it('maps every failure to a readable code', async () => {
    configure();
    session.userId = alice;
    expectSeeOther(await back('error=access_denied&state=x'), '/settings?calendar_error=denied#google-calendar');
    expectSeeOther(await back('error=server_error'), '/settings?calendar_error=provider_error#google-calendar');
    expectSeeOther(await back('state=abc'), '/settings?calendar_error=invalid_request#google-calendar');
    expectSeeOther(await back('code=abc'), '/settings?calendar_error=invalid_state#google-calendar');
    expectSeeOther(await back('code=abc&state=never-issued'), '/settings?calendar_error=invalid_state#google-calendar');
    // A state that is ours but a code Google never issued.
    const { state } = await start(alice);
    expectSeeOther(await back(`code=not-a-real-code&state=${encodeURIComponent(state)}`), '/settings?calendar_error=exchange_failed#google-calendar');
    // An expired state.
    const expired = await createAuthUrl({ db: database.db, userId: alice, now: () => new Date(Date.now() - 11 * 60_000) });
    expectSeeOther(await back(`code=abc&state=${encodeURIComponent(expired.state)}`), '/settings?calendar_error=invalid_state#google-calendar');
    // Not configured on this server.
    configure({ OAUTH_TOKEN_URL: undefined });
    expectSeeOther(await back('code=abc&state=def'), '/settings?calendar_error=not_configured#google-calendar');
  });

  it('sends a signed-out browser to sign in without touching the state', async () => {
    configure();
    const { state } = await start(alice);
    session.userId = null;
    expectSeeOther(await back(`code=abc&state=${encodeURIComponent(state)}`), '/signin');
    expect(await database.db.oAuthState.findUnique({ where: { state } })).not.toBeNull();
  });
});

describe('helpers', () => {
  it('names every missing setting', () => {
    expect(missingCalendarSettings(parseConfig({}))).toEqual([
      'OAUTH_PROVIDER=google',
      'OAUTH_CLIENT_ID',
      'OAUTH_CLIENT_SECRET',
      'OAUTH_AUTH_URL',
      'OAUTH_TOKEN_URL',
      'OAUTH_REDIRECT_URL',
      'ORBITA_ENCRYPTION_KEY',
    ]);
  });

  it('classifies exchange errors', () => {
    expect(exchangeErrorCode(validationError('the OAuth state has expired'))).toBe('invalid_state');
    expect(exchangeErrorCode(validationError('Google rejected the authorization code (invalid_grant)'))).toBe('exchange_failed');
    expect(exchangeErrorCode(new AppError('upstream_error', 'the token exchange with Google failed'))).toBe('upstream_unavailable');
    expect(exchangeErrorCode(new AppError('unavailable', 'ORBITA_ENCRYPTION_KEY is not set: …'))).toBe('encryption_key');
    expect(exchangeErrorCode(new Error('boom'))).toBe('exchange_failed');
  });
});
