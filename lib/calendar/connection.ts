import { createHash, randomBytes } from 'node:crypto';
import { CodeChallengeMethod, OAuth2Client, type Credentials } from 'google-auth-library';
import { config, isOAuthConfigured, type Config } from '../config';
import type { ServiceContext } from '../context';
import { transaction, type DbTx } from '../db/client';
import { AppError, validationError } from '../errors';
import { logger as defaultLogger } from '../logger';
import { decryptSecret, encryptSecret, keyIdOf, loadKeyring, requireCurrentKey, type Keyring, type SecretContext } from './crypto';
import { calendarApi, withGoogleRetry } from './google';
import { exchangeCodeSchema, type ExchangeCodeInput } from './schemas';

/**
 * Google Calendar connection (SPEC §6): OAuth consent with state + PKCE (S256) kept in
 * oauth_states, tokens encrypted at rest in oauth_tokens, refreshes serialised per user, and the
 * re-encryption of every token when ORBITA_ENCRYPTION_KEY rotates.
 */

export const PROVIDER = 'google';
const STATE_TTL_MS = 10 * 60 * 1000;
/** Refresh first when the access token expires within this. */
const REFRESH_MARGIN_MS = 60 * 1000;
/** Warn when the access token expires within this and there is no refresh token. */
const EXPIRY_WARNING_MS = 24 * 60 * 60 * 1000;
const REFRESH_TRANSACTION_TIMEOUT_MS = 30_000;

export interface ConnectionView {
  provider: 'google';
  accountEmail: string | null;
  status: 'connected' | 'needs_reconnect';
  scopes: string[];
  expiresAt: string | null;
  lastError: string | null;
  connectedAt: string;
  updatedAt: string;
}

export interface RotationResult {
  total: number;
  rotated: number;
  alreadyCurrent: number;
  failed: number;
  /** One entry per row that could not be re-encrypted (reported, never thrown). */
  failures: { id: string; userId: string; keyId: string; message: string }[];
}

/** What the OAuth functions log through (the project's pino logger unless a test injects one). */
export interface OAuthLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface ConnectionOptions {
  logger?: OAuthLogger;
}

const reconnectHint = 'run `orbita auth url`, open the URL, then `orbita auth exchange --code <code>` (or reconnect from Settings)';
const needsReconnectMessage = `Google Calendar needs to be reconnected: ${reconnectHint}`;

type OAuthConfig = Config & { OAUTH_CLIENT_ID: string; OAUTH_CLIENT_SECRET: string; OAUTH_AUTH_URL: string; OAUTH_TOKEN_URL: string; OAUTH_REDIRECT_URL: string };

/** The OAuth configuration, or AppError('unavailable') naming what is missing. */
export function requireOAuthConfig(c: Config = config()): OAuthConfig {
  const variables = ['OAUTH_CLIENT_ID', 'OAUTH_CLIENT_SECRET', 'OAUTH_AUTH_URL', 'OAUTH_TOKEN_URL', 'OAUTH_REDIRECT_URL'] as const;
  const missing: string[] = c.OAUTH_PROVIDER === 'google' ? [] : ['OAUTH_PROVIDER=google'];
  for (const v of variables) if (!c[v]) missing.push(v);
  if (missing.length || !isOAuthConfigured(c)) {
    throw new AppError(
      'unavailable',
      `Google Calendar is not configured: set OAUTH_PROVIDER=google, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, OAUTH_AUTH_URL, OAUTH_TOKEN_URL and OAUTH_REDIRECT_URL (missing: ${missing.join(', ')})`,
      { missing },
    );
  }
  return c as OAuthConfig;
}

