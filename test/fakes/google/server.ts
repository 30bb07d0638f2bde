import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback fake of the Google endpoints Orbita uses, speaking the real wire formats so the real
 * `@googleapis/calendar` v3 client and `google-auth-library`'s OAuth2Client work against it unchanged.
 *
 *   GET  /o/oauth2/v2/auth            consent page (HTML form: Allow / Deny)
 *   POST /o/oauth2/v2/auth/approve    the consent form's target → 302 to redirect_uri
 *   POST /token                       authorization_code (PKCE S256) and refresh_token grants
 *   POST /revoke?token=               revokes an access or refresh token
 *   GET  /oauth2/v3/certs             the JWKS the ID tokens are signed with (RS256)
 *   GET  /oauth2/v3/userinfo          the signed-in identity (OpenID Connect userinfo)
 *   GET  /calendar/v3/users/me/calendarList
 *   GET  /calendar/v3/calendars/{calendarId}
 *   GET|POST /calendar/v3/calendars/{calendarId}/events
 *   GET|PUT|PATCH|DELETE /calendar/v3/calendars/{calendarId}/events/{eventId}
 *
 * Errors use Google's shapes: `{ error: { code, message, errors: [{ domain, reason, message }], status } }`
 * on the Calendar API, `{ error, error_description }` on the token endpoint.
 */

export interface FakeGoogleEvent {
  id: string;
  status: 'confirmed' | 'cancelled';
  summary?: string;
  description?: string;
  start: { dateTime?: string; date?: string; timeZone?: string };
  end: { dateTime?: string; date?: string; timeZone?: string };
  attendees?: { email: string }[];
  reminders?: { useDefault: boolean; overrides?: { method: string; minutes: number }[] };
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
  updated: string;
  etag: string;
  [k: string]: unknown;
}

export interface FakeGoogleCalendar {
  id: string;
  summary: string;
  primary?: boolean;
  accessRole: string;
  timeZone: string;
}

/** The Google identity a consent signs in as: what the ID token and the userinfo endpoint say. */
export interface FakeGoogleIdentity {
  sub: string;
  email: string;
  /** Left out of the ID token and userinfo when undefined. */
  email_verified?: boolean;
  name?: string;
}

export interface FakeGoogleOptions {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  accountEmail?: string;
  accessTokenTtlSeconds?: number;
}

export interface FakeGoogleRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  body: unknown;
  status: number;
}

export interface FakeGoogle {
  url: string;
  authUrl: string;
  tokenUrl: string;
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  accountEmail: string;
  /** Who the next consent signs in as (default: `accountEmail`, verified). Codes keep the identity they were issued for. */
  identity: FakeGoogleIdentity;
  /** Sets `identity`; `sub` defaults to one derived from the email, `email_verified` to true (null: no such claim). */
  signInAs(identity: { email: string; email_verified?: boolean | null; name?: string; sub?: string }): FakeGoogleIdentity;
  calendars: Map<string, FakeGoogleCalendar>;
  events(calendarId: string): Map<string, FakeGoogleEvent>;
  requests: FakeGoogleRequest[];
  fail(match: { method?: string; path?: RegExp }, fault: { status: number; reason?: string; times?: number }): void;
  latencyMs: number;
  revokeRefreshTokens(): void;
  expireSyncTokens(): void;
  issueCode(input: { redirectUri: string; codeChallenge?: string; scope?: string; nonce?: string }): string;
  tokenGrants: { grant_type: string; at: number }[];
  reset(): void;
  close(): Promise<void>;
}

type Obj = Record<string, unknown>;

const CALENDAR_SCOPE = 'https://www.googleapis.com/auth/calendar';
const CODE_TTL_MS = 10 * 60_000;
const PAGE_TOKEN_TTL_MS = 60 * 60_000;

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  410: 'FAILED_PRECONDITION',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_REASON: Record<number, string> = {
  400: 'badRequest',
  401: 'authError',
  403: 'forbidden',
  404: 'notFound',
  409: 'duplicate',
  410: 'deleted',
  429: 'rateLimitExceeded',
  500: 'backendError',
  502: 'backendError',
  503: 'backendError',
  504: 'backendError',
};

const REASON_MESSAGE: Record<string, string> = {
  rateLimitExceeded: 'Rate Limit Exceeded',
  userRateLimitExceeded: 'User Rate Limit Exceeded',
  quotaExceeded: 'Calendar usage limits exceeded.',
  dailyLimitExceeded: 'Daily Limit Exceeded',
  backendError: 'Backend Error',
  badRequest: 'Bad Request',
  authError: 'Invalid Credentials',
  forbidden: 'Forbidden',
  notFound: 'Not Found',
  duplicate: 'The requested identifier already exists.',
  deleted: 'Resource has been deleted',
  fullSyncRequired: 'Sync token is no longer valid, a full sync is required.',
};

const USAGE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'dailyLimitExceeded']);

