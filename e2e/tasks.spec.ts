import { expect, type Page, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, queryDatabase, screenshotLightAndDark, signUpFresh } from './helpers';

// Sign-up stores the browser's zone, so "today" below is the user's today.
const zone = 'Europe/Berlin';
test.use({ timezoneId: zone });

/** The local date `days` from now in the user's zone (YYYY-MM-DD). */
const localDay = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(Date.now() + days * 86_400_000));

const newTask = (page: Page) => page.getByRole('region', { name: 'Add a task' });
const taskList = (page: Page) => page.getByRole('list', { name: 'Tasks' });
const row = (page: Page, title: string) => taskList(page).getByTestId('task').filter({ has: page.getByRole('button', { name: `Edit ${title}`, exact: true }) });
/** The titles on the page, top to bottom. */
const titles = (page: Page) => taskList(page).getByTestId('task').locator('button[aria-label^="Edit "]');
const lastToast = (page: Page, kind: 'success' | 'error') => page.getByTestId(`toast-${kind}`).last();

interface TaskRow {
  title: string;
  priority: string;
  duration_minutes: number | null;
  description: string | null;
  status: string;
  due: string | null;
  completed_at: string | null;
}

/** The user's tasks as stored (null on the embedded database; CI always checks on PostgreSQL). */
async function storedTasks(email: string): Promise<TaskRow[] | null> {
  const rows = await queryDatabase<TaskRow>(
    `SELECT title, priority::text, duration_minutes, description, status::text,
            to_char(due_at AT TIME ZONE $2, 'YYYY-MM-DD') AS due, completed_at::text
       FROM tasks WHERE user_id = (SELECT id FROM users WHERE email = $1) ORDER BY created_at`,
    [email, zone],
  );
  if (rows === null) expect(process.env.CI, 'CI runs the e2e suite on PostgreSQL').not.toBe('true');
  return rows;
}

async function addTask(page: Page, task: { title: string; estimate: string; priority: string; due: string; notes?: string }) {
  const form = newTask(page);
  await form.getByLabel('Title').fill(task.title);
  await form.getByLabel('Estimate (minutes)').fill(task.estimate);
  await form.getByLabel('Priority').selectOption(task.priority);
  await form.getByLabel('Due date').fill(task.due);
  if (task.notes) await form.getByLabel('Notes').fill(task.notes);
  await form.getByRole('button', { name: 'Add task' }).click();
  await expect(lastToast(page, 'success')).toHaveText(new RegExp(`Task added: ${task.title}`));
  await expect(row(page, task.title)).toBeVisible();
}