/** An OAuth2Client on the configured endpoints (no credentials). */
function oauthClient(c: OAuthConfig): OAuth2Client {
  return new OAuth2Client({
    clientId: c.OAUTH_CLIENT_ID,
    clientSecret: c.OAUTH_CLIENT_SECRET,
    redirectUri: c.OAUTH_REDIRECT_URL,
    endpoints: { oauth2AuthBaseUrl: c.OAUTH_AUTH_URL, oauth2TokenUrl: c.OAUTH_TOKEN_URL },
  });
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

type TokenRow = NonNullable<Awaited<ReturnType<DbTx['oAuthToken']['findUnique']>>>;

function toView(row: TokenRow): ConnectionView {
  return {
    provider: 'google',
    accountEmail: row.accountEmail,
    status: row.status,
    scopes: row.scope ? row.scope.split(/\s+/).filter(Boolean) : [],
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastError: row.lastError,
    connectedAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const secretContext = (userId: string, field: SecretContext['field'], provider = PROVIDER): SecretContext => ({ userId, provider, field });

/** The OAuth error code of a token-endpoint failure (`invalid_grant`, …), if it has one. */
function oauthErrorCode(error: unknown): string | undefined {
  const data = (error as { response?: { data?: unknown } })?.response?.data;
  if (data && typeof data === 'object' && typeof (data as { error?: unknown }).error === 'string') return (data as { error: string }).error;
  if (typeof data === 'string') {
    try {
      const parsed = JSON.parse(data) as { error?: unknown };
      if (typeof parsed.error === 'string') return parsed.error;
    } catch {
      /* not JSON */
    }
  }
  return undefined;
}

/** A loggable, token-free summary of an upstream failure (never the request, which holds secrets). */
function describeUpstreamError(error: unknown): { message: string; status?: number; reason?: string } {
  const status = (error as { response?: { status?: number } })?.response?.status ?? (error as { status?: number })?.status;
  const reason = oauthErrorCode(error);
  const data = (error as { response?: { data?: { error_description?: unknown } } })?.response?.data;
  const description = data && typeof data === 'object' && typeof data.error_description === 'string' ? data.error_description : undefined;
  const message = [reason, description].filter(Boolean).join(': ') || (error as Error)?.message || String(error);
  return { message, ...(status ? { status } : {}), ...(reason ? { reason } : {}) };
}

/**
 * Starts a consent: stores a fresh state and PKCE verifier (10 minutes) and returns the provider's
 * consent URL. Expired states of the user are cleaned up on the way.
 */
export async function createAuthUrl(ctx: ServiceContext): Promise<{ url: string; state: string; expiresAt: Date }> {
  const c = requireOAuthConfig();
  // Fail now rather than after the consent: the tokens could not be stored without a key.
  requireCurrentKey(loadKeyring(c));
  const now = ctx.now();
  const state = base64url(randomBytes(32));
  const codeVerifier = base64url(randomBytes(32));
  const codeChallenge = base64url(createHash('sha256').update(codeVerifier).digest());
  const expiresAt = new Date(now.getTime() + STATE_TTL_MS);
  await ctx.db.oAuthState.deleteMany({ where: { userId: ctx.userId, expiresAt: { lte: now } } });
  await ctx.db.oAuthState.create({ data: { state, userId: ctx.userId, provider: PROVIDER, codeVerifier, expiresAt } });
  const url = oauthClient(c).generateAuthUrl({
    access_type: 'offline',
    prompt: 'consent',
    scope: c.OAUTH_SCOPES,
    state,
    code_challenge: codeChallenge,
    code_challenge_method: CodeChallengeMethod.S256,
  });
  return { url, state, expiresAt };
}

/**
 * Finishes a consent: claims the state (the given one, which must be the user's and unexpired, or
 * without one the user's newest unexpired state), exchanges the code with its PKCE verifier,
 * reads the account email and stores the tokens encrypted.
 */
export async function exchangeCode(ctx: ServiceContext, input: ExchangeCodeInput): Promise<ConnectionView> {
  const data = exchangeCodeSchema.parse(input);
  const c = requireOAuthConfig();
  const keyring = loadKeyring(c);
  requireCurrentKey(keyring);
  const now = ctx.now();

  const pending = data.state
    ? await ctx.db.oAuthState.findFirst({ where: { state: data.state, userId: ctx.userId, provider: PROVIDER } })
    : await ctx.db.oAuthState.findFirst({
        where: { userId: ctx.userId, provider: PROVIDER, expiresAt: { gt: now } },
        orderBy: [{ createdAt: 'desc' }, { expiresAt: 'desc' }],
      });
  if (!pending) {
    throw validationError(
      data.state
        ? 'unknown OAuth state: this consent was not started by you here, or was already used; run `orbita auth url` (or Connect in Settings) again'
        : 'no Google Calendar consent in progress: run `orbita auth url` first, open the URL, then `orbita auth exchange --code <code>` within 10 minutes',
    );
  }
  // Claimed exactly once: a second callback with the same state finds nothing to delete.
  const claimed = await ctx.db.oAuthState.deleteMany({ where: { state: pending.state, userId: ctx.userId } });
  if (claimed.count !== 1) throw validationError('this OAuth state was already used: run `orbita auth url` again');
  if (pending.expiresAt.getTime() <= now.getTime()) {
    throw validationError('the OAuth state has expired (consents are valid for 10 minutes): run `orbita auth url` again');
  }

  const client = oauthClient(c);
  let tokens: Credentials;
  try {
    ({ tokens } = await client.getToken({ code: data.code, codeVerifier: pending.codeVerifier }));
  } catch (error) {
    const reason = oauthErrorCode(error);
    if (reason === 'invalid_grant' || reason === 'invalid_request') {
      // A mistyped code: the consent is still valid, so the right code can still be exchanged.
      await ctx.db.oAuthState.create({ data: { state: pending.state, userId: pending.userId, provider: pending.provider, codeVerifier: pending.codeVerifier, expiresAt: pending.expiresAt } }).catch(() => {});
      throw validationError(
        `Google rejected the authorization code (${reason}): codes are single-use and expire within minutes; check it, or run \`orbita auth url\` again`,
      );
    }
    throw new AppError('upstream_error', `the token exchange with Google failed: ${describeUpstreamError(error).message}`);
  }
  if (!tokens.access_token) throw new AppError('upstream_error', 'the token exchange with Google returned no access token');

  client.setCredentials({ access_token: tokens.access_token, token_type: tokens.token_type ?? 'Bearer', expiry_date: tokens.expiry_date ?? undefined });
  let accountEmail: string | null;
  try {
    const primary = await withGoogleRetry(() => calendarApi(client).calendars.get({ calendarId: 'primary' }));
    accountEmail = primary.data.id ?? null;
  } catch (error) {
    throw new AppError('upstream_error', `connected, but reading the primary calendar failed: ${describeUpstreamError(error).message}`);
  }

  const fields = {
    accountEmail,
    accessTokenCiphertext: encryptSecret(keyring, tokens.access_token, secretContext(ctx.userId, 'access_token')),
    refreshTokenCiphertext: tokens.refresh_token ? encryptSecret(keyring, tokens.refresh_token, secretContext(ctx.userId, 'refresh_token')) : null,
    keyId: keyring.current!.id,
    tokenType: tokens.token_type ?? 'Bearer',
    scope: tokens.scope ?? c.OAUTH_SCOPES.join(' '),
    expiresAt: tokens.expiry_date ? new Date(tokens.expiry_date) : null,
    status: 'connected' as const,
    lastError: null,
  };
  const row = await ctx.db.oAuthToken.upsert({
    where: { userId_provider: { userId: ctx.userId, provider: PROVIDER } },
    create: { userId: ctx.userId, provider: PROVIDER, ...fields },
    update: fields,
  });
  return toView(row);
}

/** The user's connection, or null when there is none. */
export async function connectionStatus(ctx: ServiceContext): Promise<ConnectionView | null> {
  const row = await ctx.db.oAuthToken.findUnique({ where: { userId_provider: { userId: ctx.userId, provider: PROVIDER } } });
  return row ? toView(row) : null;
}

/**
 * Whether the user's stored tokens decrypt with the configured keys (what `orbita auth status`
 * checks after a key rotation). Null when there is no connection.
 */
export async function checkStoredTokens(
  ctx: ServiceContext,
  options: { keyring?: Keyring } = {},
): Promise<{ keyId: string; current: boolean; ok: boolean; error: string | null } | null> {
  const row = await ctx.db.oAuthToken.findUnique({ where: { userId_provider: { userId: ctx.userId, provider: PROVIDER } } });
  if (!row) return null;
  const keyring = options.keyring ?? loadKeyring(config());
  try {
    decryptSecret(keyring, row.accessTokenCiphertext, secretContext(ctx.userId, 'access_token'));
    if (row.refreshTokenCiphertext) decryptSecret(keyring, row.refreshTokenCiphertext, secretContext(ctx.userId, 'refresh_token'));
    return { keyId: row.keyId, current: row.keyId === keyring.current?.id, ok: true, error: null };
  } catch (error) {
    return { keyId: row.keyId, current: row.keyId === keyring.current?.id, ok: false, error: (error as Error).message };
  }
}

/** Forgets the user's tokens (and any consent in flight). No remote revoke. */
export async function disconnect(ctx: ServiceContext): Promise<{ disconnected: boolean }> {
  const deleted = await ctx.db.oAuthToken.deleteMany({ where: { userId: ctx.userId, provider: PROVIDER } });
  await ctx.db.oAuthState.deleteMany({ where: { userId: ctx.userId, provider: PROVIDER } });
  return { disconnected: deleted.count > 0 };
}

const lockUser = (tx: DbTx, userId: string) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`oauth:${userId}`}))`;

interface FreshToken {
  accessToken: string;
  expiresAt: Date | null;
}

/**
 * Refreshes the user's access token unless someone else already did: under the per-user advisory
 * lock, re-reads the row and only calls the token endpoint when it still expires within the margin
 * (or `force`). The new tokens are written back encrypted with the current key.
 */
async function refreshSerialised(ctx: ServiceContext, c: OAuthConfig, keyring: Keyring, log: OAuthLogger, force = false): Promise<FreshToken> {
  type Outcome = { ok: FreshToken } | { error: AppError };
  const outcome = await transaction<Outcome>(
    ctx.db,
    async (tx) => {
      await lockUser(tx, ctx.userId);
      const row = await tx.oAuthToken.findUnique({ where: { userId_provider: { userId: ctx.userId, provider: PROVIDER } } });
      if (!row) return { error: new AppError('not_found', `no Google Calendar connection: ${reconnectHint}`) };
      if (row.status === 'needs_reconnect') return { error: new AppError('unauthorized', needsReconnectMessage) };
      const accessToken = decryptSecret(keyring, row.accessTokenCiphertext, secretContext(ctx.userId, 'access_token'));
      const stillValid = row.expiresAt === null || row.expiresAt.getTime() - ctx.now().getTime() > REFRESH_MARGIN_MS;
      if (stillValid && !force) return { ok: { accessToken, expiresAt: row.expiresAt } };
      if (!row.refreshTokenCiphertext) {
        const message = 'the access token expired and there is no refresh token';
        log.warn({ userId: ctx.userId, provider: PROVIDER, err: { message } }, 'oauth token refresh failed');
        await tx.oAuthToken.update({ where: { id: row.id }, data: { status: 'needs_reconnect', lastError: message } });
        return { error: new AppError('unauthorized', `${needsReconnectMessage} (${message})`) };
      }
      const refreshToken = decryptSecret(keyring, row.refreshTokenCiphertext, secretContext(ctx.userId, 'refresh_token'));

      const client = oauthClient(c);
      client.setCredentials({ refresh_token: refreshToken });
      let refreshed: Credentials;
      try {
        await client.getAccessToken();
        refreshed = client.credentials;
        if (!refreshed.access_token) throw new Error('the token endpoint returned no access token');
      } catch (error) {
        const described = describeUpstreamError(error);
        log.warn({ userId: ctx.userId, provider: PROVIDER, err: described }, 'oauth token refresh failed');
        if (described.reason === 'invalid_grant') {
          await tx.oAuthToken.update({ where: { id: row.id }, data: { status: 'needs_reconnect', lastError: `token refresh failed: ${described.message}` } });
          return { error: new AppError('unauthorized', `${needsReconnectMessage} (the refresh token was rejected: ${described.message})`) };
        }
        await tx.oAuthToken.update({ where: { id: row.id }, data: { lastError: `token refresh failed: ${described.message}` } });
        return { error: new AppError('upstream_error', `refreshing the Google access token failed: ${described.message}`) };
      }

      const newRefreshToken = refreshed.refresh_token && refreshed.refresh_token !== refreshToken ? refreshed.refresh_token : refreshToken;
      const expiresAt = refreshed.expiry_date ? new Date(refreshed.expiry_date) : null;
      await tx.oAuthToken.update({
        where: { id: row.id },
        data: {
          accessTokenCiphertext: encryptSecret(keyring, refreshed.access_token, secretContext(ctx.userId, 'access_token')),
          refreshTokenCiphertext: encryptSecret(keyring, newRefreshToken, secretContext(ctx.userId, 'refresh_token')),
          keyId: keyring.current!.id,
          expiresAt,
          ...(refreshed.scope ? { scope: refreshed.scope } : {}),
          ...(refreshed.token_type ? { tokenType: refreshed.token_type } : {}),
          status: 'connected',
          lastError: null,
        },
      });
      return { ok: { accessToken: refreshed.access_token, expiresAt } };
    },
    { timeoutMs: REFRESH_TRANSACTION_TIMEOUT_MS },
  );
  if ('error' in outcome) throw outcome.error;
  return outcome.ok;
}

/**
 * An OAuth2Client holding the user's decrypted access token, refreshed first when it expires
 * within 60 s. Later refreshes (a long sync) go through the same serialised path via the client's
 * refreshHandler, so the refresh token never leaves this module and every refresh is written back.
 */
export async function authorizedClient(ctx: ServiceContext, options: ConnectionOptions = {}): Promise<OAuth2Client> {
  const log = options.logger ?? defaultLogger;
  const c = requireOAuthConfig();
  const keyring = loadKeyring(c);
  requireCurrentKey(keyring);
  const row = await ctx.db.oAuthToken.findUnique({ where: { userId_provider: { userId: ctx.userId, provider: PROVIDER } } });
  if (!row) throw new AppError('not_found', `no Google Calendar connection: ${reconnectHint}`);
  if (row.status === 'needs_reconnect') {
    throw new AppError('unauthorized', `${needsReconnectMessage}${row.lastError ? ` (${row.lastError})` : ''}`);
  }

  const now = ctx.now().getTime();
  let token: FreshToken = {
    accessToken: decryptSecret(keyring, row.accessTokenCiphertext, secretContext(ctx.userId, 'access_token')),
    expiresAt: row.expiresAt,
  };
  if (row.refreshTokenCiphertext) {
    // Decrypt now so a key problem surfaces here, not in the middle of a sync.
    decryptSecret(keyring, row.refreshTokenCiphertext, secretContext(ctx.userId, 'refresh_token'));
  } else if (row.expiresAt && row.expiresAt.getTime() - now <= EXPIRY_WARNING_MS) {
    log.warn(
      { userId: ctx.userId, provider: PROVIDER, expiresAt: row.expiresAt.toISOString(), hasRefreshToken: false },
      'oauth token nearing expiry',
    );
  }
  if (row.expiresAt && row.expiresAt.getTime() - now <= REFRESH_MARGIN_MS) {
    token = await refreshSerialised(ctx, c, keyring, log);
  }

  const client = new OAuth2Client({
    clientId: c.OAUTH_CLIENT_ID,
    clientSecret: c.OAUTH_CLIENT_SECRET,
    redirectUri: c.OAUTH_REDIRECT_URL,
    endpoints: { oauth2AuthBaseUrl: c.OAUTH_AUTH_URL, oauth2TokenUrl: c.OAUTH_TOKEN_URL },
    eagerRefreshThresholdMillis: REFRESH_MARGIN_MS,
  });
  client.setCredentials({ access_token: token.accessToken, token_type: row.tokenType ?? 'Bearer', expiry_date: token.expiresAt?.getTime() });
  // No refresh_token in the client's credentials: when the token nears expiry mid-use, the library
  // asks this handler, which refreshes under the per-user lock and writes the result back.
  client.refreshHandler = async () => {
    const fresh = await refreshSerialised(ctx, c, keyring, log);
    return { access_token: fresh.accessToken, expiry_date: fresh.expiresAt?.getTime() ?? Date.now() + 3_600_000 };
  };
  return client;
}

/**
 * Re-encrypts every stored token with the current ORBITA_ENCRYPTION_KEY. Resumable: rows already
 * on the current key are counted and skipped; each row is rotated in its own transaction (under
 * the user's OAuth lock, so a concurrent refresh is never overwritten). A row no known key can
 * decrypt counts as failed and is reported, not thrown.
 */
export async function rotateEncryptionKeys(
  db: DbTx,
  options: { onProgress?(done: number, total: number): void; keyring?: Keyring; batchSize?: number } = {},
): Promise<RotationResult> {
  const keyring = options.keyring ?? loadKeyring(config());
  const current = requireCurrentKey(keyring);
  const batchSize = options.batchSize ?? 100;
  const total = await db.oAuthToken.count();
  const result: RotationResult = { total, rotated: 0, alreadyCurrent: 0, failed: 0, failures: [] };
  result.alreadyCurrent = await db.oAuthToken.count({ where: { keyId: current.id } });
  const done = () => result.rotated + result.alreadyCurrent + result.failed;
  options.onProgress?.(done(), total);

  let after: string | undefined;
  for (;;) {
    const batch = await db.oAuthToken.findMany({
      where: { keyId: { not: current.id }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, userId: true, keyId: true },
      orderBy: { id: 'asc' },
      take: batchSize,
    });
    if (!batch.length) break;
    after = batch[batch.length - 1].id;
    for (const candidate of batch) {
      try {
        const outcome = await transaction(db, async (tx) => {
          await lockUser(tx, candidate.userId);
          const row = await tx.oAuthToken.findUnique({ where: { id: candidate.id } });
          if (!row) return 'gone' as const;
          const accessKeyId = keyIdOf(row.accessTokenCiphertext);
          const refreshKeyId = row.refreshTokenCiphertext ? keyIdOf(row.refreshTokenCiphertext) : current.id;
          if (row.keyId === current.id && accessKeyId === current.id && refreshKeyId === current.id) return 'current' as const;
          const access = decryptSecret(keyring, row.accessTokenCiphertext, secretContext(row.userId, 'access_token', row.provider));
          const refresh = row.refreshTokenCiphertext
            ? decryptSecret(keyring, row.refreshTokenCiphertext, secretContext(row.userId, 'refresh_token', row.provider))
            : null;
          await tx.oAuthToken.update({
            where: { id: row.id },
            data: {
              accessTokenCiphertext: encryptSecret(keyring, access, secretContext(row.userId, 'access_token', row.provider)),
              refreshTokenCiphertext: refresh === null ? null : encryptSecret(keyring, refresh, secretContext(row.userId, 'refresh_token', row.provider)),
              keyId: current.id,
            },
          });
          return 'rotated' as const;
        });
        if (outcome === 'rotated') result.rotated++;
        else if (outcome === 'current') result.alreadyCurrent++;
        else result.total--; // deleted meanwhile (a disconnect)
      } catch (error) {
        result.failed++;
        result.failures.push({ id: candidate.id, userId: candidate.userId, keyId: candidate.keyId, message: (error as Error)?.message ?? String(error) });
      }
      options.onProgress?.(done(), result.total);
    }
  }
  return result;
}