/** Google's error body for the Calendar API. */
export function googleErrorBody(status: number, reason?: string, message?: string, extra: Obj = {}): Obj {
  const r = reason ?? DEFAULT_REASON[status] ?? 'backendError';
  const msg = message ?? REASON_MESSAGE[r] ?? 'Error';
  return {
    error: {
      code: status,
      message: msg,
      errors: [{ domain: USAGE_LIMIT_REASONS.has(r) ? 'usageLimits' : 'global', reason: r, message: msg, ...extra }],
      ...(STATUS_TEXT[status] ? { status: STATUS_TEXT[status] } : {}),
    },
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

const apiError = (status: number, reason?: string, message?: string, extra: Obj = {}) =>
  new HttpError(status, googleErrorBody(status, reason, message, extra));

const ROLE_RANK: Record<string, number> = { freeBusyReader: 0, reader: 1, writer: 2, owner: 3 };

/** base32hex alphabet (lowercase), what Google accepts in event ids. */
const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';
const EVENT_ID_RE = /^[a-v0-9]{5,1024}$/;

function randomEventId(): string {
  const bytes = randomBytes(26);
  let id = '';
  for (const b of bytes) id += BASE32HEX[b & 31];
  return id;
}

const token = (prefix: string, bytes = 24) => `${prefix}${randomBytes(bytes).toString('base64url')}`;

const b64url = (s: string) => Buffer.from(s).toString('base64url');

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function isPlainObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON merge-patch as Google's PATCH applies it: nested objects merge, arrays replace, null clears. */
function mergePatch(target: Obj, patch: Obj): Obj {
  const out: Obj = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isPlainObject(v) && isPlainObject(out[k])) out[k] = mergePatch(out[k] as Obj, v);
    else out[k] = structuredClone(v);
  }
  return out;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function parseQuery(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

function timeOf(t: { dateTime?: string; date?: string } | undefined): number {
  if (!t) return NaN;
  if (t.dateTime) return Date.parse(t.dateTime);
  if (t.date) return Date.parse(`${t.date}T00:00:00Z`);
  return NaN;
}

function parseRfc3339(name: string, value: string): number {
  // Google requires an offset (Z or ±hh:mm) on timeMin/timeMax.
  const ms = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw apiError(400, 'badRequest', `Bad Request`, { location: name, locationType: 'parameter' });
  return ms;
}

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  scope: string;
  identity: FakeGoogleIdentity;
  nonce?: string;
  expiresAt: number;
  used: boolean;
}

interface Change {
  seq: number;
  ref: FakeGoogleEvent | null; // null: removed from the store directly (reported as cancelled)
  etag: string;
}

interface Page {
  items: Obj[];
  offset: number;
  pageSize: number;
  nextSyncToken?: string;
  extra: Obj;
  expiresAt: number;
}

export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const clientId = options.clientId ?? 'orbita-fake-client.apps.googleusercontent.com';
  const clientSecret = options.clientSecret ?? 'fake-google-client-secret';
  const accountEmail = options.accountEmail ?? 'orbita.user@example.com';
  const accessTokenTtl = options.accessTokenTtlSeconds ?? 3600;

  const calendars = new Map<string, FakeGoogleCalendar>([
    [accountEmail, { id: accountEmail, summary: accountEmail, primary: true, accessRole: 'owner', timeZone: 'UTC' }],
    [
      'work.orbita@group.calendar.google.com',
      { id: 'work.orbita@group.calendar.google.com', summary: 'Work', accessRole: 'writer', timeZone: 'UTC' },
    ],
    [
      'en.usa#holiday@group.v.calendar.google.com',
      { id: 'en.usa#holiday@group.v.calendar.google.com', summary: 'Holidays', accessRole: 'reader', timeZone: 'UTC' },
    ],
  ]);
  const stores = new Map<string, Map<string, FakeGoogleEvent>>();
  const changes = new Map<string, Map<string, Change>>(); // per calendar: event id → last change
  const seqs = new Map<string, number>();
  const syncTokens = new Map<string, { calendarId: string; seq: number }>();
  const pageTokens = new Map<string, Page>();
  const codes = new Map<string, CodeGrant>();
  const accessTokens = new Map<string, { expiresAt: number; scope: string; revoked: boolean; identity: FakeGoogleIdentity }>();
  const refreshTokens = new Map<string, { scope: string; revoked: boolean; identity: FakeGoogleIdentity }>();
  // ID tokens are signed like Google's (RS256, a key published as a JWKS), so a client can verify them.
  const signingKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyId = `fake-google-${randomBytes(4).toString('hex')}`;
  const jwks = { keys: [{ ...signingKeys.publicKey.export({ format: 'jwk' }), kid: keyId, alg: 'RS256', use: 'sig' }] };
  const identityFor = (input: { email: string; email_verified?: boolean | null; name?: string; sub?: string }): FakeGoogleIdentity => ({
    sub: input.sub ?? createHash('sha256').update(input.email).digest('hex').slice(0, 21),
    email: input.email,
    ...(input.email_verified !== null ? { email_verified: input.email_verified ?? true } : {}),
    ...(input.name !== undefined ? { name: input.name } : {}),
  });
  const defaultIdentity = identityFor({ email: accountEmail });
  const requests: FakeGoogleRequest[] = [];
  const tokenGrants: { grant_type: string; at: number }[] = [];
  let faults: { method?: string; path?: RegExp; status: number; reason?: string; remaining: number }[] = [];
  let etagCounter = 0;

  const resolveCalendarId = (id: string): string => {
    if (id !== 'primary') return id;
    for (const cal of calendars.values()) if (cal.primary) return cal.id;
    return accountEmail;
  };

  const storeOf = (calendarId: string): Map<string, FakeGoogleEvent> => {
    const id = resolveCalendarId(calendarId);
    let store = stores.get(id);
    if (!store) stores.set(id, (store = new Map()));
    return store;
  };

  const nextSeq = (calendarId: string): number => {
    const n = (seqs.get(calendarId) ?? 0) + 1;
    seqs.set(calendarId, n);
    return n;
  };

  const newEtag = () => `"${Date.now()}${String(++etagCounter).padStart(6, '0')}"`;

  /** Records the change sequence for events changed through the API or directly in the store. */
  const reconcile = (calendarId: string): Map<string, Change> => {
    let log = changes.get(calendarId);
    if (!log) changes.set(calendarId, (log = new Map()));
    const store = storeOf(calendarId);
    for (const [id, ev] of store) {
      const prev = log.get(id);
      if (!prev || prev.ref !== ev || prev.etag !== ev.etag) log.set(id, { seq: nextSeq(calendarId), ref: ev, etag: ev.etag });
    }
    for (const [id, prev] of log) {
      if (prev.ref && !store.has(id)) log.set(id, { seq: nextSeq(calendarId), ref: null, etag: prev.etag });
    }
    return log;
  };

  const touch = (calendarId: string, ev: FakeGoogleEvent) => {
    reconcile(calendarId);
    ev.updated = new Date().toISOString();
    ev.etag = newEtag();
    storeOf(calendarId).set(ev.id, ev);
    changes.get(calendarId)!.set(ev.id, { seq: nextSeq(calendarId), ref: ev, etag: ev.etag });
  };

  const calendarOr404 = (rawId: string): FakeGoogleCalendar => {
    const cal = calendars.get(resolveCalendarId(rawId));
    if (!cal) throw apiError(404, 'notFound', 'Not Found');
    return cal;
  };

  const requireWriter = (cal: FakeGoogleCalendar) => {
    if ((ROLE_RANK[cal.accessRole] ?? 0) < ROLE_RANK.writer)
      throw apiError(403, 'requiredAccessLevel', 'You need to have writer access to this calendar.');
  };

  // ---------- OAuth ----------

  const issueTokens = (scope: string, withRefresh: boolean, identity: FakeGoogleIdentity, nonce?: string): Obj => {
    const access = token('ya29.fake-');
    accessTokens.set(access, { expiresAt: Date.now() + accessTokenTtl * 1000, scope, revoked: false, identity });
    const out: Obj = { access_token: access, expires_in: accessTokenTtl, scope, token_type: 'Bearer' };
    if (withRefresh) {
      const refresh = token('1//fake-');
      refreshTokens.set(refresh, { scope, revoked: false, identity });
      out.refresh_token = refresh;
    }
    const scopes = scope.split(' ');
    if (scopes.includes('openid') || scopes.includes('email')) {
      const now = Math.floor(Date.now() / 1000);
      const header = b64url(JSON.stringify({ alg: 'RS256', kid: keyId, typ: 'JWT' }));
      const payload = b64url(
        JSON.stringify({
          iss: 'https://accounts.google.com',
          azp: clientId,
          aud: clientId,
          ...identity,
          ...(nonce ? { nonce } : {}),
          iat: now,
          exp: now + accessTokenTtl,
        }),
      );
      const signature = sign('sha256', Buffer.from(`${header}.${payload}`), signingKeys.privateKey).toString('base64url');
      out.id_token = `${header}.${payload}.${signature}`;
    }
    return out;
  };

  const issueCode = (input: {
    redirectUri: string;
    codeChallenge?: string;
    codeChallengeMethod?: string;
    scope?: string;
    clientId?: string;
    nonce?: string;
  }): string => {
    const code = token('4/fake-');
    codes.set(code, {
      clientId: input.clientId ?? clientId,
      redirectUri: input.redirectUri,
      codeChallenge: input.codeChallenge || undefined,
      codeChallengeMethod: input.codeChallenge ? (input.codeChallengeMethod ?? 'S256') : undefined,
      scope: input.scope ?? `${CALENDAR_SCOPE} openid email`,
      identity: fake.identity,
      nonce: input.nonce || undefined,
      expiresAt: Date.now() + CODE_TTL_MS,
      used: false,
    });
    return code;
  };

  const oauthError = (status: number, error: string, description: string) =>
    new HttpError(status, { error, error_description: description });

  const handleToken = (req: IncomingMessage, form: URLSearchParams): Obj => {
    const grantType = form.get('grant_type') ?? '';
    tokenGrants.push({ grant_type: grantType, at: Date.now() });
    let id = form.get('client_id') ?? undefined;
    let secret = form.get('client_secret') ?? undefined;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      const decoded = Buffer.from(auth.slice(6), 'base64').toString();
      const i = decoded.indexOf(':');
      id = decodeURIComponent(decoded.slice(0, i));
      secret = decodeURIComponent(decoded.slice(i + 1));
    }
    if (id !== clientId) throw oauthError(401, 'invalid_client', 'The OAuth client was not found.');
    if (secret !== clientSecret) throw oauthError(401, 'invalid_client', 'Unauthorized');

    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const grant = codes.get(code);
      if (!grant || grant.expiresAt < Date.now() || grant.clientId !== id)
        throw oauthError(400, 'invalid_grant', 'Malformed auth code.');
      if (grant.used) throw oauthError(400, 'invalid_grant', 'Bad Request');
      if ((form.get('redirect_uri') ?? '') !== grant.redirectUri) throw oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
      if (grant.codeChallenge) {
        const verifier = form.get('code_verifier');
        if (!verifier) throw oauthError(400, 'invalid_grant', 'Missing code verifier.');
        const computed = grant.codeChallengeMethod === 'plain' ? verifier : s256(verifier);
        if (computed !== grant.codeChallenge) throw oauthError(400, 'invalid_grant', 'Invalid code verifier.');
      }
      grant.used = true;
      return issueTokens(grant.scope, true, grant.identity, grant.nonce);
    }
    if (grantType === 'refresh_token') {
      const rt = refreshTokens.get(form.get('refresh_token') ?? '');
      if (!rt || rt.revoked) throw oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
      return issueTokens(rt.scope, false, rt.identity);
    }
    throw oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
  };

  const page = (status: number, title: string, body: string) => ({
    status,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`,
  });

  const errorPage = (message: string) =>
    page(400, 'Error 400 - Sign in - Google Accounts', `<main><h1>Access blocked: Authorization Error</h1><p role="alert">${escapeHtml(message)}</p></main>`);

  const handleConsent = (q: URLSearchParams) => {
    const cid = q.get('client_id');
    if (!cid || cid !== clientId) return errorPage(`Error 401: invalid_client. The OAuth client was not found (${cid ?? 'missing client_id'}).`);
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri) return errorPage('Error 400: invalid_request. Missing required parameter: redirect_uri');
    try {
      const u = new URL(redirectUri);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    } catch {
      return errorPage('Error 400: invalid_request. Invalid parameter value for redirect_uri');
    }
    const responseType = q.get('response_type');
    if (!responseType) return errorPage('Error 400: invalid_request. Missing required parameter: response_type');
    if (responseType !== 'code') return errorPage(`Error 400: unsupported_response_type. ${responseType}`);
    const method = q.get('code_challenge_method');
    if (q.get('code_challenge') && method && method !== 'S256' && method !== 'plain')
      return errorPage('Error 400: invalid_request. Invalid code_challenge_method');
    const scope = q.get('scope') ?? '';
    if (!scope) return errorPage('Error 400: invalid_request. Missing required parameter: scope');
    const hidden = ['client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'access_type', 'prompt']
      .filter((k) => q.get(k) !== null)
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q.get(k)!)}">`)
      .join('');
    const scopes = scope
      .split(/[ ,]+/)
      .filter(Boolean)
      .map((s) => `<li>${escapeHtml(s)}</li>`)
      .join('');
    return page(
      200,
      'Sign in - Google Accounts',
      `<main><h1>Orbita wants to access your Google Account</h1>` +
        `<p id="account">${escapeHtml(fake.identity.email)}</p>` +
        `<p>This will allow Orbita to:</p><ul id="scopes">${scopes}</ul>` +
        `<form method="post" action="/o/oauth2/v2/auth/approve">${hidden}` +
        `<button type="submit" name="decision" value="deny">Deny</button> ` +
        `<button type="submit" name="decision" value="allow">Allow</button>` +
        `</form></main>`,
    );
  };

  const handleApprove = (form: URLSearchParams): { status: number; location?: string; html?: string } => {
    const cid = form.get('client_id');
    const redirectUri = form.get('redirect_uri');
    if (cid !== clientId || !redirectUri) return errorPage('Error 400: invalid_request');
    const target = new URL(redirectUri);
    const state = form.get('state');
    if (form.get('decision') === 'allow') {
      const scope = form.get('scope') ?? '';
      const code = issueCode({
        redirectUri,
        codeChallenge: form.get('code_challenge') ?? undefined,
        codeChallengeMethod: form.get('code_challenge_method') ?? undefined,
        scope: scope.split(/[ ,]+/).filter(Boolean).join(' '),
        nonce: form.get('nonce') ?? undefined,
      });
      target.searchParams.set('code', code);
      if (state !== null) target.searchParams.set('state', state);
      target.searchParams.set('scope', scope.split(/[ ,]+/).filter(Boolean).join(' '));
    } else {
      target.searchParams.set('error', 'access_denied');
      if (state !== null) target.searchParams.set('state', state);
    }
    return { status: 302, location: target.toString() };
  };

  // ---------- Calendar API ----------

  const authenticate = (req: IncomingMessage) => {
    const h = req.headers.authorization;
    if (!h || !/^Bearer /i.test(h))
      throw new HttpError(401, {
        error: {
          code: 401,
          message:
            'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
          errors: [{ message: 'Login Required.', domain: 'global', reason: 'required', location: 'Authorization', locationType: 'header' }],
          status: 'UNAUTHENTICATED',
        },
      });
    const t = accessTokens.get(h.slice(7).trim());
    if (!t || t.revoked || t.expiresAt <= Date.now())
      throw new HttpError(401, {
        error: {
          code: 401,
          message:
            'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
          errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }],
          status: 'UNAUTHENTICATED',
        },
      });
    if (!t.scope.split(' ').some((s) => s.startsWith(CALENDAR_SCOPE)))
      throw apiError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.');
  };

  /** OpenID Connect userinfo: the identity behind an access token issued with openid/email/profile. */
  const handleUserinfo = (req: IncomingMessage): Obj => {
    const h = req.headers.authorization;
    const t = h && /^Bearer /i.test(h) ? accessTokens.get(h.slice(7).trim()) : undefined;
    if (!t || t.revoked || t.expiresAt <= Date.now()) throw new HttpError(401, { error: 'invalid_request', error_description: 'Invalid Credentials' });
    if (!t.scope.split(' ').some((s) => ['openid', 'email', 'profile'].includes(s))) throw new HttpError(403, { error: 'insufficient_scope' });
    return { ...t.identity };
  };

  const intParam = (q: URLSearchParams, name: string, def: number, max: number): number => {
    const raw = q.get(name);
    if (raw === null) return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw apiError(400, 'invalid', `Invalid value '${raw}'. Values must be within the range: [1, ${max}]`);
    return Math.min(n, max);
  };

  const paginate = (q: URLSearchParams, pageSize: number, build: () => { items: Obj[]; nextSyncToken?: string }, extra: Obj) => {
    const pt = q.get('pageToken');
    let p: Page;
    if (pt) {
      const found = pageTokens.get(pt);
      if (!found || found.expiresAt < Date.now()) throw apiError(400, 'invalid', 'Invalid page token value.');
      p = found;
    } else {
      const built = build();
      p = { items: built.items, offset: 0, pageSize, nextSyncToken: built.nextSyncToken, extra, expiresAt: Date.now() + PAGE_TOKEN_TTL_MS };
    }
    const items = p.items.slice(p.offset, p.offset + p.pageSize);
    const out: Obj = { ...p.extra, items };
    if (p.offset + p.pageSize < p.items.length) {
      const next = token('pt_', 12);
      pageTokens.set(next, { ...p, offset: p.offset + p.pageSize });
      out.nextPageToken = next;
    } else if (p.nextSyncToken) out.nextSyncToken = p.nextSyncToken;
    return out;
  };

  const calendarListEntry = (cal: FakeGoogleCalendar): Obj => ({
    kind: 'calendar#calendarListEntry',
    etag: `"${createHash('sha1').update(JSON.stringify(cal)).digest('hex').slice(0, 16)}"`,
    id: cal.id,
    summary: cal.summary,
    timeZone: cal.timeZone,
    accessRole: cal.accessRole,
    ...(cal.primary ? { primary: true } : {}),
    defaultReminders: cal.primary ? [{ method: 'popup', minutes: 10 }] : [],
    selected: true,
  });

  const matchesProps = (ev: FakeGoogleEvent, kind: 'private' | 'shared', filters: string[]): boolean =>
    filters.every((f) => {
      const i = f.indexOf('=');
      if (i < 0) throw apiError(400, 'invalid', `Invalid ${kind}ExtendedProperty value: ${f}`);
      return ev.extendedProperties?.[kind]?.[f.slice(0, i)] === f.slice(i + 1);
    });

  const listEvents = (cal: FakeGoogleCalendar, q: URLSearchParams): Obj => {
    const maxResults = intParam(q, 'maxResults', 250, 2500);
    const syncToken = q.get('syncToken');
    const showDeleted = q.get('showDeleted') === 'true';
    const singleEvents = q.get('singleEvents') === 'true';
    const orderBy = q.get('orderBy');
    const priv = q.getAll('privateExtendedProperty');
    const shared = q.getAll('sharedExtendedProperty');
    if (!q.get('pageToken')) {
      if (syncToken) {
        for (const p of ['timeMin', 'timeMax', 'orderBy', 'q', 'iCalUID', 'updatedMin', 'privateExtendedProperty', 'sharedExtendedProperty'])
          if (q.has(p))
            throw apiError(400, 'invalid', `The ${p} parameter cannot be specified together with syncToken.`, {
              location: p,
              locationType: 'parameter',
            });
      }
      if (orderBy && orderBy !== 'startTime' && orderBy !== 'updated') throw apiError(400, 'invalid', `Invalid value for orderBy: ${orderBy}`);
      if (orderBy === 'startTime' && !singleEvents) throw apiError(400, 'invalid', 'The requested ordering is not available for the particular query.');
    }
    const timeMin = q.get('timeMin') ? parseRfc3339('timeMin', q.get('timeMin')!) : undefined;
    const timeMax = q.get('timeMax') ? parseRfc3339('timeMax', q.get('timeMax')!) : undefined;
    if (timeMin !== undefined && timeMax !== undefined && timeMax <= timeMin && !q.get('pageToken'))
      throw apiError(400, 'timeRangeEmpty', 'The specified time range is empty.', { location: 'timeMax', locationType: 'parameter' });

    const text = q.get('q')?.toLowerCase();
    const updatedMin = q.get('updatedMin') ? parseRfc3339('updatedMin', q.get('updatedMin')!) : undefined;
    const build = () => {
      const log = reconcile(cal.id);
      const store = storeOf(cal.id);
      const items: Obj[] = [];
      if (syncToken) {
        const st = syncTokens.get(syncToken);
        if (!st || st.calendarId !== cal.id) throw apiError(410, 'fullSyncRequired', REASON_MESSAGE.fullSyncRequired);
        const changed = [...log.entries()].filter(([, c]) => c.seq > st.seq).sort((a, b) => a[1].seq - b[1].seq);
        for (const [id, c] of changed) {
          const ev = c.ref ?? store.get(id);
          if (!ev) items.push({ kind: 'calendar#event', etag: c.etag, id, status: 'cancelled' });
          else items.push(structuredClone(ev));
        }
      } else {
        let evs = [...store.values()].filter((ev) => {
          if (ev.status === 'cancelled' && !showDeleted) return false;
          if (timeMin !== undefined && !(timeOf(ev.end) > timeMin)) return false;
          if (timeMax !== undefined && !(timeOf(ev.start) < timeMax)) return false;
          if (text && !`${ev.summary ?? ''} ${ev.description ?? ''} ${String(ev.location ?? '')}`.toLowerCase().includes(text)) return false;
          if (updatedMin !== undefined && !(Date.parse(ev.updated) >= updatedMin)) return false;
          return matchesProps(ev, 'private', priv) && matchesProps(ev, 'shared', shared);
        });
        if (orderBy === 'startTime') evs = evs.sort((a, b) => timeOf(a.start) - timeOf(b.start) || a.id.localeCompare(b.id));
        else if (orderBy === 'updated') evs = evs.sort((a, b) => Date.parse(a.updated) - Date.parse(b.updated));
        items.push(...evs.map((ev) => structuredClone(ev) as Obj));
      }
      const next = token('sync_', 18);
      syncTokens.set(next, { calendarId: cal.id, seq: seqs.get(cal.id) ?? 0 });
      return { items, nextSyncToken: next };
    };
    return paginate(q, maxResults, build, {
      kind: 'calendar#events',
      etag: newEtag(),
      summary: cal.summary,
      updated: new Date().toISOString(),
      timeZone: cal.timeZone,
      accessRole: cal.accessRole,
      defaultReminders: cal.primary ? [{ method: 'popup', minutes: 10 }] : [],
    });
  };

  const validateEventBody = (body: Obj): void => {
    const start = body.start as FakeGoogleEvent['start'] | undefined;
    const end = body.end as FakeGoogleEvent['end'] | undefined;
    if (!start || (!start.dateTime && !start.date)) throw apiError(400, 'required', 'Missing start time.');
    if (!end || (!end.dateTime && !end.date)) throw apiError(400, 'required', 'Missing end time.');
    const s = timeOf(start);
    const e = timeOf(end);
    if (Number.isNaN(s) || Number.isNaN(e)) throw apiError(400, 'invalid', 'Invalid start or end time.');
    if (e < s) throw apiError(400, 'timeRangeEmpty', 'The specified time range is empty.');
    if (body.attendees !== undefined) {
      if (!Array.isArray(body.attendees)) throw apiError(400, 'invalid', 'Invalid attendees.');
      for (const a of body.attendees as { email?: unknown }[])
        if (typeof a?.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(a.email)) throw apiError(400, 'invalid', 'Invalid attendee email.');
    }
    const reminders = body.reminders as { useDefault?: unknown; overrides?: { minutes?: unknown }[] } | undefined;
    if (reminders?.overrides) {
      if (reminders.useDefault === true) throw apiError(400, 'cannotUseDefaultRemindersAndSpecifyOverride', 'Cannot specify both default reminders and overrides at the same time.');
      if (reminders.overrides.length > 5) throw apiError(400, 'tooManyReminders', 'Too many reminders.');
      for (const o of reminders.overrides)
        if (typeof o.minutes !== 'number' || o.minutes < 0 || o.minutes > 40320) throw apiError(400, 'invalid', 'Invalid reminder minutes.');
    }
  };

  const finishEvent = (cal: FakeGoogleCalendar, id: string, body: Obj, base?: FakeGoogleEvent): FakeGoogleEvent => {
    const now = new Date().toISOString();
    const ev = {
      ...body,
      kind: 'calendar#event',
      id,
      status: (body.status as string) === 'cancelled' ? 'cancelled' : (body.status as string) === 'tentative' ? 'tentative' : 'confirmed',
      htmlLink: `https://www.google.com/calendar/event?eid=${b64url(`${id} ${cal.id}`)}`,
      created: base?.created ?? now,
      updated: now,
      creator: { email: accountEmail, self: true },
      organizer: cal.primary ? { email: accountEmail, self: true } : { email: cal.id, displayName: cal.summary, self: true },
      iCalUID: base?.iCalUID ?? `${id}@google.com`,
      sequence: base ? Number(base.sequence ?? 0) + 1 : 0,
      reminders: (body.reminders as FakeGoogleEvent['reminders']) ?? { useDefault: true },
      eventType: (body.eventType as string) ?? 'default',
      etag: '',
    } as unknown as FakeGoogleEvent;
    return ev;
  };

  const handleCalendarApi = (req: IncomingMessage, method: string, segs: string[], q: URLSearchParams, body: unknown): { status: number; json?: unknown } => {
    authenticate(req);
    // users/me/calendarList
    if (segs[0] === 'users' && segs[1] === 'me' && segs[2] === 'calendarList') {
      if (segs.length === 3 && method === 'GET') {
        const minRole = q.get('minAccessRole');
        if (minRole && !(minRole in ROLE_RANK)) throw apiError(400, 'invalid', `Invalid value for minAccessRole: ${minRole}`);
        const maxResults = intParam(q, 'maxResults', 100, 250);
        return {
          status: 200,
          json: paginate(
            q,
            maxResults,
            () => ({
              items: [...calendars.values()]
                .filter((c) => !minRole || (ROLE_RANK[c.accessRole] ?? 0) >= ROLE_RANK[minRole])
                .map(calendarListEntry),
              nextSyncToken: token('cl_', 12),
            }),
            { kind: 'calendar#calendarList', etag: newEtag() },
          ),
        };
      }
      if (segs.length === 4 && method === 'GET') return { status: 200, json: calendarListEntry(calendarOr404(segs[3])) };
      throw apiError(404, 'notFound', 'Not Found');
    }
    if (segs[0] !== 'calendars' || segs.length < 2) throw apiError(404, 'notFound', 'Not Found');
    const cal = calendarOr404(segs[1]);
    if (segs.length === 2) {
      if (method !== 'GET') throw apiError(405, 'methodNotAllowed', 'Method Not Allowed');
      return {
        status: 200,
        json: { kind: 'calendar#calendar', etag: calendarListEntry(cal).etag, id: cal.id, summary: cal.summary, timeZone: cal.timeZone },
      };
    }
    if (segs[2] !== 'events' || segs.length > 4) throw apiError(404, 'notFound', 'Not Found');
    const store = storeOf(cal.id);
    if (segs.length === 3) {
      if (method === 'GET') return { status: 200, json: listEvents(cal, q) };
      if (method === 'POST') {
        requireWriter(cal);
        if (!isPlainObject(body)) throw apiError(400, 'parseError', 'Parse Error');
        let id: string;
        if (body.id !== undefined) {
          if (typeof body.id !== 'string' || !EVENT_ID_RE.test(body.id)) throw apiError(400, 'invalid', 'Invalid resource id value.');
          id = body.id;
          reconcile(cal.id);
          if (store.has(id) || changes.get(cal.id)?.has(id)) throw apiError(409, 'duplicate', 'The requested identifier already exists.');
        } else id = randomEventId();
        validateEventBody(body);
        const ev = finishEvent(cal, id, body);
        touch(cal.id, ev);
        return { status: 200, json: ev };
      }
      throw apiError(405, 'methodNotAllowed', 'Method Not Allowed');
    }
    const eventId = segs[3];
    const existing = store.get(eventId);
    if (method === 'GET') {
      if (!existing) throw apiError(404, 'notFound', 'Not Found');
      return { status: 200, json: existing };
    }
    if (method === 'DELETE') {
      requireWriter(cal);
      if (!existing) throw apiError(404, 'notFound', 'Not Found');
      if (existing.status === 'cancelled') throw apiError(410, 'deleted', 'Resource has been deleted');
      existing.status = 'cancelled';
      touch(cal.id, existing);
      return { status: 204 };
    }
    if (method === 'PUT' || method === 'PATCH') {
      requireWriter(cal);
      if (!existing) throw apiError(404, 'notFound', 'Not Found');
      if (!isPlainObject(body)) throw apiError(400, 'parseError', 'Parse Error');
      if (body.id !== undefined && body.id !== eventId) throw apiError(400, 'invalid', 'Invalid resource id value.');
      let merged: Obj;
      if (method === 'PUT') merged = { ...structuredClone(body) };
      else {
        const { kind: _k, etag: _e, updated: _u, created: _c, ...rest } = existing;
        merged = mergePatch(structuredClone(rest), body);
        if (body.status === undefined) merged.status = existing.status;
      }
      validateEventBody(merged);
      const ev = finishEvent(cal, eventId, merged, existing);
      touch(cal.id, ev);
      return { status: 200, json: ev };
    }
    throw apiError(405, 'methodNotAllowed', 'Method Not Allowed');
  };

  // ---------- HTTP ----------

  const readBody = async (req: IncomingMessage): Promise<string> => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text;
  };

  const fake: FakeGoogle = {
    url: '',
    authUrl: '',
    tokenUrl: '',
    apiBaseUrl: '',
    clientId,
    clientSecret,
    accountEmail,
    identity: defaultIdentity,
    signInAs(input) {
      fake.identity = identityFor(input);
      return fake.identity;
    },
    calendars,
    events: (calendarId) => storeOf(calendarId),
    requests,
    latencyMs: 0,
    tokenGrants,
    fail(match, fault) {
      faults.push({ method: match.method?.toUpperCase(), path: match.path, status: fault.status, reason: fault.reason, remaining: fault.times ?? 1 });
    },
    revokeRefreshTokens() {
      for (const t of refreshTokens.values()) t.revoked = true;
    },
    expireSyncTokens() {
      syncTokens.clear();
    },
    issueCode: (input) => issueCode(input),
    reset() {
      stores.clear();
      changes.clear();
      seqs.clear();
      syncTokens.clear();
      pageTokens.clear();
      requests.length = 0;
      tokenGrants.length = 0;
      faults = [];
      fake.latencyMs = 0;
      fake.identity = defaultIdentity;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const raw = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    let body: unknown = undefined;
    let form: URLSearchParams | undefined;
    let parseFailed = false;
    if (raw) {
      if (contentType.includes('application/x-www-form-urlencoded')) {
        form = new URLSearchParams(raw);
        body = Object.fromEntries(form);
      } else {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
          parseFailed = true;
        }
      }
    }
    const entry: FakeGoogleRequest = { method, path, query: parseQuery(url.searchParams), body, status: 0 };
    requests.push(entry);

    let status = 200;
    let headers: Record<string, string> = {};
    let payload = '';
    const json = (s: number, b: unknown) => {
      status = s;
      headers = b === undefined ? {} : { 'content-type': 'application/json; charset=UTF-8' };
      payload = b === undefined ? '' : JSON.stringify(b);
    };
    try {
      const fault = faults.find((f) => f.remaining > 0 && (!f.method || f.method === method) && (!f.path || f.path.test(path)));
      if (fault) {
        fault.remaining -= 1;
        faults = faults.filter((f) => f.remaining > 0);
        if (path === '/token' && method === 'POST') tokenGrants.push({ grant_type: form?.get('grant_type') ?? '', at: Date.now() });
        throw new HttpError(fault.status, googleErrorBody(fault.status, fault.reason));
      }
      if (path === '/o/oauth2/v2/auth' && method === 'GET') {
        const p = handleConsent(url.searchParams);
        status = p.status;
        headers = { 'content-type': 'text/html; charset=utf-8' };
        payload = p.html;
      } else if (path === '/o/oauth2/v2/auth/approve' && method === 'POST') {
        const r = handleApprove(form ?? new URLSearchParams());
        status = r.status;
        if (r.location) headers = { location: r.location };
        else {
          headers = { 'content-type': 'text/html; charset=utf-8' };
          payload = r.html ?? '';
        }
      } else if (path === '/token' && method === 'POST') {
        if (!form) {
          tokenGrants.push({ grant_type: '', at: Date.now() });
          throw oauthError(400, 'invalid_request', 'Request must be application/x-www-form-urlencoded.');
        }
        json(200, handleToken(req, form));
      } else if (path === '/revoke' && method === 'POST') {
        const t = url.searchParams.get('token') ?? form?.get('token') ?? '';
        const a = accessTokens.get(t);
        const r = refreshTokens.get(t);
        if (!a && !r) throw oauthError(400, 'invalid_token', 'Token expired or revoked');
        if (a) a.revoked = true;
        if (r) r.revoked = true;
        json(200, {});
      } else if (path === '/oauth2/v3/certs' && method === 'GET') {
        json(200, jwks);
      } else if (path === '/oauth2/v3/userinfo' && (method === 'GET' || method === 'POST')) {
        json(200, handleUserinfo(req));
      } else if (path.startsWith('/calendar/v3/')) {
        if (parseFailed) throw apiError(400, 'parseError', 'Parse Error');
        const segs = path
          .slice('/calendar/v3/'.length)
          .split('/')
          .filter(Boolean)
          .map((s) => decodeURIComponent(s));
        const r = handleCalendarApi(req, method, segs, url.searchParams, body);
        json(r.status, r.json);
      } else {
        throw apiError(404, 'notFound', 'Not Found');
      }
    } catch (err) {
      if (err instanceof HttpError) json(err.status, err.body);
      else json(500, googleErrorBody(500, 'backendError', err instanceof Error ? err.message : String(err)));
    }
    if (fake.latencyMs > 0) await new Promise((r) => setTimeout(r, fake.latencyMs));
    entry.status = status;
    res.writeHead(status, headers);
    res.end(payload);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(googleErrorBody(500, 'backendError', String(err))));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.authUrl = `${fake.url}/o/oauth2/v2/auth`;
  fake.tokenUrl = `${fake.url}/token`;
  fake.apiBaseUrl = `${fake.url}/`;
  return fake;
}
