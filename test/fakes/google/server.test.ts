import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from './server';

const REDIRECT = 'http://127.0.0.1:3999/api/v1/calendar/oauth/callback';
const SCOPE = 'https://www.googleapis.com/auth/calendar openid email';

let fake: FakeGoogle;

beforeAll(async () => {
  fake = await startFakeGoogle();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.reset();
});

function oauthClient(overrides: { clientSecret?: string } = {}): OAuth2Client {
  return new OAuth2Client({
    clientId: fake.clientId,
    clientSecret: overrides.clientSecret ?? fake.clientSecret,
    redirectUri: REDIRECT,
    endpoints: { oauth2AuthBaseUrl: fake.authUrl, oauth2TokenUrl: fake.tokenUrl },
  });
}

/** An authorized OAuth2Client (tokens from the fake's token endpoint) and the real Calendar v3 client on the fake. */
async function connected(): Promise<{ auth: OAuth2Client; api: calendar_v3.Calendar }> {
  const auth = oauthClient();
  const code = fake.issueCode({ redirectUri: REDIRECT, scope: SCOPE });
  const { tokens } = await auth.getToken({ code });
  auth.setCredentials(tokens);
  return { auth, api: calendar({ version: 'v3', rootUrl: fake.apiBaseUrl, auth }) };
}

const statusOf = async (p: Promise<unknown>): Promise<{ status?: number; data?: unknown }> => {
  try {
    await p;
    return {};
  } catch (err) {
    const e = err as { status?: number; response?: { status: number; data: unknown } };
    return { status: e.response?.status ?? e.status, data: e.response?.data };
  }
};

const event = (id: string | undefined, start: string, end: string, extra: calendar_v3.Schema$Event = {}): calendar_v3.Schema$Event => ({
  ...(id ? { id } : {}),
  summary: `event ${id ?? ''}`,
  start: { dateTime: start },
  end: { dateTime: end },
  ...extra,
});

