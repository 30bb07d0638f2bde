import { expect, type Page, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, queryDatabase, screenshotLightAndDark, signUpFresh } from './helpers';
import { formatDate } from '../lib/format';

// Sign-up stores the browser's zone: "today" below is today in Berlin.
test.use({ timezoneId: 'Europe/Berlin' });

const todayInBerlin = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
const card = (page: Page, name: string) => page.getByTestId('habit-card').filter({ has: page.getByRole('heading', { name, exact: true }) });
const todayCell = (page: Page, name: string) => card(page, name).locator(`[data-date="${todayInBerlin()}"]`);

interface HabitRow {
  id: string;
  name: string;
  frequency: string;
  duration_minutes: number;
  preferred_time: string;
  archived_at: string | null;
}

async function storedHabits(email: string): Promise<HabitRow[] | null> {
  return queryDatabase<HabitRow>(
    `SELECT h.id, h.name, h.frequency::text, h.duration_minutes, h.preferred_time::text, h.archived_at
       FROM habits h JOIN users u ON u.id = h.user_id WHERE u.email = $1 ORDER BY h.created_at`,
    [email],
  );
}

async function storedCompletions(email: string, name: string): Promise<string[] | null> {
  const rows = await queryDatabase<{ local_date: string }>(
    `SELECT c.local_date::text FROM habit_completions c JOIN habits h ON h.id = c.habit_id JOIN users u ON u.id = h.user_id
      WHERE u.email = $1 AND h.name = $2 ORDER BY c.local_date`,
    [email, name],
  );
  return rows?.map((r) => r.local_date) ?? null;
}