test('tasks: create with inline validation, filter and sort, edit inline, start, complete, archive, roll back on server errors', async ({ page }, testInfo) => {
  const email = await signUpFresh(page, 'Tara Task', 'tasks');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' }).click();
  await expect(page.getByRole('heading', { name: 'Tasks', level: 1 })).toBeVisible();
  await expect(page.getByTestId('tasks-empty')).toContainText('No tasks yet — add one above or use Quick add on Today');

  // Three tasks through the form; each appears at once.
  await addTask(page, { title: 'Write report', estimate: '90', priority: 'high', due: localDay(3), notes: 'Q4 numbers' });
  await addTask(page, { title: 'Pay invoice', estimate: '15', priority: 'urgent', due: localDay(-1) });
  await addTask(page, { title: 'Call plumber', estimate: '30', priority: 'low', due: localDay(0) });
  await expect(newTask(page).getByLabel('Title')).toHaveValue('');
  const created = await storedTasks(email);
  if (created) {
    expect(created).toEqual([
      { title: 'Write report', priority: 'high', duration_minutes: 90, description: 'Q4 numbers', status: 'pending', due: localDay(3), completed_at: null },
      { title: 'Pay invoice', priority: 'urgent', duration_minutes: 15, description: null, status: 'pending', due: localDay(-1), completed_at: null },
      { title: 'Call plumber', priority: 'low', duration_minutes: 30, description: null, status: 'pending', due: localDay(0), completed_at: null },
    ]);
  }
  // Overdue and due today are said in words, not only by colour.
  await expect(row(page, 'Pay invoice')).toContainText('Overdue');
  await expect(row(page, 'Call plumber')).toContainText('Due today');
  await expect(row(page, 'Write report')).not.toContainText('Overdue');

  // Invalid input: each message next to its field, everything typed kept, nothing stored.
  const longTitle = 'x'.repeat(501);
  await newTask(page).getByLabel('Title').fill(longTitle);
  await newTask(page).getByLabel('Estimate (minutes)').fill('abc');
  await newTask(page).getByRole('button', { name: 'Add task' }).click();
  await expect(lastToast(page, 'error')).toBeVisible();
  await expect(page.locator('#field-title-error')).toHaveText('title must be at most 500 characters');
  await expect(page.locator('#field-durationMinutes-error')).toHaveText('duration must be a whole number of minutes');
  await expect(newTask(page).getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
  await expect(newTask(page).getByLabel('Title')).toHaveValue(longTitle);
  await expect(newTask(page).getByLabel('Estimate (minutes)')).toHaveValue('abc');
  expect((await storedTasks(email))?.length ?? 3).toBe(3);
  await newTask(page).getByLabel('Title').fill('');
  await newTask(page).getByLabel('Estimate (minutes)').fill('');

  // Sort: priority (the default), due date, creation; the URL keeps the choice.
  await expect(titles(page)).toHaveText(['Pay invoice', 'Write report', 'Call plumber']);
  const filters = page.getByRole('form', { name: 'Filter and sort tasks' });
  await filters.getByLabel('Sort by').selectOption('due');
  await expect(page).toHaveURL(/sort=due/);
  await expect(titles(page)).toHaveText(['Pay invoice', 'Call plumber', 'Write report']);
  await filters.getByLabel('Sort by').selectOption('created');
  await expect(titles(page)).toHaveText(['Write report', 'Pay invoice', 'Call plumber']);

  // Filters: overdue, due today, priority; they change the contents and live in the URL.
  await filters.getByLabel('Overdue only').check();
  await expect(page).toHaveURL(/overdue=true/);
  await expect(titles(page)).toHaveText(['Pay invoice']);
  await filters.getByLabel('Overdue only').uncheck();
  await filters.getByLabel('Due today only').check();
  await expect(titles(page)).toHaveText(['Call plumber']);
  await filters.getByLabel('Due today only').uncheck();
  await filters.getByLabel('Priority').selectOption('high');
  await expect(titles(page)).toHaveText(['Write report']);
  await page.reload(); // the URL alone restores the list
  await expect(titles(page)).toHaveText(['Write report']);
  await expect(filters.getByLabel('Priority')).toHaveValue('high');
  await filters.getByLabel('Priority').selectOption('');
  await filters.getByLabel('Sort by').selectOption('priority');
  await expect(titles(page)).toHaveText(['Pay invoice', 'Write report', 'Call plumber']);

  // Inline edit: click the title, change title and priority, Enter saves.
  await row(page, 'Write report').getByRole('button', { name: 'Edit Write report' }).click();
  const editor = page.getByRole('form', { name: 'Edit Write report' });
  await expect(editor.getByLabel('Title')).toBeFocused();
  await editor.getByLabel('Title').fill('Write the Q4 report');
  await editor.getByLabel('Priority').selectOption('urgent');
  await editor.getByLabel('Title').press('Enter');
  await expect(lastToast(page, 'success')).toHaveText(/Saved “Write the Q4 report”/);
  await expect(row(page, 'Write the Q4 report')).toContainText('Priority: Urgent');
  expect((await storedTasks(email))?.[0]).toMatchObject({ title: 'Write the Q4 report', priority: 'urgent' });

  // Escape cancels an edit; a bad estimate stays in the editor with its message.
  await row(page, 'Call plumber').getByRole('button', { name: 'Edit Call plumber' }).click();
  const plumber = page.getByRole('form', { name: 'Edit Call plumber' });
  await plumber.getByLabel('Title').fill('Call someone else');
  await plumber.getByLabel('Title').press('Escape');
  await expect(plumber).toHaveCount(0);
  await expect(row(page, 'Call plumber')).toBeVisible();
  await row(page, 'Call plumber').getByRole('button', { name: 'Edit Call plumber' }).click();
  await plumber.getByLabel('Estimate (min)').fill('abc');
  await plumber.getByRole('button', { name: 'Save' }).click();
  await expect(plumber.getByRole('alert')).toHaveText('duration must be a whole number of minutes');
  await expect(plumber.getByLabel('Estimate (min)')).toHaveValue('abc');
  await expect(lastToast(page, 'error')).toBeVisible();
  await plumber.getByRole('button', { name: 'Cancel' }).click();
  expect((await storedTasks(email))?.[2].duration_minutes ?? 30).toBe(30);

  // Start, then complete.
  await row(page, 'Write the Q4 report').getByRole('button', { name: 'Start Write the Q4 report' }).click();
  await expect(row(page, 'Write the Q4 report')).toContainText('In progress');
  await page.getByRole('checkbox', { name: 'Complete Call plumber' }).check();
  await expect(lastToast(page, 'success')).toHaveText(/Completed “Call plumber”/);
  await expect(row(page, 'Call plumber')).toContainText('Completed');
  await expect(row(page, 'Call plumber')).not.toContainText('Due today');
  const progressed = await storedTasks(email);
  if (progressed) {
    expect(progressed[0].status).toBe('in_progress');
    expect(progressed[2].status).toBe('completed');
    expect(progressed[2].completed_at).not.toBeNull();
  }

  await expectNoSeriousA11yViolations(page);
  await screenshotLightAndDark(page, testInfo, 'tasks');

  // A stale edit (someone changed the task meanwhile) is a conflict: a toast, and the row rolls back.
  if (await queryDatabase(`UPDATE tasks SET version = version + 1 WHERE title = 'Pay invoice' AND user_id = (SELECT id FROM users WHERE email = $1) RETURNING id`, [email], { write: true })) {
    await row(page, 'Pay invoice').getByRole('button', { name: 'Edit Pay invoice' }).click();
    await page.getByRole('form', { name: 'Edit Pay invoice' }).getByLabel('Title').fill('Pay the invoice');
    await page.getByRole('form', { name: 'Edit Pay invoice' }).getByRole('button', { name: 'Save' }).click();
    await expect(lastToast(page, 'error')).toContainText('task has changed since version');
    await expect(page.getByRole('form', { name: 'Edit Pay invoice' }).getByLabel('Title')).toHaveValue('Pay the invoice');
    await page.getByRole('form', { name: 'Edit Pay invoice' }).getByRole('button', { name: 'Cancel' }).click();
    await page.reload();
    await expect(row(page, 'Pay invoice')).toBeVisible();
  }

  // The server fails: an error toast, and the optimistic change is rolled back.
  const pagePosts = (url: URL) => url.pathname === '/tasks'; // unroute needs the same matcher
  await page.route(
    pagePosts,
    (route) => (route.request().method() === 'POST' ? route.fulfill({ status: 500, body: 'down' }) : route.continue()),
  );
  // click(), not check(): the box may already be unticked again by the time Playwright looks.
  await page.getByRole('checkbox', { name: 'Complete Pay invoice' }).click();
  await expect(lastToast(page, 'error')).toContainText('Could not reach the server');
  await expect(page.getByRole('checkbox', { name: 'Complete Pay invoice' })).not.toBeChecked();
  await row(page, 'Pay invoice').getByRole('button', { name: 'Archive Pay invoice' }).click();
  await expect(lastToast(page, 'error')).toContainText('Could not reach the server');
  await expect(row(page, 'Pay invoice')).toBeVisible();
  expect((await storedTasks(email))?.[1].status ?? 'pending').toBe('pending');
  await page.unroute(pagePosts);

  // Archive: gone from the list, stored as archived, shown under the Archived filter.
  await row(page, 'Pay invoice').getByRole('button', { name: 'Archive Pay invoice' }).click();
  await expect(lastToast(page, 'success')).toHaveText(/Archived “Pay invoice”/);
  await expect(row(page, 'Pay invoice')).toHaveCount(0);
  expect((await storedTasks(email))?.[1].status ?? 'archived').toBe('archived');
  await filters.getByLabel('Status').selectOption('archived');
  await expect(titles(page)).toHaveText(['Pay invoice']);
  await expect(row(page, 'Pay invoice')).toContainText('Archived');

  // A phone: no sideways scrolling.
  await page.goto('/tasks');
  await page.setViewportSize({ width: 375, height: 800 });
  await expect(titles(page)).toHaveText(['Write the Q4 report', 'Call plumber']);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});
