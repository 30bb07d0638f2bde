import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startGoogleLinkAction } from '../../app/(dashboard)/settings/google-sign-in-actions';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { createUser } from '../../lib/identity/users';
import { type FakeGoogle, startFakeGoogle } from '../fakes/google/server';
import { applyFakeGoogleEnv } from '../helpers/calendar';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { requestScope } from '../helpers/next-headers';
import { TestBrowser } from '../helpers/next-request';

/**
 * Google sign-in end to end, in process: next-auth's real route handler and Google provider against
 * the loopback fake Google (consent page, token endpoint, RS256-signed ID tokens checked against its
 * JWKS), on a real database. Issue 18 §2: an email is linked only when Google verified it.
 */
vi.mock('next/headers', async () => (await import('../helpers/next-headers')).nextHeaders);
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

const appUrl = 'http://localhost:3000';
const password = `Correct-Horse-${randomBytes(6).toString('hex')}`;
let database: TestDatabase;
let google: FakeGoogle;
let restoreEnv = () => {};

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  google = await startFakeGoogle();
  restoreEnv = applyFakeGoogleEnv(google, { NEXTAUTH_URL: appUrl, NEXTAUTH_SECRET: `nextauth-${randomBytes(16).toString('hex')}` });
});
beforeEach(() => google.reset());
afterAll(async () => {
  restoreEnv();
  await google?.close();
  await disconnectDb();
  await database?.drop();
});

const uniqueEmail = (tag: string) => `${tag}-${randomBytes(4).toString('hex')}@example.com`;

const unescapeHtml = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

/**
 * "Continue with Google" as a browser does it: next-auth's sign-in POST, the fake's consent page
 * (its form, with Allow), then the callback back at Orbita. Returns where the callback sends the browser.
 */
