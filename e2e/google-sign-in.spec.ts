import { expect, type Page, test } from '@playwright/test';
import { controlUrl, signUpFresh } from './helpers';

// "Continue with Google" against the fake Google of e2e/server.ts. The control server's
// POST /google/identity chooses who the fake's consent page signs in as, and whether Google says
// the email is verified (issue 18 §2).

const consentUrl = /^http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?/;
const password = 'a-good-long-password';

async function signInAsAtGoogle(page: Page, identity: { email?: string; email_verified?: boolean; name?: string }) {
  const response = await page.request.post(`${controlUrl}/google/identity`, { data: identity });
  expect(response.ok(), await response.text()).toBe(true);
}

/** On the sign-in page: Continue with Google → the fake's consent page → Allow. */
async function continueWithGoogle(page: Page) {
  await page.getByRole('button', { name: 'Continue with Google' }).click();
  await expect(page).toHaveURL(consentUrl);
  await page.getByRole('button', { name: 'Allow' }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
}

const googleSection = (page: Page) => page.getByRole('region', { name: 'Google sign-in' });

test.afterEach(async ({ page }) => {
  await signInAsAtGoogle(page, {}); // the other specs' account again
});

test('an unverified Google email is not linked to the password account: the sign-in page says why; Link Google sign-in in Settings does it', async ({ page }) => {
  const email = await signUpFresh(page, 'Uma Unverified', 'gunverified');
  await signOut(page);

  await signInAsAtGoogle(page, { email, email_verified: false });
  await continueWithGoogle(page);
  await expect(page).toHaveURL(/\/signin\?error=GoogleEmailUnverified$/);
  await expect(page.getByTestId('sign-in-notice')).toContainText('Google has not verified that email address');
  await expect(page.getByTestId('sign-in-notice')).toContainText('Sign in with your email and password, then connect Google from Settings');
  await page.goto('/today');
  await expect(page).toHaveURL(/\/signin$/); // not signed in

  // The password still works, and Settings links the same Google account on purpose.
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/today$/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await googleSection(page).getByRole('button', { name: 'Link Google sign-in' }).click();
  await expect(page).toHaveURL(consentUrl);
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page).toHaveURL(/\/settings$/); // the ?google=linked flag is read, then dropped
  await expect(googleSection(page).getByRole('status')).toHaveText('Google sign-in linked: you can now sign in with Google too.');
  await expect(googleSection(page)).toContainText('A Google account is linked');
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);

  // From now on Google signs in to this account.
  await signOut(page);
  await continueWithGoogle(page);
  await expect(page).toHaveURL(/\/today$/);
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
});

test('a verified Google email signs in to the password account that has it', async ({ page }) => {
  const email = await signUpFresh(page, 'Vera Verified', 'gverified');
  await signOut(page);
  await signInAsAtGoogle(page, { email, email_verified: true });
  await continueWithGoogle(page);
  await expect(page).toHaveURL(/\/today$/);
  await expect(page.getByTestId('signed-in-as')).toHaveText(email);
});

test.describe('a brand-new Google account', () => {
  // A zone whose name Chromium reports as it is (Asia/Kolkata would come back as Asia/Calcutta).
  test.use({ timezoneId: 'America/Sao_Paulo' });

  test("is made in the browser's time zone", async ({ page }) => {
    const email = `e2e-gnew-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
    await signInAsAtGoogle(page, { email, email_verified: true, name: 'Neel New' });
    await page.goto('/signin');
    await continueWithGoogle(page);
    await expect(page).toHaveURL(/\/today$/);
    await expect(page.getByTestId('signed-in-as')).toHaveText(email);
    await expect(page.getByText('America/Sao_Paulo')).toBeVisible();
  });
});
