import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { calendarApi } from '../../lib/calendar/google';
import {
  authorizedClient,
  checkStoredTokens,
  connectionStatus,
  createAuthUrl,
  disconnect,
  exchangeCode,
  rotateEncryptionKeys,
} from '../../lib/calendar/connection';
import { buildKeyring, decryptSecret, encryptSecret, keyIdOf, type Keyring } from '../../lib/calendar/crypto';
import { resetConfig } from '../../lib/config';
import type { ServiceContext } from '../../lib/context';
import { AppError } from '../../lib/errors';
import { createUser } from '../../lib/identity/users';
import { startFakeGoogle, type FakeGoogle } from '../fakes/google/server';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const REDIRECT = 'http://127.0.0.1:3000/api/calendar/oauth/callback';
const KEY = randomBytes(32).toString('base64');
const keyring: Keyring = buildKeyring(KEY);

let database: TestDatabase;
let fake: FakeGoogle;
const savedEnv = { ...process.env };

function setOAuthEnv(extra: Record<string, string | undefined> = {}) {
  Object.assign(process.env, {
    OAUTH_PROVIDER: 'google',
    OAUTH_CLIENT_ID: fake.clientId,
    OAUTH_CLIENT_SECRET: fake.clientSecret,
    OAUTH_AUTH_URL: fake.authUrl,
    OAUTH_TOKEN_URL: fake.tokenUrl,
    OAUTH_REDIRECT_URL: REDIRECT,
    GOOGLE_API_BASE_URL: fake.apiBaseUrl,
    ORBITA_ENCRYPTION_KEY: KEY,
    ORBITA_ENCRYPTION_KEYS_OLD: '',
  });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetConfig();
}

beforeAll(async () => {
  fake = await startFakeGoogle();
  database = await createTestDatabase();
  setOAuthEnv();
});
afterAll(async () => {
  process.env = savedEnv;
  resetConfig();
  await fake?.close();
  await database?.drop();
});
beforeEach(() => setOAuthEnv());

async function newUser(name = 'Ada'): Promise<ServiceContext> {
  const user = await createUser(database.db, { name, timeZone: 'Europe/Berlin' });
  return { db: database.db, userId: user.id, now: () => new Date() };
}

/** Consent through the fake's Allow (what the browser does) and the callback's exchange. */
async function connect(ctx: ServiceContext) {
  const { url, state } = await createAuthUrl(ctx);
  const params = new URL(url).searchParams;
  const code = fake.issueCode({ redirectUri: params.get('redirect_uri')!, codeChallenge: params.get('code_challenge')!, scope: params.get('scope')! });
  return exchangeCode(ctx, { code, state });
}

const tokenRow = (ctx: ServiceContext) => database.db.oAuthToken.findUniqueOrThrow({ where: { userId_provider: { userId: ctx.userId, provider: 'google' } } });
const refreshGrants = () => fake.tokenGrants.filter((g) => g.grant_type === 'refresh_token').length;
const expireAccessToken = (ctx: ServiceContext) =>
  database.db.oAuthToken.update({ where: { userId_provider: { userId: ctx.userId, provider: 'google' } }, data: { expiresAt: new Date(Date.now() - 1000) } });

async function rejects(promise: Promise<unknown>, code: string, message?: RegExp): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
  return error as AppError;
}

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      raw.push(String(chunk));
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'warn' }, stream), lines, raw };
}

