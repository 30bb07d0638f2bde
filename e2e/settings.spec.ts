import { expect, type Page, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, queryDatabase, screenshotLightAndDark, signUpFresh } from './helpers';

// The browser's zone: sign-up stores it, and "Use my browser's time zone" brings it back.
test.use({ timezoneId: 'Europe/Berlin' });

const profile = (page: Page) => page.getByRole('region', { name: 'Profile' });
const row = (page: Page, weekday: string) => page.getByTestId(`working-hours-${weekday.toLowerCase()}`);

interface HoursRow {
  weekday: number;
  start_minute: number;
  end_minute: number;
}

async function storedProfile(email: string) {
  const users = await queryDatabase<{ id: string; time_zone: string; personal_start_minute: number; personal_end_minute: number }>(
    'SELECT id, time_zone, personal_start_minute, personal_end_minute FROM users WHERE email = $1',
    [email],
  );
  if (!users) return null; // the embedded database: CI always checks on PostgreSQL
  const hours = await queryDatabase<HoursRow>('SELECT weekday, start_minute, end_minute FROM working_hours WHERE user_id = $1 ORDER BY weekday', [users[0].id]);
  return { ...users[0], hours: hours ?? [] };
}

test('change the time zone and Tuesday hours, reload: saved in the page and the database; errors stay next to their row', async ({ page }, testInfo) => {
  const email = await signUpFresh(page, 'Set Tings', 'settings');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();

  // The defaults: the zone picked at sign-up, Monday–Friday 09:00–17:00, personal 07:00–21:00.
  const zone = profile(page).getByLabel('Time zone');
  await expect(zone).toHaveValue('Europe/Berlin');
  await expect(profile(page).getByLabel('Monday working day')).toBeChecked();
  await expect(profile(page).getByLabel('Sunday working day')).not.toBeChecked();
  await expect(profile(page).getByLabel('Sunday start')).toBeDisabled();
  await expect(profile(page).getByLabel('Tuesday start')).toHaveValue('09:00');

  // Change the zone, Tuesday's hours, make Friday a day off and Saturday a short working day.
  await zone.selectOption('America/New_York');
  await profile(page).getByLabel('Tuesday start').fill('10:30');
  await profile(page).getByLabel('Tuesday end').fill('18:45');
  await profile(page).getByLabel('Friday working day').uncheck();
  await profile(page).getByLabel('Saturday working day').check();
  await profile(page).getByLabel('Saturday start').fill('10:00');
  await profile(page).getByLabel('Saturday end').fill('00:00'); // midnight at the end of the day
  await profile(page).getByLabel('Personal hours start').fill('06:30');
  await profile(page).getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('toast-success').last()).toHaveText(/Settings saved/);

  await page.reload();
  await expect(zone).toHaveValue('America/New_York');
  await expect(profile(page).getByLabel('Tuesday start')).toHaveValue('10:30');
  await expect(profile(page).getByLabel('Tuesday end')).toHaveValue('18:45');
  await expect(profile(page).getByLabel('Friday working day')).not.toBeChecked();
  await expect(profile(page).getByLabel('Saturday end')).toHaveValue('24:00'); // typed as 00:00, shown as the end of the day
  await expect(profile(page).getByLabel('Personal hours start')).toHaveValue('06:30');
  const saved = await storedProfile(email);
  if (saved) {
    expect(saved).toMatchObject({ time_zone: 'America/New_York', personal_start_minute: 390, personal_end_minute: 1260 });
    expect(saved.hours).toEqual([
      { weekday: 1, start_minute: 540, end_minute: 1020 },
      { weekday: 2, start_minute: 630, end_minute: 1125 },
      { weekday: 3, start_minute: 540, end_minute: 1020 },
      { weekday: 4, start_minute: 540, end_minute: 1020 },
      { weekday: 6, start_minute: 600, end_minute: 1440 },
    ]);
  } else {
    expect(process.env.CI, 'CI runs the e2e suite on PostgreSQL').not.toBe('true');
  }

  await expectNoSeriousA11yViolations(page);
  await screenshotLightAndDark(page, testInfo, 'settings');

  // Invalid hours: the message sits under the Wednesday row, everything typed stays, nothing is stored.
  await profile(page).getByLabel('Wednesday start').fill('17:00');
  await profile(page).getByLabel('Wednesday end').fill('09:00');
  await zone.selectOption('Asia/Tokyo');
  await profile(page).getByRole('button', { name: 'Save profile' }).click();
  await expect(row(page, 'Wednesday').getByRole('alert')).toHaveText('Wednesday: end must be after start');
  await expect(page.getByTestId('toast-error').last()).toContainText('Wednesday: end must be after start');
  await expect(profile(page).getByLabel('Wednesday end')).toHaveAttribute('aria-invalid', 'true');
  await expect(profile(page).getByLabel('Wednesday start')).toHaveValue('17:00');
  await expect(profile(page).getByLabel('Wednesday end')).toHaveValue('09:00');
  await expect(zone).toHaveValue('Asia/Tokyo');
  await expect(row(page, 'Tuesday').getByRole('alert')).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
  const unchanged = await storedProfile(email);
  if (unchanged) {
    expect(unchanged.time_zone).toBe('America/New_York');
    expect(unchanged.hours.find((h) => h.weekday === 3)).toEqual({ weekday: 3, start_minute: 540, end_minute: 1020 });
  }

  // Fixed and saved: the row's error goes away.
  await profile(page).getByLabel('Wednesday end').fill('19:00');
  await profile(page).getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('toast-success').last()).toHaveText(/Settings saved/);
  await expect(row(page, 'Wednesday').getByRole('alert')).toHaveCount(0);
  expect((await storedProfile(email))?.time_zone ?? 'Asia/Tokyo').toBe('Asia/Tokyo');

  // The server does not answer: an error toast, the inputs keep what was typed, nothing is stored.
  await page.route('**/settings', (route) => (route.request().method() === 'POST' ? route.fulfill({ status: 500, body: 'down' }) : route.continue()));
  await profile(page).getByRole('button', { name: 'Use my browser’s time zone' }).click();
  await expect(zone).toHaveValue('Europe/Berlin');
  await profile(page).getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('toast-error').last()).toContainText('Could not save your settings');
  await expect(zone).toHaveValue('Europe/Berlin');
  expect((await storedProfile(email))?.time_zone ?? 'Asia/Tokyo').toBe('Asia/Tokyo');
  await page.unroute('**/settings');

  // A phone: no sideways scrolling.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  await expect(profile(page).getByLabel('Monday start')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await screenshotLightAndDark(page, testInfo, 'settings-phone');
});
