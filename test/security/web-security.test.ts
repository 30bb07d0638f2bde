import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GET as authGet, POST as authPost } from '../../app/api/auth/[...nextauth]/route';
import { GET as oauthCallback } from '../../app/api/calendar/oauth/callback/route';
import { POST as oauthStart } from '../../app/api/calendar/oauth/start/route';
import { POST as mcpPost } from '../../app/api/mcp/route';
import { GET as unknownApiRoute } from '../../app/api/v1/[...path]/route';
import { GET as health } from '../../app/api/health/route';
import { GET as me } from '../../app/api/v1/me/route';
import { GET as openApi } from '../../app/api/v1/openapi.json/route';
import { GET as livez } from '../../app/livez/route';
import { GET as readyz } from '../../app/readyz/route';
import { POST as createTaskRoute } from '../../app/api/v1/tasks/route';
import { POST as stripeWebhook } from '../../app/api/webhooks/stripe/route';
import { type CreateTokenState, createTokenAction } from '../../app/(dashboard)/settings/actions';
import { signUpAction, type SignUpState } from '../../app/signup/actions';
import { decryptSecret, loadKeyring } from '../../lib/calendar/crypto';
import { ConfigError, parseConfig, resetConfig } from '../../lib/config';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { appOrigins, crossOriginReason } from '../../lib/http/origin';
import { checkRateLimits, cleanupRateLimits, clientIp, hitRateLimit } from '../../lib/http/rate-limit';
import { contentSecurityPolicy, formActionOrigins, withApiSecurityHeaders } from '../../lib/http/security-headers';
import { withUser } from '../../lib/http/with-user';
import { scrubSecrets } from '../../lib/logger';
import { config as proxyConfig, proxy } from '../../proxy';
import { signature, stripeEvent } from '../billing/stripe-payloads';
import { type FakeGoogle, startFakeGoogle } from '../fakes/google/server';
import { type FakeStripe, startFakeStripe } from '../fakes/stripe/server';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * Web security (issue 10): Origin/CSRF checks, security headers, rate limits, session cookie flags
 * and no secret in any log line. Route handlers run in-process; next-auth's route handler and
 * getServerSession read the request through `next/headers`, which is pointed at the request under
 * test (`scope`) — the same cookies a browser would send.
 */

// Every log line of the run, from Orbita's real logger options (redaction included), at trace level.
const captured = vi.hoisted(() => ({ lines: [] as string[] }));
vi.mock('../../lib/logger', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../lib/logger')>();
  const logger = actual.createLogger({ write: (line: string) => void captured.lines.push(line) }, { level: 'trace' });
  return { ...actual, logger };
});
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

// next/headers for next-auth (its route handler and getServerSession) outside a Next.js server.
const scope = { headers: new Headers() };
const nextHeaders = createRequire(import.meta.url)('next/headers') as Record<string, unknown>;
// Next.js's compiler of `config.matcher` (what `next build` runs over proxy.ts).
const { getMiddlewareMatchers } = createRequire(import.meta.url)('next/dist/build/analysis/get-page-static-info') as {
  getMiddlewareMatchers: (matcher: unknown, config: unknown) => { regexp: string }[];
};
const parseCookies = (header: string | null) =>
  (header ?? '')
    .split(/;\s*/)
    .filter(Boolean)
    .map((pair) => ({ name: pair.slice(0, pair.indexOf('=')), value: decodeURIComponent(pair.slice(pair.indexOf('=') + 1)) }));
nextHeaders.headers = async () => scope.headers;
nextHeaders.cookies = async () => {
  const all = parseCookies(scope.headers.get('cookie'));
  return { getAll: () => all, get: (name: string) => all.find((c) => c.name === name), has: (name: string) => all.some((c) => c.name === name) };
};

const appUrl = 'http://localhost:3000';
const evil = 'https://evil.example';
const nextAuthSecret = `nextauth-${randomBytes(18).toString('hex')}`;
const webhookSecret = `whsec_${randomBytes(12).toString('hex')}`;
const stripeKey = `sk_test_${randomBytes(12).toString('hex')}`;
const password = `Horse-Battery-${randomBytes(6).toString('hex')}`;
const encryptionKey = randomBytes(32).toString('base64');
/** Every secret value the run handles; none may appear in a log line. */
const secrets = new Set<string>([nextAuthSecret, webhookSecret, stripeKey, password, encryptionKey]);

