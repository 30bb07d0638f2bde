import { resetConfig } from '../../lib/config';
import type { DbTx } from '../../lib/db/client';
import { createAuthUrl, exchangeCode } from '../../lib/calendar/connection';
import type { FakeGoogle } from '../fakes/google/server';

/**
 * The shared way calendar tests connect a user to the fake Google: the real consent flow
 * (createAuthUrl → the fake's consent "Allow" via issueCode → exchangeCode), so tokens are stored
 * encrypted exactly as in production.
 */

/** A fixed 32-byte test key (base64). Never used outside tests. */
export const testEncryptionKey = Buffer.alloc(32, 7).toString('base64');

export const testRedirectUrl = 'http://127.0.0.1:3999/api/calendar/callback';

/** The environment that points OAuth and the Calendar API at `fake` (for process.env or a spawned CLI). */
export function fakeGoogleEnv(fake: FakeGoogle, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OAUTH_PROVIDER: 'google',
    OAUTH_CLIENT_ID: fake.clientId,
    OAUTH_CLIENT_SECRET: fake.clientSecret,
    OAUTH_AUTH_URL: fake.authUrl,
    OAUTH_TOKEN_URL: fake.tokenUrl,
    OAUTH_REDIRECT_URL: testRedirectUrl,
    GOOGLE_API_BASE_URL: fake.apiBaseUrl,
    ORBITA_ENCRYPTION_KEY: testEncryptionKey,
    ...extra,
  };
}

/**
 * Sets fakeGoogleEnv(fake) (plus `extra`) on process.env and forgets the cached config, so the next
 * config() reads it. Returns a function restoring the previous values.
 */
export function applyFakeGoogleEnv(fake: FakeGoogle, extra: Record<string, string> = {}): () => void {
  const env = fakeGoogleEnv(fake, extra);
  const previous = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  resetConfig();
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetConfig();
  };
}

/** The same as applyFakeGoogleEnv (the name the tests use in their beforeAll hooks). */
export const useFakeGoogleEnv = applyFakeGoogleEnv;

/**
 * Connects `userId` to `fake` the real way. Points process.env at the fake first when it does not
 * already (so a test that forgot useFakeGoogleEnv still talks only to the loopback fake).
 */
export async function connectGoogle(db: DbTx, userId: string, fake: FakeGoogle): Promise<void> {
  if (process.env.OAUTH_TOKEN_URL !== fake.tokenUrl || process.env.GOOGLE_API_BASE_URL !== fake.apiBaseUrl) applyFakeGoogleEnv(fake);
  const ctx = { db, userId, now: () => new Date() };
  const { url, state } = await createAuthUrl(ctx);
  const params = new URL(url).searchParams;
  const code = fake.issueCode({
    redirectUri: params.get('redirect_uri') ?? testRedirectUrl,
    codeChallenge: params.get('code_challenge') ?? undefined,
    scope: params.get('scope') ?? undefined,
  });
  await exchangeCode(ctx, { code, state });
}