describe('sign-in identity: signed ID tokens, JWKS, userinfo', () => {
  it('signs the chosen identity into an RS256 ID token its JWKS verifies, and userinfo says the same', async () => {
    const identity = fake.signInAs({ email: 'someone.else@example.com', email_verified: false, name: 'Someone Else' });
    const code = fake.issueCode({ redirectUri: REDIRECT, scope: 'openid email profile' });
    fake.signInAs({ email: 'later@example.com' }); // a code keeps the identity it was issued for
    const { tokens } = await oauthClient().getToken({ code });
    const [header, payload, signature] = tokens.id_token!.split('.');
    const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;
    expect(decode(header)).toMatchObject({ alg: 'RS256' });
    expect(decode(payload)).toMatchObject({ iss: 'https://accounts.google.com', aud: fake.clientId, ...identity, email_verified: false });

    const { keys } = (await (await fetch(`${fake.url}/oauth2/v3/certs`)).json()) as { keys: (JsonWebKey & { kid: string })[] };
    const key = keys.find((k) => k.kid === decode(header).kid)!;
    const publicKey = createPublicKey({ key, format: 'jwk' });
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(verify('sha256', Buffer.from(`${header}.${payload}x`), publicKey, Buffer.from(signature, 'base64url'))).toBe(false);

    const userinfo = await fetch(`${fake.url}/oauth2/v3/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(await userinfo.json()).toEqual(identity);
    expect((await fetch(`${fake.url}/oauth2/v3/userinfo`)).status).toBe(401);

    // No claim at all when asked (null), and reset() goes back to the account's own, verified identity.
    expect(fake.signInAs({ email: 'x@example.com', email_verified: null })).not.toHaveProperty('email_verified');
    fake.reset();
    expect(fake.identity).toMatchObject({ email: fake.accountEmail, email_verified: true });
  });
});

describe('OAuth token endpoint (google-auth-library OAuth2Client)', () => {
  it('exchanges a PKCE code once, checks the verifier and refreshes until revoked', async () => {
    const auth = oauthClient();
    const { codeVerifier, codeChallenge } = await auth.generateCodeVerifierAsync();
    const url = auth.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: SCOPE.split(' '),
      state: 'st-1',
      code_challenge: codeChallenge,
      code_challenge_method: CodeChallengeMethod.S256,
    });
    expect(url.startsWith(fake.authUrl)).toBe(true);

    const code = fake.issueCode({ redirectUri: REDIRECT, codeChallenge, scope: SCOPE });
    // Wrong verifier → invalid_grant, the code stays usable.
    const wrong = await statusOf(auth.getToken({ code, codeVerifier: 'x'.repeat(50) }));
    expect(wrong.status).toBe(400);
    expect(wrong.data).toMatchObject({ error: 'invalid_grant' });
    const missing = await statusOf(auth.getToken({ code }));
    expect(missing.data).toMatchObject({ error: 'invalid_grant', error_description: 'Missing code verifier.' });

    const { tokens } = await auth.getToken({ code, codeVerifier });
    expect(tokens.access_token).toMatch(/^ya29\./);
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.scope).toBe(SCOPE);
    expect(tokens.expiry_date).toBeGreaterThan(Date.now() + 3500_000);
    expect(tokens.id_token?.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(tokens.id_token!.split('.')[1], 'base64url').toString()) as { email: string };
    expect(claims.email).toBe(fake.accountEmail);

    // Single use.
    const again = await statusOf(auth.getToken({ code, codeVerifier }));
    expect(again).toMatchObject({ status: 400, data: { error: 'invalid_grant' } });

    auth.setCredentials(tokens);
    const { credentials } = await auth.refreshAccessToken();
    expect(credentials.access_token).toMatch(/^ya29\./);
    expect(credentials.access_token).not.toBe(tokens.access_token);
    expect(credentials.refresh_token).toBe(tokens.refresh_token);
    const refreshCall = fake.requests.filter((r) => r.path === '/token').at(-1)!;
    expect(refreshCall.body).toMatchObject({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });

    fake.revokeRefreshTokens();
    const revoked = await statusOf(auth.refreshAccessToken());
    expect(revoked).toMatchObject({
      status: 400,
      data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    });
    expect(fake.tokenGrants.map((g) => g.grant_type)).toEqual([
      'authorization_code',
      'authorization_code',
      'authorization_code',
      'authorization_code',
      'refresh_token',
      'refresh_token',
    ]);
  });

  it('rejects a bad client, a redirect_uri mismatch and an unknown code', async () => {
    const code = fake.issueCode({ redirectUri: REDIRECT });
    const badClient = await statusOf(oauthClient({ clientSecret: 'nope' }).getToken({ code }));
    expect(badClient).toMatchObject({ status: 401, data: { error: 'invalid_client' } });

    const other = new OAuth2Client({
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      redirectUri: 'http://127.0.0.1:1/elsewhere',
      endpoints: { oauth2TokenUrl: fake.tokenUrl },
    });
    const mismatch = await statusOf(other.getToken({ code }));
    expect(mismatch).toMatchObject({ status: 400, data: { error: 'redirect_uri_mismatch' } });

    const unknown = await statusOf(oauthClient().getToken({ code: '4/not-a-code' }));
    expect(unknown).toMatchObject({ status: 400, data: { error: 'invalid_grant' } });

    // HTTP Basic client authentication works too.
    const basic = await fetch(fake.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${fake.clientId}:${fake.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
    });
    expect(basic.status).toBe(200);
    const json = (await basic.json()) as { access_token: string; expires_in: number };
    expect(json.expires_in).toBe(3600);
  });

  it('honours accessTokenTtlSeconds, and an expired access token gets 401 from the API', async () => {
    const short = await startFakeGoogle({ accessTokenTtlSeconds: 1 });
    try {
      const res = await fetch(short.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: short.issueCode({ redirectUri: REDIRECT }),
          redirect_uri: REDIRECT,
          client_id: short.clientId,
          client_secret: short.clientSecret,
        }),
      });
      const tokens = (await res.json()) as { access_token: string; expires_in: number };
      expect(tokens.expires_in).toBe(1);
      const call = () => fetch(`${short.url}/calendar/v3/users/me/calendarList`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect((await call()).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1100));
      const expired = await call();
      expect(expired.status).toBe(401);
      expect(await expired.json()).toMatchObject({ error: { code: 401, errors: [{ reason: 'authError' }] } });
    } finally {
      await short.close();
    }
  });
});

describe('consent page', () => {
  const parseForm = (html: string) => {
    const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(html);
    expect(form).not.toBeNull();
    const fields = new URLSearchParams();
    for (const m of form![2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
      fields.set(m[1], m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'"));
    return { action: new URL(form![1], fake.url).toString(), fields, html: form![2] };
  };

  it('shows the account and scopes; Allow redirects with a code the token endpoint accepts (PKCE)', async () => {
    const auth = oauthClient();
    const { codeVerifier, codeChallenge } = await auth.generateCodeVerifierAsync();
    const url = auth.generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: SCOPE.split(' '),
      state: 'state&"x',
      code_challenge: codeChallenge,
      code_challenge_method: CodeChallengeMethod.S256,
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Sign in - Google Accounts</title>');
    expect(html).toContain(fake.accountEmail);
    expect(html).toContain('<li>https://www.googleapis.com/auth/calendar</li>');
    const form = parseForm(html);
    expect(form.html).toMatch(/<button type="submit" name="decision" value="allow">Allow<\/button>/);
    expect(form.html).toMatch(/<button[^>]*>Deny<\/button>/);
    expect(form.fields.get('state')).toBe('state&"x');

    form.fields.set('decision', 'allow');
    const approved = await fetch(form.action, { method: 'POST', body: form.fields, redirect: 'manual' });
    expect(approved.status).toBe(302);
    const location = new URL(approved.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('state&"x');
    expect(location.searchParams.get('scope')).toBe(SCOPE);
    const code = location.searchParams.get('code')!;
    expect(code).toBeTruthy();

    // The challenge travelled through the form: exchanging without the right verifier fails.
    expect((await statusOf(auth.getToken({ code, codeVerifier: 'y'.repeat(60) }))).status).toBe(400);
    const { tokens } = await auth.getToken({ code, codeVerifier });
    expect(tokens.refresh_token).toBeTruthy();
  });

  it('Deny redirects with access_denied; bad requests get a 400 page', async () => {
    const q = new URLSearchParams({ client_id: fake.clientId, redirect_uri: REDIRECT, response_type: 'code', scope: SCOPE, state: 's2' });
    const form = parseForm(await (await fetch(`${fake.authUrl}?${q}`)).text());
    form.fields.set('decision', 'deny');
    const denied = await fetch(form.action, { method: 'POST', body: form.fields, redirect: 'manual' });
    expect(denied.status).toBe(302);
    const location = new URL(denied.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('s2');
    expect(location.searchParams.has('code')).toBe(false);

    for (const drop of ['client_id', 'redirect_uri', 'response_type']) {
      const bad = new URLSearchParams(q);
      bad.delete(drop);
      const res = await fetch(`${fake.authUrl}?${bad}`);
      expect(res.status, drop).toBe(400);
      expect(await res.text()).toMatch(/Error 40[01]/);
    }
    const unknown = new URLSearchParams(q);
    unknown.set('client_id', 'someone-else');
    const res = await fetch(`${fake.authUrl}?${unknown}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('invalid_client');
  });
});

describe('Calendar v3 (the real @googleapis/calendar client)', () => {
  it('requires a valid Bearer token', async () => {
    const noAuth = calendar({ version: 'v3', rootUrl: fake.apiBaseUrl });
    const r = await statusOf(noAuth.calendarList.list());
    expect(r.status).toBe(401);
    expect(r.data).toMatchObject({ error: { code: 401, errors: [{ reason: 'required', domain: 'global' }] } });
    const bogus = await fetch(`${fake.url}/calendar/v3/calendars/primary`, { headers: { authorization: 'Bearer ya29.bogus' } });
    expect(bogus.status).toBe(401);
  });

  it('lists calendars with pagination and minAccessRole, and resolves primary', async () => {
    const { api } = await connected();
    fake.calendars.set('c4@group.calendar.google.com', { id: 'c4@group.calendar.google.com', summary: 'Four', accessRole: 'owner', timeZone: 'Europe/Berlin' });
    const ids: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const { data } = await api.calendarList.list({ maxResults: 2, pageToken });
      ids.push(...data.items!.map((c) => c.id!));
      pageToken = data.nextPageToken ?? undefined;
      pages += 1;
    } while (pageToken);
    expect(pages).toBe(2);
    expect(ids).toEqual([...fake.calendars.keys()]);
    expect(fake.requests.filter((r) => r.path === '/calendar/v3/users/me/calendarList').map((r) => r.query.maxResults)).toEqual(['2', '2']);

    const writers = await api.calendarList.list({ minAccessRole: 'writer' });
    expect(writers.data.items!.map((c) => c.id)).not.toContain('en.usa#holiday@group.v.calendar.google.com');
    const primaryEntry = writers.data.items!.find((c) => c.primary);
    expect(primaryEntry).toMatchObject({ id: fake.accountEmail, accessRole: 'owner' });

    const primary = await api.calendars.get({ calendarId: 'primary' });
    expect(primary.data.id).toBe(fake.accountEmail);
    const byId = await api.calendars.get({ calendarId: 'en.usa#holiday@group.v.calendar.google.com' });
    expect(byId.data.summary).toBe('Holidays');
    expect((await statusOf(api.calendars.get({ calendarId: 'nope@example.com' }))).status).toBe(404);
  });

  it('inserts, gets, patches, updates and deletes events like Google', async () => {
    const { api } = await connected();
    const id = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const inserted = await api.events.insert({
      calendarId: 'primary',
      sendUpdates: 'none',
      requestBody: event(id, '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z', {
        attendees: [{ email: 'a@example.com' }],
        reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 15 }] },
        extendedProperties: { private: { orbita: '1', orbita_block_id: 'b-1' } },
      }),
    });
    expect(inserted.status).toBe(200);
    expect(inserted.data).toMatchObject({ id, status: 'confirmed', kind: 'calendar#event', summary: `event ${id}` });
    expect(fake.events('primary').get(id)?.etag).toBe(inserted.data.etag);
    expect(fake.events(fake.accountEmail).get(id)).toBe(fake.events('primary').get(id));
    const insertReq = fake.requests.at(-1)!;
    expect(insertReq).toMatchObject({ method: 'POST', path: `/calendar/v3/calendars/primary/events`, status: 200, query: { sendUpdates: 'none' } });
    expect(insertReq.body).toMatchObject({ id, summary: `event ${id}` });

    const generated = await api.events.insert({ calendarId: 'primary', requestBody: event(undefined, '2026-12-02T09:00:00Z', '2026-12-02T09:30:00Z') });
    expect(generated.data.id).toMatch(/^[a-v0-9]{5,}$/);

    const dup = await statusOf(api.events.insert({ calendarId: 'primary', requestBody: event(id, '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z') }));
    expect(dup).toMatchObject({ status: 409, data: { error: { errors: [{ reason: 'duplicate' }] } } });
    for (const badId of ['abc', 'has-hyphen-0000', 'UPPERCASE123', 'wxyz12345', 'a'.repeat(1025)]) {
      const r = await statusOf(api.events.insert({ calendarId: 'primary', requestBody: event(badId, '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z') }));
      expect(r, badId).toMatchObject({ status: 400, data: { error: { message: 'Invalid resource id value.', errors: [{ reason: 'invalid' }] } } });
    }
    const noEnd = await statusOf(api.events.insert({ calendarId: 'primary', requestBody: { summary: 'x', start: { dateTime: '2026-12-01T09:00:00Z' } } }));
    expect(noEnd.status).toBe(400);

    const got = await api.events.get({ calendarId: 'primary', eventId: id });
    expect(got.data.attendees).toEqual([{ email: 'a@example.com' }]);

    const patched = await api.events.patch({
      calendarId: 'primary',
      eventId: id,
      requestBody: { summary: 'renamed', extendedProperties: { private: { extra: 'x' } } },
    });
    expect(patched.data.summary).toBe('renamed');
    expect(patched.data.extendedProperties?.private).toEqual({ orbita: '1', orbita_block_id: 'b-1', extra: 'x' });
    expect(patched.data.attendees).toEqual([{ email: 'a@example.com' }]);
    expect(patched.data.etag).not.toBe(inserted.data.etag);
    expect(Date.parse(patched.data.updated!)).toBeGreaterThanOrEqual(Date.parse(inserted.data.updated!));

    const updated = await api.events.update({ calendarId: 'primary', eventId: id, requestBody: event(id, '2026-12-01T11:00:00Z', '2026-12-01T12:00:00Z') });
    expect(updated.data.attendees).toBeUndefined();
    expect(updated.data.extendedProperties).toBeUndefined();
    expect(updated.data.start).toEqual({ dateTime: '2026-12-01T11:00:00Z' });

    const del = await api.events.delete({ calendarId: 'primary', eventId: id });
    expect(del.status).toBe(204);
    expect(fake.events('primary').get(id)?.status).toBe('cancelled');
    expect((await api.events.get({ calendarId: 'primary', eventId: id })).data.status).toBe('cancelled');
    const again = await statusOf(api.events.delete({ calendarId: 'primary', eventId: id }));
    expect(again).toMatchObject({ status: 410, data: { error: { errors: [{ reason: 'deleted' }] } } });
    const missing = await statusOf(api.events.delete({ calendarId: 'primary', eventId: 'abcdef12345' }));
    expect(missing).toMatchObject({ status: 404, data: { error: { errors: [{ reason: 'notFound', domain: 'global' }] } } });
    expect((await statusOf(api.events.get({ calendarId: 'primary', eventId: 'abcdef12345' }))).status).toBe(404);

    // Reader calendars refuse writes.
    const ro = await statusOf(
      api.events.insert({ calendarId: 'en.usa#holiday@group.v.calendar.google.com', requestBody: event(undefined, '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z') }),
    );
    expect(ro).toMatchObject({ status: 403, data: { error: { errors: [{ reason: 'requiredAccessLevel' }] } } });
  });

  it('lists with a time window, extended property filters, showDeleted, ordering and pagination', async () => {
    const { api } = await connected();
    const ins = (id: string, start: string, end: string, priv?: Record<string, string>, shared?: Record<string, string>) =>
      api.events.insert({
        calendarId: 'primary',
        requestBody: event(id, start, end, priv || shared ? { extendedProperties: { private: priv, shared } } : {}),
      });
    await ins('evt00003', '2026-12-03T09:00:00Z', '2026-12-03T10:00:00Z', { orbita: '1', orbita_block_id: 'b3' });
    await ins('evt00001', '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z', { orbita: '1', orbita_block_id: 'b1' });
    await ins('evt00002', '2026-12-02T09:00:00Z', '2026-12-02T10:00:00Z', undefined, { team: 'x' });
    await ins('evt00004', '2026-11-30T23:00:00Z', '2026-12-01T00:30:00Z', { orbita: '1' });
    await ins('evt00009', '2026-12-09T09:00:00Z', '2026-12-09T10:00:00Z', { orbita: '1' });
    await api.events.delete({ calendarId: 'primary', eventId: 'evt00003' });

    const window = { timeMin: '2026-12-01T00:00:00Z', timeMax: '2026-12-08T00:00:00Z' };
    const ids = async (params: calendar_v3.Params$Resource$Events$List) =>
      (await api.events.list({ calendarId: 'primary', ...params })).data.items!.map((e) => e.id);

    expect(await ids({ ...window, singleEvents: true, orderBy: 'startTime' })).toEqual(['evt00004', 'evt00001', 'evt00002']);
    expect(await ids({ ...window, singleEvents: true, orderBy: 'startTime', showDeleted: true })).toEqual(['evt00004', 'evt00001', 'evt00002', 'evt00003']);
    expect(await ids({ ...window, privateExtendedProperty: ['orbita=1'], singleEvents: true, orderBy: 'startTime' })).toEqual(['evt00004', 'evt00001']);
    expect(await ids({ privateExtendedProperty: ['orbita=1', 'orbita_block_id=b1'] })).toEqual(['evt00001']);
    expect(await ids({ sharedExtendedProperty: ['team=x'] })).toEqual(['evt00002']);
    expect(await ids({ q: 'EVT00009' })).toEqual(['evt00009']);
    const badTime = await statusOf(api.events.list({ calendarId: 'primary', timeMin: '2026-12-01T00:00:00' }));
    expect(badTime.status).toBe(400);
    expect(fake.requests.map((r) => r.query.privateExtendedProperty)).toContainEqual(['orbita=1', 'orbita_block_id=b1']);

    const orderNoSingle = await statusOf(api.events.list({ calendarId: 'primary', orderBy: 'startTime' }));
    expect(orderNoSingle.status).toBe(400);

    const seen: string[] = [];
    let pageToken: string | undefined;
    let last: calendar_v3.Schema$Events | undefined;
    do {
      last = (await api.events.list({ calendarId: 'primary', maxResults: 2, pageToken, singleEvents: true, orderBy: 'startTime' })).data;
      seen.push(...last.items!.map((e) => e.id!));
      pageToken = last.nextPageToken ?? undefined;
      if (pageToken) expect(last.nextSyncToken).toBeUndefined();
    } while (pageToken);
    expect(seen).toEqual(['evt00004', 'evt00001', 'evt00002', 'evt00009']);
    expect(last.nextSyncToken).toBeTruthy();

    expect((await statusOf(api.events.list({ calendarId: 'unknown@example.com' }))).status).toBe(404);
  });

  it('sync tokens: incremental changes include cancellations; 410 fullSyncRequired after expiry', async () => {
    const { api } = await connected();
    const cal = 'work.orbita@group.calendar.google.com';
    await api.events.insert({ calendarId: cal, requestBody: event('snc00001', '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z') });
    await api.events.insert({ calendarId: cal, requestBody: event('snc00002', '2026-12-01T11:00:00Z', '2026-12-01T12:00:00Z') });

    const full = await api.events.list({ calendarId: cal, singleEvents: true });
    expect(full.data.items!.map((e) => e.id).sort()).toEqual(['snc00001', 'snc00002']);
    const token1 = full.data.nextSyncToken!;
    expect(token1).toBeTruthy();

    const none = await api.events.list({ calendarId: cal, syncToken: token1 });
    expect(none.data.items).toEqual([]);

    await api.events.patch({ calendarId: cal, eventId: 'snc00001', requestBody: { summary: 'moved' } });
    await api.events.delete({ calendarId: cal, eventId: 'snc00002' });
    await api.events.insert({ calendarId: cal, requestBody: event('snc00003', '2027-06-01T09:00:00Z', '2027-06-01T10:00:00Z') });
    // Changes made directly in the store are seen too.
    const direct = fake.events(cal).get('snc00003')!;
    fake.events(cal).set('snc00003', { ...direct, summary: 'edited in store', etag: '"direct"' });

    const incr = await api.events.list({ calendarId: cal, syncToken: token1, maxResults: 2 });
    const rest = await api.events.list({ calendarId: cal, syncToken: token1, pageToken: incr.data.nextPageToken! });
    const changed = [...incr.data.items!, ...rest.data.items!];
    expect(incr.data.nextSyncToken).toBeUndefined();
    expect(changed.map((e) => [e.id, e.status, e.summary])).toEqual([
      ['snc00001', 'confirmed', 'moved'],
      ['snc00002', 'cancelled', 'event snc00002'],
      ['snc00003', 'confirmed', 'edited in store'],
    ]);
    const token2 = rest.data.nextSyncToken!;
    expect(token2).toBeTruthy();
    expect((await api.events.list({ calendarId: cal, syncToken: token2 })).data.items).toEqual([]);

    // Without a sync token, cancelled events stay hidden unless showDeleted.
    expect((await api.events.list({ calendarId: cal })).data.items!.map((e) => e.id).sort()).toEqual(['snc00001', 'snc00003']);

    const withWindow = await statusOf(api.events.list({ calendarId: cal, syncToken: token2, timeMin: '2026-12-01T00:00:00Z' }));
    expect(withWindow.status).toBe(400);

    fake.expireSyncTokens();
    const gone = await statusOf(api.events.list({ calendarId: cal, syncToken: token2 }));
    expect(gone).toMatchObject({ status: 410, data: { error: { code: 410, errors: [{ reason: 'fullSyncRequired', domain: 'global' }] } } });
    const bogus = await statusOf(api.events.list({ calendarId: cal, syncToken: 'made-up' }));
    expect(bogus.status).toBe(410);
  });

  it('injects faults (Google error bodies, counted) and latency', async () => {
    const { api } = await connected();
    fake.fail({ method: 'POST', path: /\/events$/ }, { status: 403, reason: 'rateLimitExceeded', times: 2 });
    const body = event('fault0001', '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z');
    for (let i = 0; i < 2; i++) {
      const r = await statusOf(api.events.insert({ calendarId: 'primary', requestBody: body }));
      expect(r).toMatchObject({
        status: 403,
        data: { error: { code: 403, message: 'Rate Limit Exceeded', errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded' }] } },
      });
    }
    expect((await api.events.insert({ calendarId: 'primary', requestBody: body })).status).toBe(200);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/events')).map((r) => r.status)).toEqual([403, 403, 200]);

    // GET faults: 500 backendError then 429; disable the client's own retry to see them.
    fake.fail({ method: 'GET', path: /\/events\/fault0001$/ }, { status: 500, reason: 'backendError' });
    fake.fail({ path: /\/events\/fault0001$/ }, { status: 429 });
    const e500 = await statusOf(api.events.get({ calendarId: 'primary', eventId: 'fault0001' }, { retry: false }));
    expect(e500).toMatchObject({ status: 500, data: { error: { errors: [{ reason: 'backendError', domain: 'global' }] } } });
    const e429 = await statusOf(api.events.get({ calendarId: 'primary', eventId: 'fault0001' }, { retry: false }));
    expect(e429).toMatchObject({ status: 429, data: { error: { errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits' }] } } });
    // With the client's default retry, a transient 503 is absorbed.
    fake.fail({ method: 'GET' }, { status: 503, reason: 'backendError' });
    expect((await api.events.get({ calendarId: 'primary', eventId: 'fault0001' })).data.id).toBe('fault0001');

    fake.fail({ path: /^\/token$/ }, { status: 500 });
    const grantsBefore = fake.tokenGrants.length;
    const tokenFault = await fetch(fake.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }),
    });
    expect(tokenFault.status).toBe(500);
    expect(fake.tokenGrants.slice(grantsBefore).map((g) => g.grant_type)).toEqual(['refresh_token']);

    fake.latencyMs = 150;
    const t0 = Date.now();
    await api.events.get({ calendarId: 'primary', eventId: 'fault0001' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('reset clears events, requests, faults and sync tokens but keeps calendars and clients', async () => {
    const { api } = await connected();
    await api.events.insert({ calendarId: 'primary', requestBody: event('reset0001', '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z') });
    const token = (await api.events.list({ calendarId: 'primary' })).data.nextSyncToken!;
    fake.fail({ method: 'GET', path: /calendarList/ }, { status: 500, times: 5 });
    fake.reset();
    expect(fake.events('primary').size).toBe(0);
    expect(fake.requests).toEqual([]);
    expect((await api.calendarList.list()).data.items!.length).toBe(fake.calendars.size);
    expect((await statusOf(api.events.list({ calendarId: 'primary', syncToken: token }))).status).toBe(410);
    // The same id can be inserted again after a reset.
    expect((await api.events.insert({ calendarId: 'primary', requestBody: event('reset0001', '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z') })).status).toBe(200);
  });
});
