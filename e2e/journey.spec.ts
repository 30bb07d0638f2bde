import { expect, type Page, test } from '@playwright/test';
import { createDailyHabit, lateMorningZone, nav, queryDatabase, signUpFresh } from './helpers';

// The acceptance journey of the dashboard, start to finish as a new user lives it: sign up, set the
// time zone and working hours, add three tasks and a habit, "Plan my day", see the blocks on Today
// and Week, drag one to a new slot, complete one, log the habit and see the streak — each step
// checked on the page and in the database.

const zone = lateMorningZone();
test.use({ timezoneId: zone ?? 'UTC' });

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const todayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
const weekdayOf = (isoDate: string) => new Date(`${isoDate}T12:00:00Z`).getUTCDay();

const tasks = [
  { title: 'Draft the quarterly report', estimate: '60', priority: 'high' },
  { title: 'Review pull requests', estimate: '45', priority: 'medium' },
  { title: 'Call the bank', estimate: '30', priority: 'low' },
];

const successToast = (page: Page, text: string | RegExp) => page.getByTestId('toast-success').filter({ hasText: text });

/** Rows for this user (null on the embedded database: CI always runs the suite on PostgreSQL). */
async function rows<Row>(sql: string, params: unknown[]): Promise<Row[] | null> {
  const result = await queryDatabase<Row>(sql, params);
  if (result === null) expect(process.env.CI, 'CI runs the e2e suite on PostgreSQL').not.toBe('true');
  return result;
}

interface BlockRow {
  title: string;
  status: string;
  local_start: string;
}
const storedBlocks = (email: string, timeZone: string) =>
  rows<BlockRow>(
    `select b.title, b.status::text as status, to_char(b.start_at at time zone $2, 'YYYY-MM-DD HH24:MI') as local_start
       from schedule_blocks b join users u on u.id = b.user_id where u.email = $1 order by b.start_at`,
    [email, timeZone],
  );