const managedEnv = [
  'NEXTAUTH_URL',
  'NEXTAUTH_SECRET',
  'STRIPE_API_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'STRIPE_API_BASE_URL',
  'OAUTH_PROVIDER',
  'OAUTH_CLIENT_ID',
  'OAUTH_CLIENT_SECRET',
  'OAUTH_AUTH_URL',
  'OAUTH_TOKEN_URL',
  'OAUTH_REDIRECT_URL',
  'GOOGLE_API_BASE_URL',
  'ORBITA_ENCRYPTION_KEY',
  'TRUST_PROXY',
  'RATE_LIMIT_SIGNIN',
  'RATE_LIMIT_SIGNIN_IP',
  'RATE_LIMIT_TOKENS',
  'RATE_LIMIT_WEBHOOK',
];
const savedEnv = Object.fromEntries(managedEnv.map((name) => [name, process.env[name]]));

let database: TestDatabase;
let google: FakeGoogle;
let stripe: FakeStripe;
let ipCounter = 10;
/** A fresh client address per test, so rate-limit counters never leak between tests. */
const freshIp = () => `203.0.113.${ipCounter++}`;

function setEnv(values: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfig();
}

function baseEnv(): Record<string, string | undefined> {
  return {
    NEXTAUTH_URL: appUrl,
    NEXTAUTH_SECRET: nextAuthSecret,
    STRIPE_API_KEY: stripeKey,
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_BASE_URL: stripe.url,
    OAUTH_PROVIDER: 'google',
    OAUTH_CLIENT_ID: google.clientId,
    OAUTH_CLIENT_SECRET: google.clientSecret,
    OAUTH_AUTH_URL: google.authUrl,
    OAUTH_TOKEN_URL: google.tokenUrl,
    OAUTH_REDIRECT_URL: `${appUrl}/api/calendar/oauth/callback`,
    GOOGLE_API_BASE_URL: google.apiBaseUrl,
    ORBITA_ENCRYPTION_KEY: encryptionKey,
    TRUST_PROXY: undefined,
    RATE_LIMIT_SIGNIN: undefined,
    RATE_LIMIT_SIGNIN_IP: undefined,
    RATE_LIMIT_TOKENS: undefined,
    RATE_LIMIT_WEBHOOK: undefined,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  google = await startFakeGoogle({ accountEmail: 'websec@example.com' });
  stripe = await startFakeStripe();
  secrets.add(google.clientSecret);
  setEnv(baseEnv());
});
beforeEach(() => setEnv(baseEnv()));
afterAll(async () => {
  setEnv(savedEnv);
  await google?.close();
  await stripe?.close();
  await disconnectDb();
  await database?.drop();
});

// ───────────────────────────── a small browser ─────────────────────────────

/** A cookie jar and the requests a browser on `appUrl` would send. */
class Browser {
  readonly jar = new Map<string, string>();
  constructor(readonly ip = freshIp()) {}

  cookieHeader() {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  store(response: Response) {
    for (const cookie of response.headers.getSetCookie()) {
      const pair = cookie.split(';')[0];
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value === '' || /max-age=0/i.test(cookie)) this.jar.delete(name);
      else {
        this.jar.set(name, value);
        if (/session-token|csrf-token/.test(name)) secrets.add(value);
      }
    }
  }