test('create habits, log and back-date them, see the streak and the heat map, archive one; errors stay next to their field or roll back', async ({ page }, testInfo) => {
  const email = await signUpFresh(page, 'Habit Hana', 'habits');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Habits' }).click();
  await expect(page.getByRole('heading', { name: 'Habits', level: 1 })).toBeVisible();
  await expect(page.getByTestId('habits-empty')).toBeVisible();
  const onPostgres = (await storedHabits(email)) !== null;
  if (!onPostgres) expect(process.env.CI, 'CI runs the e2e suite on PostgreSQL').not.toBe('true');

  // Bad input: the message sits next to its field, everything typed stays, nothing is stored.
  const form = page.getByRole('region', { name: 'New habit' });
  await form.getByLabel('Name').fill('Meditate');
  await form.getByLabel('Preferred time').selectOption('morning');
  await form.getByLabel('Duration (minutes)').fill('0');
  await form.getByRole('button', { name: 'Create habit' }).click();
  await expect(page.locator('#field-durationMinutes-error')).toHaveText('duration must be between 1 and 480 minutes');
  await expect(form.getByLabel('Duration (minutes)')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Duration (minutes)')).toBeFocused();
  await expect(form.getByLabel('Name')).toHaveValue('Meditate');
  await expect(form.getByLabel('Preferred time')).toHaveValue('morning');
  await expect(page.getByTestId('toast-error').last()).toContainText('duration');

  // Custom N per week without N: the error moves to "Times per week".
  await form.getByLabel('Frequency').selectOption('custom');
  await form.getByLabel('Times per week').fill('');
  await form.getByLabel('Duration (minutes)').fill('10');
  await form.getByRole('button', { name: 'Create habit' }).click();
  await expect(page.locator('#field-timesPerWeek-error')).toContainText('timesPerWeek is required');
  await expect(page.locator('#field-durationMinutes-error')).toHaveCount(0);
  await expect(form.getByLabel('Name')).toHaveValue('Meditate');
  if (onPostgres) expect(await storedHabits(email)).toEqual([]);
  await expectNoSeriousA11yViolations(page);

  // Fixed: daily, created, and the form is empty again.
  await form.getByLabel('Frequency').selectOption('daily');
  await form.getByRole('button', { name: 'Create habit' }).click();
  await expect(page.getByTestId('toast-success').last()).toContainText('Created “Meditate”.');
  await expect(form.getByLabel('Name')).toHaveValue('');
  await expect(card(page, 'Meditate')).toContainText('daily · mornings · 10 min');
  await expect(card(page, 'Meditate').getByTestId('habit-status')).toHaveText('Due today');
  await expect(todayCell(page, 'Meditate')).toHaveAttribute('data-state', 'due');

  await form.getByLabel('Name').fill('Stretch');
  await form.getByLabel('Frequency').selectOption('custom');
  await form.getByLabel('Times per week').fill('3');
  await form.getByRole('button', { name: 'Create habit' }).click();
  await expect(card(page, 'Stretch')).toContainText('custom 3/wk');
  if (onPostgres) {
    expect(await storedHabits(email)).toMatchObject([
      { name: 'Meditate', frequency: 'daily', duration_minutes: 10, preferred_time: 'morning', archived_at: null },
      { name: 'Stretch', frequency: 'custom', duration_minutes: 15, preferred_time: 'anytime', archived_at: null },
    ]);
  }

  // Log today: streak 1, today's cell filled, stored; it survives a reload.
  await card(page, 'Meditate').getByRole('button', { name: 'Log Meditate for today' }).click();
  await expect(page.getByTestId('toast-success').last()).toContainText('Logged “Meditate” for today: streak 1.');
  await expect(card(page, 'Meditate').getByTestId('habit-streak')).toHaveText('1');
  await expect(todayCell(page, 'Meditate')).toHaveAttribute('data-state', 'done');
  await expect(todayCell(page, 'Meditate')).toHaveAttribute('title', `${formatDate(todayInBerlin())}: done`);
  await expect(card(page, 'Meditate').getByRole('img')).toHaveAttribute('aria-label', 'Meditate: 1 of 1 due days done in the last 12 weeks');
  await page.reload();
  await expect(card(page, 'Meditate').getByTestId('habit-streak')).toHaveText('1');
  await expect(card(page, 'Meditate').getByRole('button', { name: 'Meditate is logged for today' })).toBeDisabled();
  if (onPostgres) expect(await storedCompletions(email, 'Meditate')).toEqual([todayInBerlin()]);

  // A second log the same day (back-dated to today) is a conflict: toast, message at the date, nothing stored.
  const meditate = card(page, 'Meditate');
  await meditate.getByText('Log another day').click();
  await meditate.getByLabel('Day Meditate was done').fill(todayInBerlin());
  await meditate.getByRole('button', { name: 'Log Meditate for the chosen day' }).click();
  await expect(page.getByTestId('toast-error').last()).toContainText('Meditate: already logged today');
  await expect(meditate.getByRole('alert')).toHaveText('already logged today');
  await expect(meditate.getByLabel('Day Meditate was done')).toHaveValue(todayInBerlin());
  await expect(meditate.getByTestId('habit-streak')).toHaveText('1');
  // A day in the future is refused next to the date.
  const tomorrow = new Date(Date.now() + 36 * 3_600_000).toLocaleDateString('en-CA', { timeZone: 'Europe/Berlin' });
  await meditate.getByLabel('Day Meditate was done').fill(tomorrow);
  await meditate.getByRole('button', { name: 'Log Meditate for the chosen day' }).click();
  await expect(meditate.getByRole('alert')).toHaveText('date must not be in the future');
  if (onPostgres) expect(await storedCompletions(email, 'Meditate')).toEqual([todayInBerlin()]);

  // The server does not answer: the optimistic log rolls back with an error toast.
  await page.route('**/habits', (route) => (route.request().method() === 'POST' ? route.fulfill({ status: 500, body: 'down' }) : route.continue()));
  await card(page, 'Stretch').getByRole('button', { name: 'Log Stretch for today' }).click();
  await expect(page.getByTestId('toast-error').last()).toContainText('Stretch: Could not reach the server. Nothing was changed; please try again.');
  await expect(card(page, 'Stretch').getByTestId('habit-streak')).toHaveText('0');
  await expect(todayCell(page, 'Stretch')).toHaveAttribute('data-state', 'due');
  await expect(card(page, 'Stretch').getByRole('button', { name: 'Log Stretch for today' })).toBeEnabled();
  // …and so does an archive.
  await card(page, 'Stretch').getByRole('button', { name: 'Archive Stretch' }).click();
  await expect(page.getByTestId('toast-error').last()).toContainText('Could not reach the server');
  await expect(card(page, 'Stretch')).toBeVisible();
  await page.unroute('**/habits');
  if (onPostgres) expect(await storedCompletions(email, 'Stretch')).toEqual([]);

  await expectNoSeriousA11yViolations(page);
  await screenshotLightAndDark(page, testInfo, 'habits');

  // Archive: gone from the active list, listed (collapsed) under Archived with its history, stored.
  await card(page, 'Stretch').getByRole('button', { name: 'Archive Stretch' }).click();
  await expect(page.getByTestId('toast-success').last()).toContainText('Archived “Stretch”');
  await expect(card(page, 'Stretch')).toHaveCount(0);
  const archived = page.getByTestId('archived-habits');
  await expect(archived.getByText('Archived (1)')).toBeVisible();
  await expect(archived.getByRole('heading', { name: 'Stretch' })).toBeHidden();
  await archived.getByText('Archived (1)').click();
  await expect(archived.getByRole('heading', { name: 'Stretch' })).toBeVisible();
  await expect(archived.getByRole('img', { name: /^Stretch: / })).toBeVisible();
  await expect(archived).toContainText(`archived ${formatDate(todayInBerlin(), todayInBerlin())} ·`);
  if (onPostgres) expect((await storedHabits(email))?.find((h) => h.name === 'Stretch')?.archived_at).not.toBeNull();
  await page.reload();
  await expect(card(page, 'Stretch')).toHaveCount(0);
  await expect(page.getByTestId('archived-habits')).toContainText('Archived (1)');
  await expectNoSeriousA11yViolations(page);

  // A phone: no sideways scrolling.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  await expect(card(page, 'Meditate')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});
