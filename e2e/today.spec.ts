import { expect, type Locator, type Page, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, queryDatabase, screenshotLightAndDark, signUpFresh } from './helpers';

const quickAdd = (page: Page) => page.getByRole('textbox', { name: 'Quick add' });
const block = (page: Page, title: string) => page.getByTestId('timeline-block').filter({ hasText: title });
const successToast = (page: Page) => page.getByTestId('toast-success');
const errorToast = (page: Page) => page.getByTestId('toast-error');

/** A personal access token made in Settings (for the API calls that set up what other pages own). */
async function createToken(page: Page): Promise<string> {
  await page.goto('/settings');
  await page.getByLabel('Token name').fill('today e2e');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
  expect(token).not.toBe('');
  return token;
}

/** Working hours all day, every day, so "Plan my day" has room whatever the time of the run (Settings belongs to another page's spec). */
async function workAllDay(page: Page, token: string) {
  const response = await page.request.patch('/api/v1/me', {
    headers: { authorization: `Bearer ${token}` },
    data: { workingHours: Array.from({ length: 7 }, () => ({ start: '00:00', end: '24:00' })) },
  });
  expect(response.ok(), await response.text()).toBe(true);
}

async function addTask(page: Page, text: string, title: string) {
  await quickAdd(page).fill(text);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(successToast(page).filter({ hasText: `Added task “${title}”` })).toBeVisible();
  await expect(quickAdd(page)).toHaveValue('');
}

/** The block's row in the database, found by title for this user. */
async function blockRow(email: string, title: string) {
  const rows = await queryDatabase<{ id: string; status: string; start_at: string }>(
    'select b.id, b.status, b.start_at::text as start_at from schedule_blocks b join users u on u.id = b.user_id where u.email = $1 and b.title = $2',
    [email, title],
  );
  return rows;
}

const blockTime = (locator: Locator) => locator.getByTestId('block-time').textContent();