async function signInWithGoogle(browser: TestBrowser, callbackUrl = `${appUrl}/today`): Promise<string> {
  const started = await browser.authForm('signin/google', { callbackUrl });
  const consentUrl = new URL(((await started.json()) as { url: string }).url);
  expect(consentUrl.origin).toBe(google.url);
  const page = await fetch(consentUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(name, unescapeHtml(value));
  form.set('decision', 'allow');
  const approved = await fetch(`${google.url}/o/oauth2/v2/auth/approve`, { method: 'POST', body: form, redirect: 'manual' });
  expect(approved.status).toBe(302);
  const callback = new URL(approved.headers.get('location')!);
  expect(callback.pathname).toBe('/api/auth/callback/google');
  const done = await browser.auth('GET', `callback/google${callback.search}`);
  expect(done.status).toBe(302);
  return new URL(done.headers.get('location')!, appUrl).toString();
}

async function passwordUser(tag: string) {
  const email = uniqueEmail(tag);
  const user = await createUser(database.db, { email, password, name: 'Pat Password', timeZone: 'Europe/Berlin' });
  const row = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
  return { email, user, row };
}

async function passwordSignIn(email: string): Promise<string | null> {
  const browser = new TestBrowser(appUrl);
  await browser.authForm('callback/credentials', { email, password });
  return (await browser.session())?.user?.id ?? null;
}

const googleAccounts = (sub: string) => database.db.account.findMany({ where: { provider: 'google', providerAccountId: sub } });

describe('Google sign-in with the email of an existing password account', () => {
  it('verified by Google: the Google account is linked to it and signs in as that user', async () => {
    const { email, user } = await passwordUser('verified');
    const identity = google.signInAs({ email, email_verified: true, name: 'Pat at Google' });
    const browser = new TestBrowser(appUrl);

    expect(await signInWithGoogle(browser)).toBe(`${appUrl}/today`);
    expect(google.requests.some((r) => r.path === '/oauth2/v3/certs'), 'the ID token was checked against the JWKS').toBe(true);
    expect((await browser.session())?.user?.id).toBe(user.id);
    expect(await googleAccounts(identity.sub)).toEqual([expect.objectContaining({ userId: user.id, type: 'oauth' })]);
    expect(await database.db.user.count({ where: { email } })).toBe(1);

    // Next time the link itself signs in, whatever the email says by then.
    google.signInAs({ email: uniqueEmail('renamed'), email_verified: false, sub: identity.sub });
    const again = new TestBrowser(appUrl);
    expect(await signInWithGoogle(again)).toBe(`${appUrl}/today`);
    expect((await again.session())?.user?.id).toBe(user.id);
  });

  it('not verified: refused with the reason on the sign-in page; no Account row; the password account untouched', async () => {
    const { email, user, row } = await passwordUser('unverified');
    const identity = google.signInAs({ email, email_verified: false });
    const browser = new TestBrowser(appUrl);

    expect(await signInWithGoogle(browser)).toBe(`${appUrl}/signin?error=GoogleEmailUnverified`);
    expect(await browser.session()).toBeNull();
    expect(browser.jar.has('next-auth.session-token')).toBe(false);
    expect(await googleAccounts(identity.sub)).toEqual([]);
    expect(await database.db.account.count({ where: { userId: user.id } })).toBe(0);
    expect(await database.db.user.findUniqueOrThrow({ where: { id: user.id } })).toEqual(row);
    expect(await database.db.user.count({ where: { email } })).toBe(1);
    expect(await passwordSignIn(email)).toBe(user.id);
  });

  it('an email_verified claim that is missing counts as not verified', async () => {
    const { email, user } = await passwordUser('missing-claim');
    google.signInAs({ email, email_verified: null });
    expect(await signInWithGoogle(new TestBrowser(appUrl))).toBe(`${appUrl}/signin?error=GoogleEmailUnverified`);
    expect(await database.db.account.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe('what Google sends that Orbita cannot take', () => {
  it('ends on the sign-in page with "try again", never an error page: nothing is written', async () => {
    const email = uniqueEmail('odd');
    google.signInAs({ email, sub: 'x'.repeat(300) }); // longer than any Google account id
    const browser = new TestBrowser(appUrl);
    expect(await signInWithGoogle(browser)).toBe(`${appUrl}/signin?error=Callback`);
    expect(await browser.session()).toBeNull();
    expect(await database.db.user.count({ where: { email } })).toBe(0);
  });
});

describe('a brand-new Google account', () => {
  it("is made in the zone the sign-in page recorded from the browser, UTC when that is no zone", async () => {
    const email = uniqueEmail('new-zone');
    const identity = google.signInAs({ email, name: 'Nia New' });
    const browser = new TestBrowser(appUrl);
    browser.jar.set('orbita.signin-tz', 'America/Sao_Paulo');
    expect(await signInWithGoogle(browser)).toBe(`${appUrl}/today`);
    const created = await database.db.user.findUniqueOrThrow({ where: { email }, include: { workingHours: true, accounts: true } });
    expect(created).toMatchObject({ name: 'Nia New', timeZone: 'America/Sao_Paulo', passwordHash: null, emailVerified: expect.any(Date) });
    expect(created.workingHours).toHaveLength(5);
    expect(created.accounts).toEqual([expect.objectContaining({ provider: 'google', providerAccountId: identity.sub })]);
    expect((await browser.session())?.user?.id).toBe(created.id);

    const other = uniqueEmail('bad-zone');
    google.signInAs({ email: other });
    const second = new TestBrowser(appUrl);
    second.jar.set('orbita.signin-tz', 'Mars/Olympus_Mons');
    expect(await signInWithGoogle(second)).toBe(`${appUrl}/today`);
    expect((await database.db.user.findUniqueOrThrow({ where: { email: other } })).timeZone).toBe('UTC');
  });

  it('with an unverified email signs in, but the account does not claim the address', async () => {
    const email = uniqueEmail('new-unverified');
    const identity = google.signInAs({ email, email_verified: false });
    const browser = new TestBrowser(appUrl);
    expect(await signInWithGoogle(browser)).toBe(`${appUrl}/today`);
    const [account] = await googleAccounts(identity.sub);
    const created = await database.db.user.findUniqueOrThrow({ where: { id: account.userId } });
    expect(created).toMatchObject({ email: null, emailVerified: null, timeZone: 'UTC' });
    expect(await database.db.user.count({ where: { email } })).toBe(0);
    // The address stays free for its owner.
    expect((await createUser(database.db, { email, password })).email).toBe(email);
  });
});

describe('Settings → Link Google sign-in', () => {
  /** A password user signed in in `browser`, who then presses "Link Google sign-in". */
  async function startLink(browser: TestBrowser, tag: string) {
    const { email, user } = await passwordUser(tag);
    await browser.authForm('callback/credentials', { email, password });
    expect((await browser.session())?.user?.id).toBe(user.id);
    browser.request('/settings', { method: 'POST', headers: { origin: appUrl } });
    expect(await startGoogleLinkAction()).toEqual({ ok: true });
    browser.store();
    expect(browser.jar.has('orbita.link-google')).toBe(true);
    return user;
  }

  it('links whichever Google account comes back to the signed-in user, even with another, unverified email', async () => {
    const browser = new TestBrowser(appUrl);
    const user = await startLink(browser, 'linker');
    const identity = google.signInAs({ email: uniqueEmail('elsewhere'), email_verified: false });
    expect(await signInWithGoogle(browser, `${appUrl}/settings?google=linked`)).toBe(`${appUrl}/settings?google=linked`);
    expect(await googleAccounts(identity.sub)).toEqual([expect.objectContaining({ userId: user.id })]);
    expect((await browser.session())?.user?.id).toBe(user.id);
    expect(browser.jar.has('orbita.link-google')).toBe(false); // used once

    // That Google account now signs in to this user from anywhere.
    const elsewhere = new TestBrowser(appUrl);
    expect(await signInWithGoogle(elsewhere)).toBe(`${appUrl}/today`);
    expect((await elsewhere.session())?.user?.id).toBe(user.id);

    // Another user cannot take it over.
    const intruder = new TestBrowser(appUrl);
    const other = await startLink(intruder, 'intruder');
    expect(await signInWithGoogle(intruder, `${appUrl}/settings?google=linked`)).toBe(`${appUrl}/settings?google=account_in_use`);
    expect(await googleAccounts(identity.sub)).toEqual([expect.objectContaining({ userId: user.id })]);
    expect(await database.db.account.count({ where: { userId: other.id } })).toBe(0);
  });

  it('an intent without the session that made it is ignored: an ordinary sign-in follows (here: refused)', async () => {
    const browser = new TestBrowser(appUrl);
    const { email } = await passwordUser('bystander');
    await startLink(browser, 'left-behind');
    // Signed out, then someone else's Google account on the same browser.
    for (const name of [...browser.jar.keys()]) if (name.includes('session-token')) browser.jar.delete(name);
    const identity = google.signInAs({ email, email_verified: false });
    expect(await signInWithGoogle(browser)).toBe(`${appUrl}/signin?error=GoogleEmailUnverified`);
    expect(await googleAccounts(identity.sub)).toEqual([]);
  });

  it('a forged intent cookie links nothing', async () => {
    const { email } = await passwordUser('forged');
    const browser = new TestBrowser(appUrl);
    await browser.authForm('callback/credentials', { email, password });
    browser.jar.set('orbita.link-google', 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..forged.forged.forged');
    const identity = google.signInAs({ email: uniqueEmail('forger'), email_verified: false });
    expect(await signInWithGoogle(browser)).toBe(`${appUrl}/today`); // an ordinary sign-in: a new account
    const [account] = await googleAccounts(identity.sub);
    expect((await database.db.user.findUniqueOrThrow({ where: { id: account.userId } })).email).toBeNull();
    expect(requestScope.setCookies).toEqual([]);
  });
});
