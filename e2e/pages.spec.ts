import { expect, test } from '@playwright/test';
import { controlUrl, expectNoSeriousA11yViolations, screenshotLightAndDark, signUpFresh } from './helpers';

// Every page of the product, as a brand-new user sees it (empty states), checked with axe in light
// and dark mode, screenshotted in both, and at phone width. The page specs (today, week, tasks, …)
// do the same with data on the page.

const dashboardPages = ['/today', '/week', '/tasks', '/habits', '/meetings', '/billing', '/settings'];

test('sign-in and sign-up pages are accessible in light and dark mode', async ({ page }, testInfo) => {
  for (const path of ['/signin', '/signup']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await screenshotLightAndDark(page, testInfo, path.slice(1));
  }
});

test('every dashboard page renders its empty state accessibly, on a desktop and on a phone', async ({ page }, testInfo) => {
  const email = await signUpFresh(page, 'Empty Ellie', 'pages');
  const admin = await fetch(`${controlUrl}/admin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  const pages = admin.ok ? [...dashboardPages, '/operations'] : dashboardPages;
  if (!admin.ok) expect(process.env.CI, 'CI runs the e2e suite on PostgreSQL, where the admin page is checked').not.toBe('true');

  for (const path of pages) {
    await page.setViewportSize({ width: 1280, height: 900 });
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.locator('nav[aria-label="Main"] [aria-current="page"]')).toHaveAttribute('href', path);
    await expectNoSeriousA11yViolations(page);
    await screenshotLightAndDark(page, testInfo, `empty-${path.slice(1)}`);

    await page.setViewportSize({ width: 375, height: 800 });
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} scrolls sideways on a phone`).toBeLessThanOrEqual(0);
  }
});

test('keyboard users can skip to the content and see where focus is', async ({ page }) => {
  await signUpFresh(page, 'Keyboard Kim', 'keys');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  const outline = await skip.evaluate((element) => getComputedStyle(element).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});
