import { expect, test } from '@playwright/test';
import { signUpFresh } from './helpers';

test('Billing shows plan and modules; Upgrade reaches Stripe Checkout; Manage billing explains what is missing', async ({ page }) => {
  await signUpFresh(page, 'Bill Payer', 'billing');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Billing' }).click();
  await expect(page.getByRole('heading', { name: 'Billing', level: 1 })).toBeVisible();
  const plan = page.getByTestId('plan');
  await expect(plan).toContainText('Free');
  await expect(plan).toContainText('no subscription');
  for (const name of ['adaptive-frequency', 'smart-habits', 'smart-1to1', 'auto-rescheduler', 'priority-engine', 'ai-inbox']) {
    await expect(page.getByTestId(`module-${name}`)).toContainText('Off');
  }

  // No Stripe customer yet: the portal cannot open, and the page says why next to the button.
  await page.getByRole('button', { name: 'Manage billing' }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText('no billing account yet: upgrade a module first');

  await page.getByRole('button', { name: 'Upgrade: adaptive-frequency' }).click();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/cs_test_/);
  await expect(page.getByRole('heading', { name: 'Fake Stripe checkout' })).toBeVisible();

  // Stripe sends the browser back here: a canceled checkout says so.
  await page.goto('/billing?checkout=canceled');
  await expect(page.getByRole('main').getByRole('status')).toHaveText('Checkout was canceled: nothing was charged.');
  // Now there is a customer, so the portal opens.
  await page.getByRole('button', { name: 'Manage billing' }).click();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/portal\/bps_/);
});
