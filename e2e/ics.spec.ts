import { expect, test } from '@playwright/test';
import { signUpFresh } from './helpers';

test('Settings: create the ICS feed URL, fetch it as text/calendar, rotate it, turn it off (404)', async ({ page }) => {
  await signUpFresh(page, 'Cal Feeder', 'ics');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Calendar feed (ICS)' })).toBeVisible();
  await expect(page.getByTestId('ics-feed-off')).toBeVisible();

  await page.getByRole('button', { name: 'Create feed URL' }).click();
  const field = page.getByLabel('Feed URL');
  await expect(field).toHaveValue(/^http:\/\/localhost:\d+\/api\/ics\/[A-Za-z0-9_-]{43}\.ics$/);
  const url = await field.inputValue();

  const feed = await page.request.get(url);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8');
  expect(await feed.text()).toMatch(/^BEGIN:VCALENDAR\r\n/);

  // The URL survives a reload.
  await page.reload();
  await expect(page.getByLabel('Feed URL')).toHaveValue(url);

  await page.getByRole('button', { name: 'Rotate URL' }).click();
  await expect(page.getByLabel('Feed URL')).not.toHaveValue(url);
  const rotated = await page.getByLabel('Feed URL').inputValue();
  expect((await page.request.get(url)).status()).toBe(404);
  expect((await page.request.get(rotated)).status()).toBe(200);

  await page.getByRole('button', { name: 'Turn off' }).click();
  await expect(page.getByRole('button', { name: 'Create feed URL' })).toBeVisible();
  await expect(page.getByLabel('Feed URL')).toHaveCount(0);
  expect((await page.request.get(rotated)).status()).toBe(404);
});