  request(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    const headers = new Headers({ host: new URL(appUrl).host, 'x-forwarded-for': this.ip, ...init.headers });
    if (this.jar.size && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    scope.headers = headers;
    return new NextRequest(new URL(path, appUrl), { method: init.method ?? 'GET', headers, body: init.body });
  }

  async auth(method: 'GET' | 'POST', segments: string[], init: { headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
    const req = this.request(`/api/auth/${segments.join('/')}`, { method, ...init });
    const response: Response = await (method === 'GET' ? authGet : authPost)(req, { params: Promise.resolve({ nextauth: segments }) });
    this.store(response);
    return response;
  }

  async csrfToken(): Promise<string> {
    const { csrfToken } = (await (await this.auth('GET', ['csrf'])).json()) as { csrfToken: string };
    secrets.add(csrfToken);
    return csrfToken;
  }

  async signIn(email: string, pass: string, options: { csrf?: boolean } = {}) {
    const csrfToken = options.csrf === false ? '' : await this.csrfToken();
    return this.auth('POST', ['callback', 'credentials'], {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: appUrl },
      body: new URLSearchParams({ csrfToken, email, password: pass, callbackUrl: `${appUrl}/today`, json: 'true' }).toString(),
    });
  }

  sessionCookie() {
    return this.jar.get('next-auth.session-token') ?? this.jar.get('__Secure-next-auth.session-token') ?? null;
  }
}

let signUpCounter = 0;
async function signUp(browser: Browser, name = 'Web Sec'): Promise<string> {
  const email = `websec-${signUpCounter++}-${randomBytes(3).toString('hex')}@example.com`;
  const form = new FormData();
  form.set('email', email);
  form.set('name', name);
  form.set('password', password);
  form.set('timeZone', 'UTC');
  scope.headers = browser.request('/signup', { method: 'POST' }).headers;
  const initial: SignUpState = { ok: false, errors: {}, values: { email: '', name: '', timeZone: 'UTC' } };
  const state = await signUpAction(initial, form);
  expect(state).toMatchObject({ ok: true });
  const response = await browser.signIn(email, password);
  expect(response.status).toBe(200);
  expect(browser.sessionCookie()).toBeTruthy();
  return email;
}

const json = async (response: Response) => {
  const text = await response.text();
  return text ? JSON.parse(text) : null;
};

async function createToken(browser: Browser, name: string): Promise<CreateTokenState> {
  scope.headers = browser.request('/settings', { method: 'POST', headers: { origin: appUrl } }).headers;
  const form = new FormData();
  form.set('name', name);
  form.append('scopes', 'read');
  form.append('scopes', 'write');
  const state = await createTokenAction({ token: null, errors: {}, values: { name: '', scopes: ['read', 'write'] } }, form);
  if (state.token) secrets.add(state.token);
  return state;
}

// ───────────────────────────── session cookies ─────────────────────────────

describe('session cookies', () => {
  it('over http: HttpOnly, SameSite=Lax, Path=/, not Secure, no __Secure- prefix', async () => {
    const browser = new Browser();
    const email = await signUp(browser);
    const again = new Browser();
    const signedIn = await again.signIn(email, password);
    expect(signedIn.status).toBe(200);
    const session = signedIn.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='));
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    expect(session).toMatch(/;\s*Path=\//i);
    expect(session).not.toMatch(/;\s*Secure/i);
    expect(signedIn.headers.getSetCookie().some((c) => c.startsWith('__Secure-'))).toBe(false);
    expect(again.jar.get('next-auth.csrf-token')).toBeDefined();
  });

  it('with an https NEXTAUTH_URL: Secure, with the __Secure- prefix (and __Host- for the CSRF cookie)', async () => {
    setEnv({ NEXTAUTH_URL: 'https://orbita.example' });
    const browser = new Browser();
    const email = `websec-tls-${randomBytes(3).toString('hex')}@example.com`;
    const form = new FormData();
    for (const [k, v] of Object.entries({ email, name: 'TLS', password, timeZone: 'UTC' })) form.set(k, v);
    await signUpAction({ ok: false, errors: {}, values: { email: '', name: '', timeZone: 'UTC' } }, form);
    const csrfResponse = await browser.auth('GET', ['csrf']);
    const csrfCookie = csrfResponse.headers.getSetCookie().find((c) => c.startsWith('__Host-next-auth.csrf-token='));
    expect(csrfCookie).toMatch(/;\s*Secure/i);
    expect(csrfCookie).toMatch(/;\s*HttpOnly/i);
    const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
    secrets.add(csrfToken);
    const signedIn = await browser.auth('POST', ['callback', 'credentials'], {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
      body: new URLSearchParams({ csrfToken, email, password, json: 'true' }).toString(),
    });
    expect(signedIn.status).toBe(200);
    const session = signedIn.headers.getSetCookie().find((c) => c.startsWith('__Secure-next-auth.session-token='));
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    expect(session).toMatch(/;\s*Path=\//i);
  });

  it("next-auth's CSRF token guards its POST routes: a sign-in without it sets no session", async () => {
    const browser = new Browser();
    const email = await signUp(browser);
    const fresh = new Browser();
    const response = await fresh.signIn(email, password, { csrf: false });
    const body = await json(response);
    expect(String(body?.url ?? response.headers.get('location'))).toMatch(/csrf=true/);
    expect(fresh.sessionCookie()).toBeNull();
    // A token that does not match the cookie is refused the same way.
    await fresh.csrfToken();
    const forged = await fresh.auth('POST', ['callback', 'credentials'], {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken: 'forged', email, password, json: 'true' }).toString(),
    });
    expect(String((await json(forged))?.url)).toMatch(/csrf=true/);
    expect(fresh.sessionCookie()).toBeNull();
  });
});

// ───────────────────────────── Origin checks ─────────────────────────────

describe('Origin checks on cookie-authenticated writes', () => {
  let browser: Browser;
  beforeAll(async () => {
    setEnv(baseEnv());
    browser = new Browser();
    await signUp(browser, 'Origin Tester');
  });

  const postTask = (headers: Record<string, string>) =>
    createTaskRoute(browser.request('/api/v1/tasks', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ title: 'CSRF probe' }) }));

  it('a same-origin write with the session cookie goes through (Origin, or Referer)', async () => {
    expect((await postTask({ origin: appUrl })).status).toBe(201);
    expect((await postTask({ referer: `${appUrl}/today` })).status).toBe(201);
    // Behind a proxy: the origin the browser used is X-Forwarded-Proto + X-Forwarded-Host.
    expect((await postTask({ origin: 'https://tasks.example.org', 'x-forwarded-host': 'tasks.example.org', 'x-forwarded-proto': 'https' })).status).toBe(201);
  });

  it.each([
    ['a foreign Origin', { origin: evil }],
    ['Origin: null (sandboxed frame)', { origin: 'null' }],
    ['no Origin and no Referer', {}],
    ['a foreign Referer', { referer: `${evil}/attack` }],
    ['the right host on another scheme', { origin: 'https://localhost:3000' }],
  ])('%s → 403 forbidden, nothing written', async (_what, headers) => {
    const before = await database.db.task.count();
    const response = await postTask(headers as Record<string, string>);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(await database.db.task.count()).toBe(before);
  });

  it('reads need no Origin; Bearer-token writes are exempt (not an ambient credential)', async () => {
    expect((await me(browser.request('/api/v1/me'))).status).toBe(200);
    const { token } = await createToken(browser, 'origin bearer');
    const response = await createTaskRoute(
      new Request(`${appUrl}/api/v1/tasks`, { method: 'POST', headers: { authorization: `Bearer ${token}`, origin: evil, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'via token' }) }),
    );
    expect(response.status).toBe(201);
  });

  it('proxy.ts refuses cross-origin cookie writes to /api/mcp and /api/calendar before any route runs (REST v1 refuses them in withUser, above)', async () => {
    for (const path of ['/api/mcp', '/api/calendar/oauth/start', '/api/calendar/oauth/callback']) {
      const response = proxy(browser.request(path, { method: 'POST', headers: { origin: evil } }));
      expect(response.status, path).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    // Same origin, a Bearer token, no cookie at all, a read, the Stripe webhook: passed on.
    const passed = [
      browser.request('/api/mcp', { method: 'POST', headers: { origin: appUrl } }),
      browser.request('/api/mcp', { method: 'POST', headers: { origin: evil, authorization: 'Bearer orb_pat_x' } }),
      new NextRequest(`${appUrl}/api/mcp`, { method: 'POST', headers: { origin: evil } }),
      browser.request('/api/mcp', { method: 'GET', headers: { origin: evil } }),
      browser.request('/api/webhooks/stripe', { method: 'POST', headers: { origin: evil } }),
    ];
    for (const req of passed) expect(proxy(req).headers.get('x-middleware-next'), `${req.method} ${req.nextUrl.pathname}`).toBe('1');
  });

  it('the calendar connect route is covered by proxy.ts (cookie POST without a matching Origin → 403)', async () => {
    expect(proxy(browser.request('/api/calendar/oauth/start', { method: 'POST' })).status).toBe(403);
    expect(proxy(browser.request('/api/calendar/oauth/start', { method: 'POST', headers: { origin: appUrl } })).headers.get('x-middleware-next')).toBe('1');
  });

  it('the MCP route refuses a cross-origin request that carries the session cookie; Bearer clients are unaffected', async () => {
    const forged = await mcpPost(browser.request('/api/mcp', { method: 'POST', headers: { origin: evil, 'content-type': 'application/json' }, body: '{}' }));
    expect(forged.status).toBe(403);
    const { token } = await createToken(browser, 'mcp');
    const ok = await mcpPost(
      new Request(`${appUrl}/api/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, origin: evil, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      }),
    );
    expect(ok.status).toBe(200);
  });

  it('app origins: NEXTAUTH_URL, plus Host / X-Forwarded-Host with the forwarded scheme', () => {
    const req = new Request('http://internal:3000/api/v1/tasks', { method: 'POST', headers: { host: 'internal:3000', 'x-forwarded-host': 'orbita.example.org', 'x-forwarded-proto': 'https' } });
    expect([...appOrigins(req, 'https://app.example.org/')].sort()).toEqual(['https://app.example.org', 'https://internal:3000', 'https://orbita.example.org']);
    expect(crossOriginReason(new Request(req, { headers: { ...Object.fromEntries(req.headers), origin: 'https://orbita.example.org' } }), 'https://app.example.org')).toBeNull();
    expect(crossOriginReason(new Request('http://x/', { method: 'DELETE', headers: { host: 'x', origin: 'http://y' } }))).toMatch(/cross-origin/);
  });
});

// ───────────────────────────── security headers ─────────────────────────────

describe('security headers (proxy.ts)', () => {
  const page = (headers: Record<string, string> = {}, path = '/today') => proxy(new NextRequest(new URL(path, appUrl), { headers: { host: 'localhost:3000', ...headers } }));

  it('every response gets CSP with a fresh nonce, frame-ancestors none, nosniff, DENY, referrer and permissions policies', () => {
    const first = page();
    const second = page({}, '/api/mcp');
    for (const response of [first, second, page({}, '/_next/static/chunks/main.js')]) {
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp).toMatch(/style-src 'self' 'unsafe-inline'/);
      expect(csp).toMatch(/img-src 'self' data:/);
      expect(csp).toMatch(/connect-src 'self'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('permissions-policy')).toMatch(/camera=\(\)/);
    }
    const nonce = (r: Response) => /'nonce-([^']+)'/.exec(r.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce(first)).not.toBe(nonce(second));
    // The nonce reaches the render through the request's CSP header (Next.js reads it there).
    expect(first.headers.get('x-middleware-request-content-security-policy')).toContain(`'nonce-${nonce(first)}'`);
    expect(first.headers.get('x-middleware-request-x-nonce')).toBe(nonce(first));
  });

  it('form-action allows the OAuth consent page and Stripe, nothing else', () => {
    const csp = page().headers.get('content-security-policy') ?? '';
    const formAction = /form-action ([^;]*)/.exec(csp)?.[1].split(' ') ?? [];
    expect(formAction.sort()).toEqual(["'self'", new URL(google.authUrl).origin, new URL(stripe.url).origin].sort());
    expect(formActionOrigins({ STRIPE_API_KEY: 'sk_live_x', OAUTH_PROVIDER: 'google' }).sort()).toEqual(['https://accounts.google.com', 'https://billing.stripe.com', 'https://checkout.stripe.com']);
    expect(formActionOrigins({})).toEqual([]);
  });

  it('HSTS only when the request came over TLS', () => {
    expect(page().headers.get('strict-transport-security')).toBeNull();
    expect(page({ 'x-forwarded-proto': 'http' }).headers.get('strict-transport-security')).toBeNull();
    expect(page({ 'x-forwarded-proto': 'https' }).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    setEnv({ NEXTAUTH_URL: 'https://orbita.example' });
    expect(page().headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(page().headers.get('content-security-policy')).toMatch(/upgrade-insecure-requests/);
  });

  it('the proxy runs on every path but the machine-facing JSON routes (by Next.js\'s own matcher compiler)', () => {
    const matchers = getMiddlewareMatchers(proxyConfig.matcher, { basePath: '', i18n: null });
    const runsOn = (path: string) => matchers.some((m) => new RegExp(m.regexp).test(path));
    for (const path of ['/', '/today', '/signin', '/api/mcp', '/api/auth/session', '/api/calendar/oauth/start', '/api/webhooks/stripe', '/api/ics/x.ics', '/api/healthy', '/livez-page', '/_next/static/chunks/main.js', '/api/v1x']) {
      expect(runsOn(path), path).toBe(true);
    }
    for (const path of ['/api/v1', '/api/v1/tasks', '/api/v1/schedule/day', '/api/v1/openapi.json', '/api/v1/no/such/route', '/livez', '/readyz', '/metrics', '/api/health']) {
      expect(runsOn(path), path).toBe(false);
    }
  });

  it('the routes the proxy skips set the API headers themselves: CSP that loads nothing, no framing, HSTS over TLS', async () => {
    const get = (path: string, headers: Record<string, string> = {}) => new Request(`${appUrl}${path}`, { headers });
    const answers = [
      await livez(get('/livez')),
      await readyz(get('/readyz')),
      await health(get('/api/health')),
      await openApi(get('/api/v1/openapi.json')),
      await me(get('/api/v1/me', { authorization: 'Bearer orb_pat_nope' })), // 401: errors get them too
      await unknownApiRoute(get('/api/v1/no/such/route')),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 401, 404]);
    for (const response of answers) {
      expect(response.headers.get('content-security-policy'), response.url).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('permissions-policy')).toMatch(/camera=\(\)/);
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
    const missing = await unknownApiRoute(get('/api/v1/no/such/route'));
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining('/api/v1/openapi.json') } });
    expect((await livez(get('/livez', { 'x-forwarded-proto': 'https' }))).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    // A response whose headers cannot change (a fetched one) is copied, not failed.
    const immutable = await fetch(`data:application/json,{}`);
    expect(withApiSecurityHeaders(get('/x'), immutable).headers.get('x-frame-options')).toBe('DENY');
  });

  it("development adds 'unsafe-eval' (React's debugging needs it); production never does", () => {
    expect(contentSecurityPolicy({ nonce: 'n', tls: false, development: true })).toMatch(/script-src [^;]*'unsafe-eval'/);
    expect(page().headers.get('content-security-policy')).not.toMatch(/unsafe-eval/);
  });
});

// ───────────────────────────── rate limits ─────────────────────────────

describe('rate limits (PostgreSQL)', () => {
  it('fixed window: counts, refuses over the limit with the seconds left, starts over when the window ends', async () => {
    const rule = { limit: 3, windowMs: 60_000 };
    const t0 = new Date('2026-01-01T00:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const results = [];
    for (const ms of [0, 1000, 2000, 3000]) results.push(await hitRateLimit(database.db, 'unit', 'k1', rule, at(ms)));
    expect(results.map((r) => [r.count, r.allowed])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, false],
    ]);
    expect(results[3].retryAfterSeconds).toBe(57);
    expect((await hitRateLimit(database.db, 'unit', 'k1', rule, at(59_500))).retryAfterSeconds).toBe(1);
    const next = await hitRateLimit(database.db, 'unit', 'k1', rule, at(60_000));
    expect(next).toMatchObject({ count: 1, allowed: true, retryAfterSeconds: 60 });
    // Another identity has its own counter.
    expect((await hitRateLimit(database.db, 'unit', 'k2', rule, at(3000))).count).toBe(1);
  });

  it('is atomic: 40 concurrent hits against a limit of 10 let exactly 10 through', async () => {
    const rule = { limit: 10, windowMs: 60_000 };
    const now = new Date();
    const results = await Promise.all(Array.from({ length: 40 }, () => hitRateLimit(database.db, 'unit', 'burst', rule, now)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('stores no IP or email in clear, and cleanup deletes ended windows only', async () => {
    await hitRateLimit(database.db, 'unit', '198.51.100.7|someone@example.com', { limit: 5, windowMs: 3_600_000 }, new Date());
    const keys = (await database.db.rateLimit.findMany()).map((r) => r.key);
    expect(keys.join(' ')).not.toMatch(/198\.51|someone|example\.com/);
    await database.db.rateLimit.create({ data: { key: 'unit:ended', count: 3, resetAt: new Date(Date.now() - 1000) } });
    expect(await cleanupRateLimits(database.db, new Date())).toBeGreaterThanOrEqual(1);
    const left = await database.db.rateLimit.findMany();
    expect(left.map((r) => r.key)).not.toContain('unit:ended');
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((r) => r.resetAt > new Date())).toBe(true);
  });

  it('checkRateLimits counts every check and reports the one that frees up last', async () => {
    const now = new Date();
    const checks = [
      { bucket: 'unit-a', identity: 'x', rule: { limit: 1, windowMs: 10_000 } },
      { bucket: 'unit-b', identity: 'x', rule: { limit: 1, windowMs: 60_000 } },
      { bucket: 'unit-c', identity: 'x', rule: null },
    ];
    expect(await checkRateLimits(database.db, checks, now)).toBeNull();
    const exceeded = await checkRateLimits(database.db, checks, now);
    expect(exceeded).toMatchObject({ bucket: 'unit-b', retryAfterSeconds: 60 });
  });

  it('client IP: the right-most X-Forwarded-For entry (Next.js writes the socket address there), TRUST_PROXY hops from the right', () => {
    const h = (xff?: string, realIp?: string) => new Headers({ ...(xff ? { 'x-forwarded-for': xff } : {}), ...(realIp ? { 'x-real-ip': realIp } : {}) });
    expect(clientIp(h('198.51.100.1'), 0)).toBe('198.51.100.1');
    expect(clientIp(h('6.6.6.6, 198.51.100.1'), 0)).toBe('198.51.100.1');
    expect(clientIp(h('6.6.6.6, 198.51.100.1'), 1)).toBe('198.51.100.1');
    expect(clientIp(h('6.6.6.6, 198.51.100.1, 10.0.0.2'), 2)).toBe('198.51.100.1');
    expect(clientIp(h('::ffff:127.0.0.1'), 0)).toBe('127.0.0.1');
    expect(clientIp(h('[2001:db8::1]:4711'), 0)).toBe('2001:db8::1');
    expect(clientIp(h('not-an-ip'), 0)).toBe('unknown');
    expect(clientIp(h(undefined, '192.0.2.9'), 0)).toBe('192.0.2.9');
  });

  it('limits are configurable and validated', () => {
    expect(parseConfig({})).toMatchObject({
      TRUST_PROXY: 0,
      RATE_LIMIT_SIGNIN: { limit: 10, windowMs: 60_000 },
      RATE_LIMIT_SIGNIN_IP: { limit: 30, windowMs: 60_000 },
      RATE_LIMIT_TOKENS: { limit: 10, windowMs: 3_600_000 },
      RATE_LIMIT_WEBHOOK: { limit: 600, windowMs: 60_000 },
    });
    expect(parseConfig({ RATE_LIMIT_SIGNIN: '5/30s', RATE_LIMIT_WEBHOOK: 'off', TRUST_PROXY: 'true' })).toMatchObject({
      RATE_LIMIT_SIGNIN: { limit: 5, windowMs: 30_000 },
      RATE_LIMIT_WEBHOOK: null,
      TRUST_PROXY: 1,
    });
    for (const [name, value] of [
      ['RATE_LIMIT_SIGNIN', '10'],
      ['RATE_LIMIT_TOKENS', '0/1h'],
      ['RATE_LIMIT_WEBHOOK', 'lots/1m'],
      ['TRUST_PROXY', 'maybe'],
    ]) {
      expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(name));
    }
  });

  it('sign-in: 429 with Retry-After past RATE_LIMIT_SIGNIN per IP+email, and past RATE_LIMIT_SIGNIN_IP per IP', async () => {
    setEnv({ RATE_LIMIT_SIGNIN: '3/1m', RATE_LIMIT_SIGNIN_IP: '5/1m' });
    const browser = new Browser();
    const email = await signUp(browser); // one attempt (the successful sign-in)
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await browser.signIn(email, 'wrong-password')).status);
    expect(statuses).toEqual([401, 401, 429]);
    const limited = await browser.signIn(email, password);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const body = await limited.json();
    expect(body).toMatchObject({ error: { code: 'rate_limited', message: expect.stringMatching(/sign-in/) } });
    // next-auth's client reads `url`: it gets one with ?error=, so signIn() resolves instead of throwing.
    expect(new URL(body.url).searchParams.get('error')).toBe('RateLimited');

    // Another email from the same address: its own IP+email counter, but the IP counter is at 5.
    const other = await browser.signIn('someone-else@example.com', 'wrong');
    expect(other.status).toBe(429);
    // Another address is unaffected.
    expect((await new Browser().signIn(email, password)).status).toBe(200);
  });

  it('token creation: past RATE_LIMIT_TOKENS per user the action returns the error instead of a token', async () => {
    setEnv({ RATE_LIMIT_TOKENS: '2/1h' });
    const browser = new Browser();
    await signUp(browser);
    expect((await createToken(browser, 'one')).token).toMatch(/^orb_pat_/);
    expect((await createToken(browser, 'two')).token).toMatch(/^orb_pat_/);
    const third = await createToken(browser, 'three');
    expect(third.token).toBeNull();
    expect(third.errors.form).toMatch(/Too many tokens created; try again in \d+ s/);
    expect(third.errors.name).toBe(third.errors.form);
    expect(third.values.name).toBe('three');
  });

  it('Stripe webhook: 429 with Retry-After past RATE_LIMIT_WEBHOOK per IP, before the signature is checked', async () => {
    setEnv({ RATE_LIMIT_WEBHOOK: '2/1m' });
    const ip = freshIp();
    const deliver = (sig = true) => {
      const payload = JSON.stringify(stripeEvent('customer.created', { id: 'cus_websec', object: 'customer' }));
      return stripeWebhook(
        new Request(`${appUrl}/api/webhooks/stripe`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...(sig ? { 'stripe-signature': signature(payload, webhookSecret) } : {}) },
          body: payload,
        }),
      );
    };
    expect((await deliver()).status).toBe(200);
    expect((await deliver(false)).status).toBe(400);
    const limited = await deliver();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });
});

// ───────────────────────────── no secret in logs ─────────────────────────────

describe('no secret in any log line', () => {
  it('sign-up, sign-in, token creation and use, OAuth callback, Stripe webhook and failing requests log no secret', async () => {
    // Sign-up and sign-in (plus a failed sign-in).
    const browser = new Browser();
    const email = await signUp(browser, 'Log Watcher');
    await browser.signIn(email, 'definitely-wrong-password');
    secrets.add('definitely-wrong-password');

    // Token creation and use: REST and MCP, a revoked/wrong token, a read-only token writing.
    const { token } = await createToken(browser, 'logs');
    expect(token).toBeTruthy();
    expect((await me(new Request(`${appUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } }))).status).toBe(200);
    const wrongToken = `orb_pat_${randomBytes(32).toString('base64url')}`;
    secrets.add(wrongToken);
    expect((await me(new Request(`${appUrl}/api/v1/me`, { headers: { authorization: `Bearer ${wrongToken}` } }))).status).toBe(401);
    await mcpPost(
      new Request(`${appUrl}/api/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'task_create', arguments: { title: 'from mcp' } } }),
      }),
    );

    // A failing request whose error carries the token, the Authorization header and a client secret.
    const crash = withUser(async (req) => {
      throw Object.assign(new Error(`upstream refused ${req.headers.get('authorization')} (token ${token})`), {
        headers: { authorization: req.headers.get('authorization'), cookie: browser.cookieHeader() },
        config: { data: { client_secret: google.clientSecret, refresh_token: 'not-a-real-one' } },
      });
    });
    const crashed = await crash(new Request(`${appUrl}/api/v1/crash`, { headers: { authorization: `Bearer ${token}` } }));
    expect(crashed.status).toBe(500);
    expect(JSON.stringify(await crashed.json())).not.toContain(token as string);

    // OAuth: connect Google Calendar through the fake (start → consent → callback), then a bad callback.
    browser.request('/api/calendar/oauth/start', { method: 'POST', headers: { origin: appUrl } }); // the session it runs in
    const start = await oauthStart();
    expect(start.status).toBe(303);
    const consent = new URL(start.headers.get('location') as string);
    const code = google.issueCode({ redirectUri: `${appUrl}/api/calendar/oauth/callback`, codeChallenge: consent.searchParams.get('code_challenge') as string });
    secrets.add(code);
    const back = await oauthCallback(
      browser.request(`/api/calendar/oauth/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(consent.searchParams.get('state') as string)}`),
    );
    expect(back.headers.get('location')).toBe('/settings?calendar=connected#google-calendar');
    const userId = (await database.db.user.findUniqueOrThrow({ where: { email } })).id;
    const row = await database.db.oAuthToken.findUniqueOrThrow({ where: { userId_provider: { userId, provider: 'google' } } });
    const keyring = loadKeyring(parseConfig(process.env));
    const accessToken = decryptSecret(keyring, row.accessTokenCiphertext, { userId, provider: 'google', field: 'access_token' });
    const refreshToken = decryptSecret(keyring, row.refreshTokenCiphertext as string, { userId, provider: 'google', field: 'refresh_token' });
    expect(accessToken).toMatch(/^ya29\./);
    secrets.add(accessToken);
    secrets.add(refreshToken);
    // A replayed code: the exchange fails and is logged.
    await oauthCallback(browser.request(`/api/calendar/oauth/callback?code=${encodeURIComponent(code)}&state=bogus-state`));

    // Stripe webhook: a good delivery, a bad signature.
    const payload = JSON.stringify(stripeEvent('customer.subscription.updated', { id: 'sub_logs', object: 'subscription', customer: 'cus_unknown_logs', status: 'active', items: { data: [] }, metadata: {} }));
    setEnv({ RATE_LIMIT_WEBHOOK: '2/1m' });
    const webhookIp = freshIp();
    const deliver = (sig: string) => stripeWebhook(new Request(`${appUrl}/api/webhooks/stripe`, { method: 'POST', headers: { 'stripe-signature': sig, 'x-forwarded-for': webhookIp }, body: payload }));
    await deliver(signature(payload, webhookSecret));
    expect((await deliver('t=1,v1=deadbeef')).status).toBe(400);
    expect((await deliver(signature(payload, webhookSecret))).status).toBe(429);

    // The log actually saw this run (errors, warnings, the rate-limit and webhook lines).
    const log = captured.lines.join('');
    expect(captured.lines.length).toBeGreaterThan(3);
    expect(log).toContain('unhandled error in request');
    expect(log).toContain('rate limit exceeded');
    expect(log).toContain('google calendar: code exchange failed');

    // Zero hits for every secret the run used.
    const leaks = [...secrets].filter((secret) => secret.length >= 6 && log.includes(secret));
    expect(leaks).toEqual([]);
    expect(log).not.toMatch(/orb_pat_[A-Za-z0-9_-]{6,}/);
    expect(log).not.toMatch(/Bearer [A-Za-z0-9]/);
  });

  it('the scrubber catches secret shapes inside free text', () => {
    const line = scrubSecrets(
      `{"msg":"failed with Bearer abc.def-123 orb_pat_abcdefghijkl sk_live_123456 whsec_abcdef ya29.a0AfH6 1//0gLongRefreshToken12 postgres://orbita:hunter2@db/orbita next-auth.session-token=eyJ.abc; ?code=4/0Aabc&state=1"}`,
    );
    for (const leak of ['abc.def-123', 'orb_pat_abcdefghijkl', 'sk_live_123456', 'whsec_abcdef', 'ya29.a0AfH6', '1//0gLongRefreshToken12', 'hunter2', 'eyJ.abc', '4/0Aabc']) {
      expect(line).not.toContain(leak);
    }
    expect(line).toContain('postgres://orbita:[redacted]@db/orbita');
  });
});