describe('createAuthUrl', () => {
  it('stores state + S256 verifier for 10 minutes and builds the consent URL', async () => {
    const ctx = await newUser();
    const expired = await database.db.oAuthState.create({
      data: { state: 'old-state', userId: ctx.userId, provider: 'google', codeVerifier: 'v', expiresAt: new Date(Date.now() - 60_000) },
    });
    const before = Date.now();
    const { url, state, expiresAt } = await createAuthUrl(ctx);
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe(fake.authUrl);
    const q = parsed.searchParams;
    expect(q.get('client_id')).toBe(fake.clientId);
    expect(q.get('redirect_uri')).toBe(REDIRECT);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('scope')).toBe('https://www.googleapis.com/auth/calendar openid email');
    expect(q.get('access_type')).toBe('offline');
    expect(q.get('prompt')).toBe('consent');
    expect(q.get('state')).toBe(state);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(Buffer.from(state, 'base64url')).toHaveLength(32);

    const row = await database.db.oAuthState.findUniqueOrThrow({ where: { state } });
    expect(row.userId).toBe(ctx.userId);
    expect(q.get('code_challenge')).toBe(createHash('sha256').update(row.codeVerifier).digest('base64url'));
    expect(expiresAt.getTime() - before).toBeGreaterThanOrEqual(10 * 60_000 - 50);
    expect(expiresAt.getTime() - before).toBeLessThanOrEqual(10 * 60_000 + 5_000);
    expect(await database.db.oAuthState.findUnique({ where: { state: expired.state } })).toBeNull();

    // The URL is one the provider's consent page accepts.
    const consent = await fetch(url);
    expect(consent.status).toBe(200);
    expect(await consent.text()).toContain('Allow');
  });

  it('missing OAuth configuration: unavailable, naming the variables', async () => {
    const ctx = await newUser();
    setOAuthEnv({ OAUTH_PROVIDER: undefined, OAUTH_CLIENT_SECRET: undefined });
    await rejects(createAuthUrl(ctx), 'unavailable', /OAUTH_PROVIDER=google.*missing: OAUTH_PROVIDER=google, OAUTH_CLIENT_SECRET/);
    await rejects(authorizedClient(ctx), 'unavailable', /Google Calendar is not configured/);
  });

  it('missing ORBITA_ENCRYPTION_KEY: unavailable before any consent starts', async () => {
    const ctx = await newUser();
    setOAuthEnv({ ORBITA_ENCRYPTION_KEY: undefined });
    await rejects(createAuthUrl(ctx), 'unavailable', /^ORBITA_ENCRYPTION_KEY is not set/);
    expect(await database.db.oAuthState.count({ where: { userId: ctx.userId } })).toBe(0);
  });
});

