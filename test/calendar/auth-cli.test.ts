import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildKeyring, decryptSecret } from '../../lib/calendar/crypto';
import { startFakeGoogle, type FakeGoogle } from '../fakes/google/server';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const OLD = randomBytes(32).toString('base64');
const NEW = randomBytes(32).toString('base64');

let database: TestDatabase;
let fake: FakeGoogle;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeGoogle();
  database = await createTestDatabase();
  env = {
    DATABASE_URL: database.url,
    OUTBOX_PROCESSOR_ENABLED: 'false',
    OAUTH_PROVIDER: 'google',
    OAUTH_CLIENT_ID: fake.clientId,
    OAUTH_CLIENT_SECRET: fake.clientSecret,
    OAUTH_AUTH_URL: fake.authUrl,
    OAUTH_TOKEN_URL: fake.tokenUrl,
    OAUTH_REDIRECT_URL: 'http://127.0.0.1:3000/api/calendar/oauth/callback',
    GOOGLE_API_BASE_URL: fake.apiBaseUrl,
    ORBITA_ENCRYPTION_KEY: OLD,
  };
});
afterAll(async () => {
  await fake?.close();
  await database?.drop();
});

/** What a browser does with the consent page: submit its form with Allow; returns the callback URL. */
async function allowInBrowser(url: string): Promise<URL> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(action).toBeTruthy();
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(name, value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'"));
  }
  form.set('decision', 'allow');
  const approved = await fetch(new URL(action!, url), { method: 'POST', body: form, redirect: 'manual' });
  expect(approved.status).toBe(302);
  return new URL(approved.headers.get('location')!);
}

describe('orbita auth', () => {
  it('status before connecting: not connected', async () => {
    const text = await runCli(['auth', 'status'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^not connected: run `orbita auth url`/);
    const json = await runCli(['auth', 'status', '--json'], env);
    expect(JSON.parse(json.stdout)).toEqual({ connected: false });
  }, 120_000);

  it('url → consent Allow → exchange --code → status --json shows connected', async () => {
    const url = await runCli(['auth', 'url'], env);
    expect(url.code).toBe(0);
    const lines = url.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(`${fake.authUrl}?`)).toBe(true);
    expect(url.stderr).toMatch(/open the URL above.*orbita auth exchange --code <code>/i);

    const callback = await allowInBrowser(lines[0]);
    const code = callback.searchParams.get('code')!;
    expect(callback.searchParams.get('state')).toBe(new URL(lines[0]).searchParams.get('state'));

    const exchanged = await runCli(['auth', 'exchange', '--code', code], env);
    expect(exchanged.stderr).toBe('');
    expect(exchanged.code).toBe(0);
    expect(exchanged.stdout.trim()).toBe(`connected Google Calendar as ${fake.accountEmail}`);

    const status = await runCli(['auth', 'status', '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      connected: true,
      provider: 'google',
      accountEmail: fake.accountEmail,
      status: 'connected',
      lastError: null,
      tokens: { ok: true, current: true },
    });
    const text = await runCli(['auth', 'status'], env);
    expect(text.stdout.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`^account\\s+${fake.accountEmail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)));
    expect(text.stdout).toMatch(/^tokens decrypt\s+ok$/m);

    // The same code cannot be used twice.
    const again = await runCli(['auth', 'exchange', '--code', code, '--json'], env);
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
  }, 120_000);

  it('bad input: an empty code is one line, exit 2', async () => {
    const result = await runCli(['auth', 'exchange', '--code', ''], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^orbita: code must not be empty/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await runCli(['auth', 'exchange'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--code <code>'/);
  }, 120_000);

  it('rotate-key: NEW writes, OLD still read; afterwards only NEW is needed; a second run is a no-op', async () => {
    const rotateEnv = { ...env, ORBITA_ENCRYPTION_KEY: NEW, ORBITA_ENCRYPTION_KEYS_OLD: OLD };
    const first = await runCli(['auth', 'rotate-key', '--json'], rotateEnv);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ total: 1, rotated: 1, alreadyCurrent: 0, failed: 0 });
    // stderr is not a terminal here: progress comes as lines.
    expect(first.stderr).toMatch(/^re-encrypting tokens: 1\/1$/m);

    const second = await runCli(['auth', 'rotate-key'], rotateEnv);
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe('total 1, rotated 0, already current 1, failed 0');

    // Drop OLD from the keyring: every stored token decrypts with only the new key.
    const newOnly = buildKeyring(NEW);
    const rows = await database.db.oAuthToken.findMany();
    expect(rows).toHaveLength(1);
    for (const row of rows) {
      expect(row.keyId).toBe(newOnly.current!.id);
      expect(decryptSecret(newOnly, row.accessTokenCiphertext, { userId: row.userId, provider: 'google', field: 'access_token' })).toMatch(/^ya29\./);
      expect(decryptSecret(newOnly, row.refreshTokenCiphertext!, { userId: row.userId, provider: 'google', field: 'refresh_token' })).toBeTruthy();
    }
    const verified = await runCli(['auth', 'status', '--json'], { ...env, ORBITA_ENCRYPTION_KEY: NEW });
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout).tokens).toMatchObject({ ok: true, current: true });

    // With the old key alone the tokens are unreadable: status says so and exits 1.
    const stale = await runCli(['auth', 'status'], { ...env, ORBITA_ENCRYPTION_KEY: OLD });
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/^tokens decrypt\s+FAIL: .*neither ORBITA_ENCRYPTION_KEY nor in ORBITA_ENCRYPTION_KEYS_OLD/m);
  }, 120_000);

  it('rotate-key with a row no configured key can read: reported, exit 1', async () => {
    const other = randomBytes(32).toString('base64');
    const result = await runCli(['auth', 'rotate-key', '--json'], { ...env, ORBITA_ENCRYPTION_KEY: other, ORBITA_ENCRYPTION_KEYS_OLD: OLD });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 1, rotated: 0, failed: 1 });
    expect(result.stderr).toMatch(/^orbita: token \S+ \(user \S+, key [0-9a-f]{16}\) failed: .*neither ORBITA_ENCRYPTION_KEY/m);
    // Nothing was changed: the NEW key still reads it.
    const row = await database.db.oAuthToken.findFirstOrThrow();
    expect(row.keyId).toBe(buildKeyring(NEW).current!.id);
  }, 120_000);

  it('without OAuth configuration: one line naming the variables', async () => {
    const result = await runCli(['auth', 'url'], { DATABASE_URL: database.url, OUTBOX_PROCESSOR_ENABLED: 'false', ORBITA_ENCRYPTION_KEY: NEW });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^orbita: Google Calendar is not configured: set OAUTH_PROVIDER=google, OAUTH_CLIENT_ID/);
  }, 120_000);

  it('disconnect', async () => {
    const result = await runCli(['auth', 'disconnect'], { ...env, ORBITA_ENCRYPTION_KEY: NEW });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('disconnected Google Calendar');
    expect(await database.db.oAuthToken.count()).toBe(0);
    const status = await runCli(['auth', 'status', '--json'], env);
    expect(JSON.parse(status.stdout)).toEqual({ connected: false });
  }, 120_000);
});
