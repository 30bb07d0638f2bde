import { expect, type Page, test } from '@playwright/test';
import { queryDatabase, signUpFresh } from './helpers';

/**
 * Web security in a real browser against `next start`: the headers proxy.ts sets, a CSP strict
 * enough to block inline script yet letting the app run (nonces), the session cookie's flags, and
 * CSRF: cross-origin writes with the session cookie are refused, by proxy.ts for the API and by
 * Next.js itself for server actions.
 */

const evil = 'https://evil.example';

/** Every CSP violation the page reports, from the console. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test('security headers on pages and API responses; HSTS only over TLS', async ({ page, baseURL }) => {
  // Pages (proxy.ts): a CSP with a per-request script nonce. The machine-facing JSON routes skip
  // the proxy and set a CSP that loads nothing (lib/http/security-headers.ts `secured`).
  const pageCsp = [/default-src 'self'/, /script-src 'self' 'nonce-[^']+' 'strict-dynamic'/, /frame-ancestors 'none'/];
  const apiCsp = [/^default-src 'none'; frame-ancestors 'none'$/];
  const cases = [
    ['/signin', pageCsp],
    ['/api/auth/csrf', pageCsp],
    ['/api/health', apiCsp],
    ['/api/v1/openapi.json', apiCsp],
    ['/api/v1/no-such-route', apiCsp],
    ['/livez', apiCsp],
  ] as const;
  for (const [path, csp] of cases) {
    const response = await page.request.get(path);
    const headers = response.headers();
    for (const pattern of csp) expect(headers['content-security-policy'], path).toMatch(pattern);
    expect(headers['x-frame-options'], path).toBe('DENY');
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
    expect(headers['permissions-policy'], path).toContain('camera=()');
    expect(headers['strict-transport-security'], path).toBeUndefined(); // plain http here
  }
  const missing = await page.request.get('/api/v1/no-such-route');
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  // A method a route does not serve: 405 in the API's error shape, with Allow and the API headers.
  const wrongMethod = await page.request.put('/api/v1/tasks', { data: {} });
  expect(wrongMethod.status()).toBe(405);
  expect(wrongMethod.headers()['allow']).toBe('GET, POST, HEAD, OPTIONS');
  expect(wrongMethod.headers()['content-security-policy']).toMatch(apiCsp[0]);
  expect(await wrongMethod.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  for (const path of ['/signin', '/api/v1/openapi.json']) {
    const tls = await page.request.get(path, { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers()['strict-transport-security'], path).toBe('max-age=31536000; includeSubDomains');
  }
  expect(baseURL).toMatch(/^http:/);
});

test('the CSP nonce reaches every script Next.js renders; sign-up and sign-in run without a violation', async ({ page, context }) => {
  const violations = watchCsp(page);
  const response = await page.goto('/signin');
  const nonce = /'nonce-([^']+)'/.exec(response?.headers()['content-security-policy'] ?? '')?.[1];
  expect(nonce).toBeTruthy();
  const scripts = await page.locator('script').evaluateAll((nodes) => nodes.map((n) => (n as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((value) => value === nonce)).toBe(true);

  // Next.js's own scripts ran (the page is interactive) and nothing was refused.
  await page.getByLabel('Email').fill('nobody@example.com');
  await page.getByLabel('Password').fill('not-a-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText('That email and password do not match an account.');
  expect(violations).toEqual([]);

  // Injected markup cannot run script: an inline event handler (the classic XSS payload) is refused.
  await page.evaluate(() => {
    const holder = document.createElement('div');
    holder.innerHTML = '<img src="/no-such-image.png" alt="" onerror="window.__injected = true">';
    document.body.appendChild(holder);
  });
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected === true)).toBe(false);
  violations.length = 0;

  await signUpFresh(page, 'Cee Ess Pee', 'csp');
  await expect(page.getByRole('heading', { name: 'Today', exact: true })).toBeVisible();
  expect(violations).toEqual([]);

  // The session cookie: HttpOnly, SameSite=Lax, Path=/, not Secure over http.
  const session = (await context.cookies()).find((c) => c.name === 'next-auth.session-token');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
});

test('cross-origin writes with the session cookie are refused; same-origin ones and Bearer tokens work', async ({ page, baseURL }) => {
  await signUpFresh(page, 'Cross Origin', 'csrf');
  const task = { title: 'csrf probe' };

  const forged = await page.request.post('/api/v1/tasks', { data: task, headers: { origin: evil } });
  expect(forged.status()).toBe(403);
  expect(await forged.json()).toMatchObject({ error: { code: 'forbidden' } });
  const bare = await page.request.post('/api/v1/tasks', { data: task });
  expect(bare.status()).toBe(403);
  const connect = await page.request.post('/api/calendar/oauth/start', { headers: { origin: evil }, maxRedirects: 0 });
  expect(connect.status()).toBe(403);

  const same = await page.request.post('/api/v1/tasks', { data: task, headers: { origin: baseURL as string } });
  expect(same.status()).toBe(201);
});

test('a cross-origin server action POST is rejected by Next.js; the same request from this origin works', async ({ page, baseURL }) => {
  await signUpFresh(page, 'Server Action', 'action');
  await page.goto('/settings');

  // Create one token through the form, capturing the server action request the browser sends.
  const actionRequest = page.waitForRequest((request) => request.method() === 'POST' && Boolean(request.headers()['next-action']));
  await page.getByLabel('Token name').fill('captured');
  await page.getByRole('button', { name: 'Create token' }).click();
  const captured = await actionRequest;
  await expect(page.getByTestId('new-token')).toBeVisible();
  const sent = await captured.allHeaders();
  expect(sent['origin']).toBe(baseURL);

  const countTokens = async () => {
    const rows = await queryDatabase<{ n: number }>("SELECT count(*)::int AS n FROM personal_access_tokens WHERE name LIKE 'captured%'");
    return rows ? rows[0].n : null;
  };
  const before = await countTokens();

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(sent)) {
    // The request context sets these itself (cookies from the browser context).
    if (!name.startsWith(':') && !['content-length', 'cookie', 'host', 'connection', 'accept-encoding'].includes(name)) headers[name] = value;
  }
  const replay = (origin: string) =>
    page.request.post(captured.url(), { headers: { ...headers, origin }, data: captured.postDataBuffer() ?? undefined, maxRedirects: 0 });

  const forged = await replay(evil);
  expect(forged.status()).toBeGreaterThanOrEqual(400);
  expect(await forged.text()).not.toMatch(/orb_pat_/);
  if (before !== null) expect(await countTokens()).toBe(before);

  const legit = await replay(baseURL as string);
  expect(legit.status()).toBe(200);
  expect(await legit.text()).toMatch(/orb_pat_/);
  if (before !== null) expect(await countTokens()).toBe(before + 1);
});