test('today: quick add, plan my day, complete / move / remove blocks, habits', async ({ page }, testInfo) => {
  const email = await signUpFresh(page, 'Toda Y', 'today');
  const token = await createToken(page);
  await workAllDay(page, token);
  await page.goto('/today');
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
  await expect(page.getByTestId('today-empty')).toContainText('Nothing planned for today yet.');

  // Quick add shows what it understood before anything is sent.
  await quickAdd(page).fill('Write report 45m !high tomorrow');
  await expect(page.getByTestId('quick-add-preview')).toContainText(/Write report · 45 min · high priority · due \w{3} \d{1,2} \w{3}/);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(successToast(page).filter({ hasText: 'Added task “Write report”' })).toBeVisible();
  await expect(quickAdd(page)).toHaveValue('');
  const tasks = await queryDatabase<{ duration_minutes: number; priority: string; due_is_tomorrow: boolean }>(
    `select t.duration_minutes, t.priority::text as priority,
            (t.due_at at time zone u.time_zone)::date = (now() at time zone u.time_zone)::date + 1 as due_is_tomorrow
       from tasks t join users u on u.id = t.user_id where u.email = $1 and t.title = 'Write report'`,
    [email],
  );
  if (tasks) expect(tasks).toEqual([{ duration_minutes: 45, priority: 'high', due_is_tomorrow: true }]);

  // Empty, then only tokens: the error is shown next to the field and the text stays.
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.locator('#quick-add-error')).toContainText('Add a title');
  await quickAdd(page).fill('45m !high');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.locator('#quick-add-error')).toContainText('Add a title');
  await expect(quickAdd(page)).toHaveValue('45m !high');
  await expect(quickAdd(page)).toHaveAttribute('aria-invalid', 'true');
  await quickAdd(page).fill('');

  // A task due today, then Plan my day: placed items listed, blocks on the timeline and in the database.
  await addTask(page, 'Prepare slides 30m today', 'Prepare slides');
  const plan = page.getByRole('button', { name: 'Plan my day' });
  await plan.click();
  const placed = page.getByTestId('plan-placed');
  await expect(placed).toContainText('Prepare slides');
  await expect(placed).toContainText('Write report');
  await expect(page.getByTestId('plan-result')).toContainText('% of working time busy');
  await expect(block(page, 'Prepare slides')).toBeVisible();
  await expect(block(page, 'Write report')).toBeVisible();
  await expect(page.getByTestId('now-line')).toContainText(/Now \d{2}:\d{2}/);
  const planned = await blockRow(email, 'Prepare slides');
  if (planned) expect(planned).toMatchObject([{ status: 'planned' }]);

  // Complete: shown at once, stored.
  await block(page, 'Prepare slides').getByRole('button', { name: 'Complete Prepare slides' }).click();
  await expect(block(page, 'Prepare slides')).toHaveAttribute('data-status', 'completed');
  await expect(block(page, 'Prepare slides')).toContainText('Completed');
  await expect(successToast(page).filter({ hasText: 'Completed “Prepare slides”' })).toBeVisible();
  await expect.poll(async () => (await blockRow(email, 'Prepare slides'))?.[0]?.status ?? 'completed').toBe('completed');

  // A failing request rolls the optimistic completion back and says so.
  await page.route('**/today', (route) => (route.request().method() === 'POST' ? route.abort() : route.continue()));
  await block(page, 'Write report').getByRole('button', { name: 'Complete Write report' }).click();
  await expect(errorToast(page).filter({ hasText: 'Could not complete “Write report”' })).toBeVisible();
  await expect(block(page, 'Write report')).toHaveAttribute('data-status', 'planned');
  await page.unroute('**/today');
  const stillPlanned = await blockRow(email, 'Write report');
  if (stillPlanned) expect(stillPlanned).toMatchObject([{ status: 'planned' }]);
  await errorToast(page).getByRole('button', { name: 'Dismiss notification' }).click();

  // Move onto another block: the server's conflict is shown and the block stays where it was.
  const writeReport = block(page, 'Write report');
  const before = await blockTime(writeReport);
  const slidesStart = ((await blockTime(block(page, 'Prepare slides'))) ?? '').slice(0, 5);
  await writeReport.getByRole('button', { name: 'Move Write report', exact: true }).click();
  await page.getByLabel('New start time').fill(slidesStart);
  await page.getByRole('button', { name: 'Save time' }).click();
  await expect(errorToast(page).filter({ hasText: 'overlaps' })).toBeVisible();
  await expect(writeReport.getByTestId('block-time')).toHaveText(before ?? '');
  await errorToast(page).getByRole('button', { name: 'Dismiss notification' }).click();

  // Move to a free time: the duration stays, the database has the new start.
  const target = Number((before ?? '00').slice(0, 2)) < 18 ? '21:00' : '02:00';
  const startBefore = (await blockRow(email, 'Write report'))?.[0]?.start_at;
  await writeReport.getByRole('button', { name: 'Move Write report', exact: true }).click();
  await page.getByLabel('New start time').fill(target);
  await page.getByRole('button', { name: 'Save time' }).click();
  await expect(successToast(page).filter({ hasText: `Moved “Write report” to ${target}` })).toBeVisible();
  await expect(writeReport.getByTestId('block-time')).toHaveText(`${target}–${target === '21:00' ? '21:45' : '02:45'}`);
  if (startBefore) await expect.poll(async () => (await blockRow(email, 'Write report'))?.[0]?.start_at).not.toBe(startBefore);

  // Habits due: created through the API with a token (the Habits page belongs to another spec), logged here.
  const created = await page.request.post('/api/v1/habits', { headers: { authorization: `Bearer ${token}` }, data: { name: 'Meditate', frequency: 'daily', durationMinutes: 10 } });
  expect(created.status(), await created.text()).toBe(201);
  // An event imported from a calendar (what calendar sync writes) is shown, but cannot be moved.
  const imported = await queryDatabase(
    `insert into schedule_blocks (id, user_id, type, title, start_at, end_at, source, external_calendar_id, external_event_id)
     select gen_random_uuid(), u.id, 'event', 'Dentist', (date_trunc('day', now() at time zone u.time_zone) + interval '1 hour') at time zone u.time_zone,
            (date_trunc('day', now() at time zone u.time_zone) + interval '2 hours') at time zone u.time_zone, 'imported', 'primary', 'e2e-dentist'
       from users u where u.email = $1 returning id`,
    [email],
    { write: true },
  );
  await page.goto('/today');
  if (imported) {
    const dentist = block(page, 'Dentist');
    await expect(dentist).toContainText('Event');
    await expect(dentist).toContainText('Imported');
    await expect(dentist.getByRole('button')).toHaveCount(0);
  }
  const habit = page.getByTestId('habit-due').filter({ hasText: 'Meditate' });
  await expect(habit).toContainText('No streak yet');
  await habit.getByRole('button', { name: 'Log Meditate' }).click();
  await expect(habit).toContainText('1-day streak');
  await expect(habit).toContainText('Done today');
  await expect(successToast(page).filter({ hasText: 'Logged “Meditate”' })).toBeVisible();
  const completions = await queryDatabase<{ count: number }>(
    'select count(*)::int as count from habit_completions c join users u on u.id = c.user_id where u.email = $1',
    [email],
  );
  if (completions) expect(completions).toEqual([{ count: 1 }]);

  // The page with data: accessibility, screenshots, then a phone.
  await expectNoSeriousA11yViolations(page);
  await screenshotLightAndDark(page, testInfo, 'today');
  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  await expect(block(page, 'Write report')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await screenshotLightAndDark(page, testInfo, 'today-phone');

  // Remove: gone at once, and from the database.
  await block(page, 'Write report').getByRole('button', { name: 'Remove Write report' }).click();
  await expect(block(page, 'Write report')).toHaveCount(0);
  await expect(successToast(page).filter({ hasText: 'Removed “Write report”' })).toBeVisible();
  await expect.poll(async () => (await blockRow(email, 'Write report'))?.length ?? 0).toBe(0);
});

test('today: plan my day with nothing to plan says so', async ({ page }) => {
  await signUpFresh(page, 'Empty Day', 'today-empty');
  await page.getByRole('button', { name: 'Plan my day' }).click();
  await expect(page.getByTestId('plan-result')).toContainText('Nothing to plan: add a task first');
  await expect(page.getByTestId('today-empty')).toBeVisible();
});
