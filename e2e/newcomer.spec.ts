import { expect, type Page, test } from '@playwright/test';
import { createDailyHabit, lateMorningZone, nav } from './helpers';

// A newcomer's first ten minutes on `npm start` with the embedded database, while a CLI loop in
// another terminal writes to the same database (.ci/newcomer-journey.sh runs it, five times in a
// row on one database, through playwright.newcomer.config.ts): sign up, set the working hours,
// quick add, plan my day, drag on Week, tasks, habits, meetings, a token, an API call with it,
// sign out and in — with no console error, no failed request and no bounce to the sign-in page.

const zone = lateMorningZone();
test.use({ timezoneId: zone ?? 'UTC' });

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const password = 'a-good-long-password';
const toast = (page: Page, text: string | RegExp) => page.getByTestId('toast-success').filter({ hasText: text });

/** Everything that went wrong in the browser: console errors, page errors, failed or refused requests. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    // The browser cancels prefetches and superseded navigations itself: not a failure of the server.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`failed ${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
  });
  return problems;
}

test('a newcomer on the embedded database: sign up to sign in again, with the CLI writing alongside', async ({ page }) => {
  expect(zone, 'one of the candidate zones is in late morning now').toBeTruthy();
  const problems = watch(page);
  const email = `newcomer-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;

  // Sign up.
  await page.goto('/signup');
  await page.getByLabel('Name').fill('Nia Newcomer');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/today$/);
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();

  // Working hours every day from 06:00 to midnight, so the plan has room whatever the weekday.
  await nav(page, 'Settings');
  const profile = page.getByRole('region', { name: 'Profile' });
  await expect(profile.getByLabel('Time zone')).toHaveValue(zone as string); // the browser's zone, by default
  for (const day of weekdays) {
    await profile.getByLabel(`${day} working day`).check();
    await profile.getByLabel(`${day} start`).fill('06:00');
    await profile.getByLabel(`${day} end`).fill('24:00');
  }
  await profile.getByRole('button', { name: 'Save profile' }).click();
  await expect(toast(page, /Settings saved/)).toBeVisible();

  // Quick add, then Plan my day.
  await nav(page, 'Today');
  const quickAdd = page.getByRole('textbox', { name: 'Quick add' });
  await quickAdd.fill('Write report 45m !high today');
  await expect(page.getByTestId('quick-add-preview')).toContainText('Write report · 45 min · high priority');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(toast(page, 'Added task “Write report”')).toBeVisible();
  await page.getByRole('button', { name: 'Plan my day' }).click();
  await expect(page.getByTestId('plan-placed')).toContainText('Write report');
  await expect(page.getByTestId('timeline-block').filter({ hasText: 'Write report' })).toBeVisible();

  // Week: drag the block an hour later.
  await page.setViewportSize({ width: 1280, height: 2000 });
  await nav(page, 'Week');
  const weekBlock = page.getByRole('button', { name: /^Write report, \w+day (\d{2}):(\d{2})–/ });
  await expect(weekBlock).toBeVisible();
  const [, hour, minute] = /(\d{2}):(\d{2})–/.exec((await weekBlock.getAttribute('aria-label')) ?? '') ?? [];
  const startMinute = Number(hour) * 60 + Number(minute);
  const grid = page.getByTestId('week-grid-body');
  const pxPerMinute = Number(await grid.getAttribute('data-px-per-minute'));
  const from = await weekBlock.boundingBox();
  if (!from) throw new Error('the block has no box');
  const later = Math.min(startMinute + 60, 23 * 60);
  const moveBy = (later - startMinute) * pxPerMinute;
  await page.mouse.move(from.x + from.width / 2, from.y + 8);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 4, from.y + 12, { steps: 2 });
  await page.mouse.move(from.x + from.width / 2, from.y + 8 + moveBy, { steps: 10 });
  await expect(page.getByTestId('move-preview')).toBeVisible();
  await page.mouse.up();
  // The drop snaps to the 15-minute grid: an hour later, give or take the snap.
  await expect(toast(page, /Moved Write report to \w{3} \d{2}:\d{2}/)).toBeVisible();
  const moved = /(\d{2}):(\d{2})–/.exec((await page.getByRole('button', { name: /^Write report, / }).getAttribute('aria-label')) ?? '') ?? [];
  expect(Math.abs(Number(moved[1]) * 60 + Number(moved[2]) - later)).toBeLessThanOrEqual(15);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Tasks: add one with the form; both are listed.
  await nav(page, 'Tasks');
  const newTask = page.getByRole('region', { name: 'Add a task' });
  await newTask.getByLabel('Title').fill('Call the bank');
  await newTask.getByLabel('Estimate (minutes)').fill('30');
  await newTask.getByRole('button', { name: 'Add task' }).click();
  await expect(toast(page, 'Task added: Call the bank')).toBeVisible();
  await expect(page.getByRole('main')).toContainText('Write report');

  // Habits: a daily one (logged on Today, after signing in again).
  await nav(page, 'Habits');
  await createDailyHabit(page, 'Stretch', 10);

  // Meetings: a weekly 1:1 (billing is off on a newcomer's machine, so every module is on).
  await nav(page, 'Meetings');
  const newMeeting = page.getByRole('region', { name: 'Add a 1:1' });
  await newMeeting.getByLabel('Person or title').fill('Alex Kim');
  await newMeeting.getByLabel('Length (minutes)').fill('30');
  await newMeeting.getByLabel('Preferred time').fill('10:00');
  await newMeeting.getByRole('button', { name: 'Add 1:1' }).click();
  await expect(page.getByTestId('meeting').filter({ hasText: 'Alex Kim' })).toBeVisible();

  // Settings: a token, then the API with it.
  await nav(page, 'Settings');
  await page.getByLabel('Token name').fill('newcomer');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
  expect(token).toMatch(/^orb_pat_/);
  const tasks = await page.request.get('/api/v1/tasks', { headers: { authorization: `Bearer ${token}` } });
  expect(tasks.status(), await tasks.text()).toBe(200);
  const titles = ((await tasks.json()) as { items: { title: string }[] }).items.map((task) => task.title).sort();
  expect(titles).toEqual(['Call the bank', 'Write report']);
  const me = await page.request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  expect(await me.json()).toMatchObject({ user: { email, timeZone: zone }, auth: { via: 'token' } });

  // Every page, three times over: signed in each time (the embedded database used to bounce some to /signin).
  for (let round = 0; round < 3; round++) {
    for (const path of ['/today', '/week', '/tasks', '/habits', '/meetings', '/billing', '/settings']) {
      await page.goto(path);
      await expect(page).toHaveURL(new RegExp(`${path}$`));
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    }
  }

  // Sign out, and back in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/today$/);
  await expect(page.getByTestId('timeline-block').filter({ hasText: 'Write report' })).toBeVisible();
  const habit = page.getByTestId('habit-due').filter({ hasText: 'Stretch' });
  await habit.getByRole('button', { name: 'Log Stretch' }).click();
  await expect(habit).toContainText('1-day streak');

  expect(problems).toEqual([]);
});