describe('exchangeCode', () => {
  it('exchanges with state + PKCE and stores the tokens encrypted', async () => {
    const ctx = await newUser();
    const { url, state } = await createAuthUrl(ctx);
    const stored = await database.db.oAuthState.findUniqueOrThrow({ where: { state } });
    const params = new URL(url).searchParams;
    // The consent page's Allow, as the browser submits it.
    const form = new URLSearchParams({ decision: 'allow' });
    for (const k of ['client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method']) form.set(k, params.get(k)!);
    const approve = await fetch(`${fake.url}/o/oauth2/v2/auth/approve`, { method: 'POST', body: form, redirect: 'manual' });
    expect(approve.status).toBe(302);
    const callback = new URL(approve.headers.get('location')!);
    expect(callback.searchParams.get('state')).toBe(state);

    const view = await exchangeCode(ctx, { code: callback.searchParams.get('code')!, state });
    expect(view).toMatchObject({ provider: 'google', accountEmail: fake.accountEmail, status: 'connected', lastError: null });
    expect(view.scopes).toContain('https://www.googleapis.com/auth/calendar');
    expect(Date.parse(view.expiresAt!)).toBeGreaterThan(Date.now());

    const tokenRequest = fake.requests.filter((r) => r.method === 'POST' && r.path === '/token').at(-1)!;
    expect(tokenRequest.status).toBe(200);
    expect(JSON.stringify(tokenRequest.body)).toContain(stored.codeVerifier);

    const row = await tokenRow(ctx);
    expect(row.keyId).toBe(keyring.current!.id);
    expect(keyIdOf(row.accessTokenCiphertext)).toBe(keyring.current!.id);
    const access = decryptSecret(keyring, row.accessTokenCiphertext, { userId: ctx.userId, provider: 'google', field: 'access_token' });
    const refresh = decryptSecret(keyring, row.refreshTokenCiphertext!, { userId: ctx.userId, provider: 'google', field: 'refresh_token' });
    expect(access).toMatch(/^ya29\./);
    expect(refresh).toMatch(/^1\/\//);
    expect(row.accessTokenCiphertext).not.toContain(access);
    // The state is single-use.
    expect(await database.db.oAuthState.findUnique({ where: { state } })).toBeNull();
    expect(await connectionStatus(ctx)).toEqual(view);
  });

  it('without state uses the newest unexpired consent of the user', async () => {
    const ctx = await newUser();
    await createAuthUrl(ctx);
    const { url } = await createAuthUrl(ctx);
    const params = new URL(url).searchParams;
    const code = fake.issueCode({ redirectUri: REDIRECT, codeChallenge: params.get('code_challenge')! });
    const view = await exchangeCode(ctx, { code });
    expect(view.status).toBe('connected');
  });

  it('a code bound to another PKCE challenge is rejected (validation_error)', async () => {
    const ctx = await newUser();
    const { state } = await createAuthUrl(ctx);
    const otherChallenge = createHash('sha256').update('some-other-verifier-xxxxxxxxxxxxxxxxxxxxxxxxxxx').digest('base64url');
    const code = fake.issueCode({ redirectUri: REDIRECT, codeChallenge: otherChallenge });
    await rejects(exchangeCode(ctx, { code, state }), 'validation_error', /rejected the authorization code \(invalid_grant\)/);
    expect(await connectionStatus(ctx)).toBeNull();
  });

  it('a mistyped code keeps the consent so the right code still works', async () => {
    const ctx = await newUser();
    const { url, state } = await createAuthUrl(ctx);
    await rejects(exchangeCode(ctx, { code: '4/not-a-code', state }), 'validation_error', /invalid_grant/);
    const code = fake.issueCode({ redirectUri: REDIRECT, codeChallenge: new URL(url).searchParams.get('code_challenge')! });
    expect((await exchangeCode(ctx, { code, state })).status).toBe('connected');
  });

  it('wrong, foreign, reused and expired states are rejected', async () => {
    const ctx = await newUser();
    const other = await newUser('Bob');
    const code = () => fake.issueCode({ redirectUri: REDIRECT });
    await rejects(exchangeCode(ctx, { code: code(), state: 'no-such-state' }), 'validation_error', /unknown OAuth state/);

    const foreign = await createAuthUrl(other);
    await rejects(exchangeCode(ctx, { code: code(), state: foreign.state }), 'validation_error', /unknown OAuth state/);
    expect(await database.db.oAuthState.findUnique({ where: { state: foreign.state } })).not.toBeNull();

    const mine = await createAuthUrl(ctx);
    await database.db.oAuthState.update({ where: { state: mine.state }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await rejects(exchangeCode(ctx, { code: code(), state: mine.state }), 'validation_error', /expired/);
    await rejects(exchangeCode(ctx, { code: code(), state: mine.state }), 'validation_error', /unknown OAuth state/);
    // Nothing unexpired left: the CLI form has nothing to use either.
    await rejects(exchangeCode(ctx, { code: code() }), 'validation_error', /no Google Calendar consent in progress/);
    expect(await connectionStatus(ctx)).toBeNull();
  });

  it('an empty code is bad input', async () => {
    const ctx = await newUser();
    await expect(exchangeCode(ctx, { code: '  ' })).rejects.toThrow(/code must not be empty/);
  });
});

describe('authorizedClient', () => {
  it('not connected: not_found with the reconnect hint', async () => {
    await rejects(authorizedClient(await newUser()), 'not_found', /no Google Calendar connection: run `orbita auth url`/);
  });

  it('a valid token is used as is (no refresh) and works against the API', async () => {
    const ctx = await newUser();
    await connect(ctx);
    const grants = refreshGrants();
    const client = await authorizedClient(ctx);
    const primary = await calendarApi(client).calendars.get({ calendarId: 'primary' });
    expect(primary.data.id).toBe(fake.accountEmail);
    expect(refreshGrants()).toBe(grants);
  });

  it('an expiring token is refreshed first and written back encrypted', async () => {
    const ctx = await newUser();
    await connect(ctx);
    const before = await tokenRow(ctx);
    const oldAccess = decryptSecret(keyring, before.accessTokenCiphertext, { userId: ctx.userId, provider: 'google', field: 'access_token' });
    // Expires in 30 s: inside the 60 s margin.
    await database.db.oAuthToken.update({ where: { id: before.id }, data: { expiresAt: new Date(Date.now() + 30_000) } });
    const grants = refreshGrants();
    const client = await authorizedClient(ctx);
    expect(refreshGrants()).toBe(grants + 1);

    const after = await tokenRow(ctx);
    const newAccess = decryptSecret(keyring, after.accessTokenCiphertext, { userId: ctx.userId, provider: 'google', field: 'access_token' });
    expect(newAccess).not.toBe(oldAccess);
    expect(after.accessTokenCiphertext).toMatch(/^v1\./);
    expect(after.accessTokenCiphertext).not.toContain(newAccess);
    expect(after.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    // The refresh token is kept (re-encrypted) and still works.
    expect(decryptSecret(keyring, after.refreshTokenCiphertext!, { userId: ctx.userId, provider: 'google', field: 'refresh_token' })).toBe(
      decryptSecret(keyring, before.refreshTokenCiphertext!, { userId: ctx.userId, provider: 'google', field: 'refresh_token' }),
    );
    expect(client.credentials.access_token).toBe(newAccess);
    expect((await calendarApi(client).calendars.get({ calendarId: 'primary' })).data.id).toBe(fake.accountEmail);
    // Next call: the written-back token is fresh, no refresh.
    await authorizedClient(ctx);
    expect(refreshGrants()).toBe(grants + 1);
  });

  it('a token that expires while the client is in use is refreshed through the same serialised path', async () => {
    const ctx = await newUser();
    await connect(ctx);
    const client = await authorizedClient(ctx);
    const before = client.credentials.access_token;
    // Time passes: the token is now expired for both the client and the stored row.
    await expireAccessToken(ctx);
    client.setCredentials({ ...client.credentials, expiry_date: Date.now() - 1000 });
    const grants = refreshGrants();
    expect((await calendarApi(client).calendars.get({ calendarId: 'primary' })).data.id).toBe(fake.accountEmail);
    expect(refreshGrants()).toBe(grants + 1);
    expect(client.credentials.access_token).not.toBe(before);
    expect(client.credentials.refresh_token).toBeUndefined();
    const row = await tokenRow(ctx);
    expect(decryptSecret(keyring, row.accessTokenCiphertext, { userId: ctx.userId, provider: 'google', field: 'access_token' })).toBe(client.credentials.access_token);
    expect(row.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
  });

  it('two concurrent calls with an expired token refresh once', async () => {
    const ctx = await newUser();
    await connect(ctx);
    await expireAccessToken(ctx);
    fake.latencyMs = 150; // widen the race window
    const grants = refreshGrants();
    try {
      const [a, b] = await Promise.all([authorizedClient(ctx), authorizedClient({ ...ctx })]);
      expect(refreshGrants()).toBe(grants + 1);
      expect(a.credentials.access_token).toBe(b.credentials.access_token);
    } finally {
      fake.latencyMs = 0;
    }
  });

  it('invalid_grant: needs_reconnect, lastError, a warning, and an unauthorized error', async () => {
    const ctx = await newUser();
    await connect(ctx);
    const refreshToken = decryptSecret(keyring, (await tokenRow(ctx)).refreshTokenCiphertext!, { userId: ctx.userId, provider: 'google', field: 'refresh_token' });
    fake.revokeRefreshTokens();
    await expireAccessToken(ctx);
    const logs = captureLogs();
    await rejects(authorizedClient(ctx, { logger: logs.logger }), 'unauthorized', /needs to be reconnected: run `orbita auth url`/);

    const row = await tokenRow(ctx);
    expect(row.status).toBe('needs_reconnect');
    expect(row.lastError).toMatch(/invalid_grant/);
    const warning = logs.lines.find((l) => l.msg === 'oauth token refresh failed');
    expect(warning).toMatchObject({ level: 40, userId: ctx.userId, err: { reason: 'invalid_grant' } });
    expect(logs.raw.join('')).not.toContain(refreshToken);
    expect(await connectionStatus(ctx)).toMatchObject({ status: 'needs_reconnect', lastError: expect.stringMatching(/invalid_grant/) });

    // Later calls fail at once, without hitting the token endpoint; a new consent repairs it.
    const grants = fake.tokenGrants.length;
    await rejects(authorizedClient(ctx), 'unauthorized', /reconnected/);
    expect(fake.tokenGrants.length).toBe(grants);
    expect((await connect(ctx)).status).toBe('connected');
    expect(await authorizedClient(ctx)).toBeTruthy();
  });

  it('other refresh failures: upstream_error, a warning, still connected', async () => {
    const ctx = await newUser();
    await connect(ctx);
    await expireAccessToken(ctx);
    fake.fail({ method: 'POST', path: /^\/token/ }, { status: 503, times: 10 });
    const logs = captureLogs();
    try {
      await rejects(authorizedClient(ctx, { logger: logs.logger }), 'upstream_error', /refreshing the Google access token failed/);
    } finally {
      fake.reset();
    }
    expect(logs.lines.some((l) => l.msg === 'oauth token refresh failed')).toBe(true);
    const row = await tokenRow(ctx);
    expect(row.status).toBe('connected');
    expect(row.lastError).toMatch(/token refresh failed/);
    // Once Google answers again the refresh succeeds and clears the error.
    await authorizedClient(ctx);
    expect((await tokenRow(ctx)).lastError).toBeNull();
  });

  it('no refresh token and expiring within 24 h: warns "oauth token nearing expiry"', async () => {
    const ctx = await newUser();
    await connect(ctx);
    await database.db.oAuthToken.update({
      where: { userId_provider: { userId: ctx.userId, provider: 'google' } },
      data: { refreshTokenCiphertext: null, expiresAt: new Date(Date.now() + 2 * 3600_000) },
    });
    const logs = captureLogs();
    const client = await authorizedClient(ctx, { logger: logs.logger });
    expect(logs.lines.find((l) => l.msg === 'oauth token nearing expiry')).toMatchObject({ level: 40, userId: ctx.userId, hasRefreshToken: false });
    expect((await calendarApi(client).calendars.get({ calendarId: 'primary' })).data.id).toBe(fake.accountEmail);

    // With a refresh token there is nothing to warn about.
    const ok = await newUser('Cleo');
    await connect(ok);
    const quiet = captureLogs();
    await authorizedClient(ok, { logger: quiet.logger });
    expect(quiet.lines).toEqual([]);
  });

  it('a token encrypted with an unknown key fails loudly', async () => {
    const ctx = await newUser();
    await connect(ctx);
    setOAuthEnv({ ORBITA_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    await rejects(authorizedClient(ctx), 'unavailable', /neither ORBITA_ENCRYPTION_KEY nor in ORBITA_ENCRYPTION_KEYS_OLD/);
  });
});

describe('disconnect', () => {
  it('deletes the token row', async () => {
    const ctx = await newUser();
    await connect(ctx);
    expect(await disconnect(ctx)).toEqual({ disconnected: true });
    expect(await connectionStatus(ctx)).toBeNull();
    expect(await database.db.oAuthToken.count({ where: { userId: ctx.userId } })).toBe(0);
    expect(await disconnect(ctx)).toEqual({ disconnected: false });
  });
});

describe('rotateEncryptionKeys', () => {
  it('re-encrypts every token with the new key; resumable; undecryptable rows reported', async () => {
    await database.db.oAuthToken.deleteMany({});
    const OLD = randomBytes(32).toString('base64');
    const NEW = randomBytes(32).toString('base64');
    const oldRing = buildKeyring(OLD);

    // One connected through OAuth under OLD, plus more rows written under OLD directly.
    setOAuthEnv({ ORBITA_ENCRYPTION_KEY: OLD });
    const connected = await newUser('Rot');
    await connect(connected);
    const plain = new Map<string, { access: string; refresh: string | null }>();
    for (let i = 0; i < 12; i++) {
      const ctx = await newUser(`R${i}`);
      const access = `ya29.access-${i}`;
      const refresh = i % 3 === 0 ? null : `1//refresh-${i}`;
      await database.db.oAuthToken.create({
        data: {
          userId: ctx.userId,
          provider: 'google',
          accessTokenCiphertext: encryptSecret(oldRing, access, { userId: ctx.userId, provider: 'google', field: 'access_token' }),
          refreshTokenCiphertext: refresh ? encryptSecret(oldRing, refresh, { userId: ctx.userId, provider: 'google', field: 'refresh_token' }) : null,
          keyId: oldRing.current!.id,
        },
      });
      plain.set(ctx.userId, { access, refresh });
    }
    const connectedRow = await tokenRow(connected);
    const ctxOf = (userId: string, field: 'access_token' | 'refresh_token') => ({ userId, provider: 'google', field }) as const;
    plain.set(connected.userId, {
      access: decryptSecret(oldRing, connectedRow.accessTokenCiphertext, ctxOf(connected.userId, 'access_token')),
      refresh: decryptSecret(oldRing, connectedRow.refreshTokenCiphertext!, ctxOf(connected.userId, 'refresh_token')),
    });

    const rotating = buildKeyring(NEW, [OLD]);
    const progress: [number, number][] = [];
    const first = await rotateEncryptionKeys(database.db, { keyring: rotating, batchSize: 5, onProgress: (d, t) => progress.push([d, t]) });
    expect(first).toMatchObject({ total: 13, rotated: 13, alreadyCurrent: 0, failed: 0, failures: [] });
    expect(progress.at(-1)).toEqual([13, 13]);

    // Only the new key now: every token decrypts to what it was.
    const newOnly = buildKeyring(NEW);
    const rows = await database.db.oAuthToken.findMany();
    expect(rows).toHaveLength(13);
    for (const row of rows) {
      expect(row.keyId).toBe(newOnly.current!.id);
      expect(decryptSecret(newOnly, row.accessTokenCiphertext, ctxOf(row.userId, 'access_token'))).toBe(plain.get(row.userId)!.access);
      const refresh = row.refreshTokenCiphertext ? decryptSecret(newOnly, row.refreshTokenCiphertext, ctxOf(row.userId, 'refresh_token')) : null;
      expect(refresh).toBe(plain.get(row.userId)!.refresh);
      expect(() => decryptSecret(oldRing, row.accessTokenCiphertext, ctxOf(row.userId, 'access_token'))).toThrow(/neither ORBITA_ENCRYPTION_KEY/);
    }
    // The rotated connection works with only the new key configured.
    setOAuthEnv({ ORBITA_ENCRYPTION_KEY: NEW });
    expect(await checkStoredTokens(connected)).toMatchObject({ ok: true, current: true });
    expect((await calendarApi(await authorizedClient(connected)).calendars.get({ calendarId: 'primary' })).data.id).toBe(fake.accountEmail);

    // Resumable: a second run has nothing left to do.
    const second = await rotateEncryptionKeys(database.db, { keyring: rotating });
    expect(second).toMatchObject({ total: 13, rotated: 0, alreadyCurrent: 13, failed: 0 });

    // A row no known key can read counts as failed and is reported; the others still rotate.
    const NEWER = randomBytes(32).toString('base64');
    const [bad, ...rest] = rows;
    const parts = bad.accessTokenCiphertext.split('.');
    const ciphertext = Buffer.from(parts[3], 'base64url');
    ciphertext[0] ^= 1;
    parts[3] = ciphertext.toString('base64url');
    await database.db.oAuthToken.update({ where: { id: bad.id }, data: { accessTokenCiphertext: parts.join('.') } });
    const third = await rotateEncryptionKeys(database.db, { keyring: buildKeyring(NEWER, [NEW]) });
    expect(third).toMatchObject({ total: 13, rotated: 12, alreadyCurrent: 0, failed: 1 });
    expect(third.failures).toEqual([expect.objectContaining({ id: bad.id, userId: bad.userId, message: expect.stringMatching(/authentication failed/) })]);
    expect((await database.db.oAuthToken.findUniqueOrThrow({ where: { id: bad.id } })).keyId).toBe(newOnly.current!.id);
    expect(rest.length).toBe(12);
    const fourth = await rotateEncryptionKeys(database.db, { keyring: buildKeyring(NEWER, [NEW]) });
    expect(fourth).toMatchObject({ rotated: 0, alreadyCurrent: 12, failed: 1 });
  });
});
