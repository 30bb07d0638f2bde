import { expect, type Page, test } from '@playwright/test';

const unique = () => `e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const password = 'a-good-long-password';

async function signUp(page: Page, email: string, options: { password?: string; timeZone?: string; name?: string } = {}) {
  await page.goto('/signup');
  await page.getByLabel('Name').fill(options.name ?? 'Ada Lovelace');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(options.password ?? password);
  if (options.timeZone !== undefined) await page.getByLabel('Time zone').fill(options.timeZone);
  await page.getByRole('button', { name: 'Create account' }).click();
}

test('sign up → signed in → empty Today → sign out → sign in again', async ({ page }) => {
  const email = unique();
  await signUp(page, email, { timeZone: 'Europe/Berlin' });

  await expect(page).toHaveURL(/\/today$/);
  await expect(page.getByRole('heading', { name: 'Today', exact: true })).toBeVisible();
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
  await expect(page.getByTestId('today-empty')).toContainText('Nothing planned for today yet.');
  await expect(page.getByText('Europe/Berlin')).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto('/today');
  await expect(page).toHaveURL(/\/signin$/); // signed out for real

  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText('That email and password do not match an account.');

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/today$/);
  await expect(page.getByTestId('today-empty')).toBeVisible();
});

test('sign-up errors show next to the field and keep what was typed', async ({ page }) => {
  const email = unique();
  await signUp(page, email, { password: 'short', name: 'Grace Hopper' });
  await expect(page.locator('#field-password-error')).toHaveText('password must be at least 8 characters');
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Name')).toHaveValue('Grace Hopper');

  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Time zone').fill('Mars/Olympus_Mons');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#field-timeZone-error')).toContainText('unknown time zone');
  await expect(page.getByLabel('Time zone')).toHaveValue('Mars/Olympus_Mons');
  await expect(page.getByLabel('Email')).toHaveValue(email);

  // A taken email.
  const taken = unique();
  await signUp(page, taken);
  await expect(page).toHaveURL(/\/today$/);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await signUp(page, taken);
  await expect(page.locator('#field-email-error')).toHaveText('an account with this email already exists');
  await expect(page.getByLabel('Email')).toHaveValue(taken);
});

test('a personal access token created in Settings works on the API, and a bad one gets 401 JSON', async ({ page, request }) => {
  const email = unique();
  await signUp(page, email);
  await expect(page).toHaveURL(/\/today$/);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Token name').fill('e2e');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
  expect(token).toMatch(/^orb_pat_/);
  await expect(page.getByRole('cell', { name: 'e2e', exact: true })).toBeVisible();

  const ok = await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ user: { email }, auth: { via: 'token' } });

  const bad = await request.get('/api/v1/me', { headers: { Authorization: 'Bearer orb_pat_not-a-real-token' } });
  expect(bad.status()).toBe(401);
  expect(bad.headers()['www-authenticate']).toBe('Bearer');
  expect(await bad.json()).toEqual({ error: { code: 'unauthorized', message: 'invalid, expired or revoked token' } });

  // Revoked in Settings → refused.
  await page.getByRole('button', { name: 'Revoke token e2e' }).click();
  await expect(page.getByText('revoked')).toBeVisible();
  expect((await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(401);

  // No credentials at all.
  const anonymous = await request.get('/api/v1/me');
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).error.code).toBe('unauthorized');
});

test('the health route answers', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });
});