test('a new user plans a day: settings, tasks, a habit, Plan my day, Today and Week, drag, complete, log', async ({ page }) => {
  expect(zone, 'one of the candidate zones is in late morning now').toBeTruthy();
  const timeZone = zone as string;
  const today = todayIn(timeZone);
  const todayName = weekdays[weekdayOf(today)];
  const email = await signUpFresh(page, 'Jo Journey', 'journey');

  // Settings: the time zone and every day 06:00 to midnight, so the plan fits after "now".
  await nav(page, 'Settings');
  const profile = page.getByRole('region', { name: 'Profile' });
  await profile.getByLabel('Time zone').selectOption(timeZone);
  for (const day of weekdays) {
    await profile.getByLabel(`${day} working day`).check();
    await profile.getByLabel(`${day} start`).fill('06:00');
    await profile.getByLabel(`${day} end`).fill('00:00');
  }
  await profile.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('toast-success').last()).toHaveText(/Settings saved/);
  const user = await rows<{ time_zone: string; days: number; all_day: boolean }>(
    `select u.time_zone, count(w.*)::int as days, bool_and(w.start_minute = 360 and w.end_minute = 1440) as all_day
       from users u join working_hours w on w.user_id = u.id where u.email = $1 group by u.time_zone`,
    [email],
  );
  if (user) expect(user).toEqual([{ time_zone: timeZone, days: 7, all_day: true }]);

  // Tasks: three, due today.
  await nav(page, 'Tasks');
  const newTask = page.getByRole('region', { name: 'Add a task' });
  for (const task of tasks) {
    await newTask.getByLabel('Title').fill(task.title);
    await newTask.getByLabel('Estimate (minutes)').fill(task.estimate);
    await newTask.getByLabel('Priority').selectOption(task.priority);
    await newTask.getByLabel('Due date').fill(today);
    await newTask.getByRole('button', { name: 'Add task' }).click();
    await expect(successToast(page, `Task added: ${task.title}`)).toBeVisible();
  }
  const storedTasks = await rows<{ title: string; duration_minutes: number; status: string }>(
    `select t.title, t.duration_minutes, t.status::text as status from tasks t join users u on u.id = t.user_id where u.email = $1 order by t.created_at`,
    [email],
  );
  if (storedTasks) expect(storedTasks).toEqual(tasks.map((t) => ({ title: t.title, duration_minutes: Number(t.estimate), status: 'pending' })));

  // A daily habit.
  await nav(page, 'Habits');
  await createDailyHabit(page, 'Stretch', 10);

  // Today: Plan my day places all three tasks; the blocks are on the timeline and in the database.
  await nav(page, 'Today');
  await expect(page.getByText(timeZone).first()).toBeVisible();
  await page.getByRole('button', { name: 'Plan my day' }).click();
  const placed = page.getByTestId('plan-placed');
  for (const task of tasks) await expect(placed).toContainText(task.title);
  const timelineBlock = (title: string) => page.getByTestId('timeline-block').filter({ hasText: title });
  for (const task of tasks) await expect(timelineBlock(task.title)).toBeVisible();
  const planned = await storedBlocks(email, timeZone);
  if (planned) {
    for (const task of tasks) {
      expect(planned.find((b) => b.title === task.title), task.title).toMatchObject({ status: 'planned' });
      expect(planned.find((b) => b.title === task.title)?.local_start.slice(0, 10)).toBe(today);
    }
  }

  // Week: the same blocks; drag the shortest one to 23:00 today (free: the plan ends well before).
  await page.setViewportSize({ width: 1280, height: 2000 }); // the whole day visible, no scrolling mid-drag
  await nav(page, 'Week');
  const weekBlock = (title: string) => page.getByRole('button', { name: new RegExp(`^${title}, ${todayName} \\d{2}:\\d{2}`) });
  for (const task of tasks) await expect(weekBlock(task.title)).toBeVisible();
  const moved = tasks[2].title;
  const grid = page.getByTestId('week-grid-body');
  const gridBox = await grid.boundingBox();
  const source = await weekBlock(moved).boundingBox();
  if (!gridBox || !source) throw new Error('week grid or block not visible');
  const gridStart = Number(await grid.getAttribute('data-grid-start'));
  const pxPerMinute = Number(await grid.getAttribute('data-px-per-minute'));
  const column = (weekdayOf(today) + 6) % 7; // Monday first
  const grabOffset = 10;
  await page.mouse.move(source.x + source.width / 2, source.y + grabOffset);
  await page.mouse.down();
  await page.mouse.move(source.x + source.width / 2 + 5, source.y + grabOffset + 5, { steps: 2 });
  await page.mouse.move(gridBox.x + (gridBox.width / 7) * (column + 0.5), gridBox.y + (23 * 60 - gridStart) * pxPerMinute + grabOffset, { steps: 12 });
  await expect(page.getByTestId('move-preview')).toContainText('23:00');
  await page.mouse.up();
  await expect(successToast(page, new RegExp(`Moved ${moved} to \\w{3} 23:00`))).toBeVisible();
  await expect(page.getByRole('button', { name: new RegExp(`^${moved}, ${todayName} 23:00–23:30`) })).toBeVisible();
  await expect
    .poll(async () => (await storedBlocks(email, timeZone))?.find((b) => b.title === moved)?.local_start ?? `${today} 23:00`)
    .toBe(`${today} 23:00`);

  // Today again: complete a block, log the habit, see the streak.
  await page.setViewportSize({ width: 1280, height: 800 });
  await nav(page, 'Today');
  const done = tasks[0].title;
  await timelineBlock(done).getByRole('button', { name: `Complete ${done}` }).click();
  await expect(timelineBlock(done)).toHaveAttribute('data-status', 'completed');
  await expect(successToast(page, `Completed “${done}”`)).toBeVisible();
  await expect.poll(async () => (await storedBlocks(email, timeZone))?.find((b) => b.title === done)?.status ?? 'completed').toBe('completed');

  const habit = page.getByTestId('habit-due').filter({ hasText: 'Stretch' });
  await expect(habit).toContainText('No streak yet');
  await habit.getByRole('button', { name: 'Log Stretch' }).click();
  await expect(habit).toContainText('1-day streak');
  await expect(successToast(page, 'Logged “Stretch”')).toBeVisible();
  const completions = await rows<{ date: string }>(
    `select to_char(c.local_date, 'YYYY-MM-DD') as date from habit_completions c join users u on u.id = c.user_id where u.email = $1`,
    [email],
  );
  if (completions) expect(completions).toEqual([{ date: today }]);

  // Still true after a reload: nothing was only in the browser.
  await page.reload();
  await expect(timelineBlock(done)).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('habit-due').filter({ hasText: 'Stretch' })).toContainText('1-day streak');
});
