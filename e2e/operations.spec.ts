import { expect, type Page, test } from '@playwright/test';
import { controlUrl, expectNoSeriousA11yViolations, queryDatabase, screenshotLightAndDark, signUpFresh } from './helpers';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

interface EventRow {
  event_id: string;
  published: boolean;
  dead: boolean;
}

async function habitCreatedEvent(name: string): Promise<EventRow | undefined> {
  const rows = await queryDatabase<EventRow>(
    `SELECT event_id, published_at IS NOT NULL AS published, dead_lettered_at IS NOT NULL AS dead
       FROM outbox_events WHERE event_type = 'habits.habit.created' AND payload->'habit'->>'name' = $1`,
    [name],
  );
  return rows?.[0];
}

/** What a publish that failed every retry leaves behind. */
async function markDead(eventId: string) {
  await queryDatabase(
    `UPDATE outbox_events SET dead_lettered_at = now(), dead_letter_reason = 'e2e: broker rejected the message', last_error = 'e2e: broker rejected the message',
            retry_count = 10, published_at = NULL, leased_until = NULL, lease_owner = NULL WHERE event_id = $1`,
    [eventId],
    { write: true },
  );
}

test('Operations is a 404 for everyone but admins; an admin sees the outbox and re-drives dead letters', async ({ page }, testInfo) => {
  const email = await signUpFresh(page, 'Ops Olli', 'ops');
  await expect(nav(page).getByRole('link', { name: 'Today' })).toBeVisible();
  await expect(nav(page).getByRole('link', { name: 'Operations' })).toHaveCount(0);
  const hidden = await page.goto('/operations');
  expect(hidden?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Operations' })).toHaveCount(0);
  await expect(page.getByText('Dead letters')).toHaveCount(0);

  const admin = await fetch(`${controlUrl}/admin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  if (admin.status === 501) {
    expect(process.env.CI, 'CI runs the e2e suite on PostgreSQL, where admins are checked').not.toBe('true');
    test.skip(true, 'promoting a user to admin needs PostgreSQL (TEST_DATABASE_URL)');
  }
  expect(admin.status).toBe(200);

  // A change that records an outbox event: a habit created through the Habits page.
  const habitName = `Dead letter source ${Date.now().toString(36)}`;
  await page.goto('/habits');
  await page.getByRole('region', { name: 'New habit' }).getByLabel('Name').fill(habitName);
  await page.getByRole('button', { name: 'Create habit' }).click();
  await expect(page.getByTestId('toast-success').last()).toContainText('Created');
  // Let the embedded processor publish it first, so marking it dead cannot race the publish.
  await expect.poll(async () => (await habitCreatedEvent(habitName))?.published, { timeout: 20_000 }).toBe(true);
  const event = (await habitCreatedEvent(habitName)) as EventRow;
  await markDead(event.event_id);

  await page.reload();
  await nav(page).getByRole('link', { name: 'Operations' }).click();
  await expect(page.getByRole('heading', { name: 'Operations', level: 1 })).toBeVisible();
  for (const stat of ['stat-pending', 'stat-dead', 'stat-lag', 'stat-published']) await expect(page.getByTestId(stat)).toHaveText(/^\d/);
  await expect(page.getByTestId('stat-dead')).toHaveText('1');
  const row = page.locator(`[data-testid="dead-letter"][data-event-id="${event.event_id}"]`);
  await expect(row).toContainText('habits.habit.created');
  await expect(row).toContainText('e2e: broker rejected the message');
  await expect(row).toContainText('10');
  await expectNoSeriousA11yViolations(page);
  await screenshotLightAndDark(page, testInfo, 'operations');

  // The server does not answer: the row comes back with an error toast, the event stays dead.
  await page.route('**/operations', (route) => (route.request().method() === 'POST' ? route.fulfill({ status: 500, body: 'down' }) : route.continue()));
  await row.getByRole('button', { name: /^Re-drive / }).click();
  await expect(page.getByTestId('toast-error').last()).toContainText('Could not reach the server');
  await expect(row).toBeVisible();
  await page.unroute('**/operations');
  expect((await habitCreatedEvent(habitName))?.dead).toBe(true);

  // Re-drive it: it leaves the list, is queued again and the processor publishes it.
  await row.getByRole('button', { name: /^Re-drive / }).click();
  await expect(page.getByTestId('toast-success').last()).toContainText(`Re-queued habits.habit.created (${event.event_id})`);
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('dead-empty')).toBeVisible();
  await expect(page.getByTestId('stat-dead')).toHaveText('0');
  expect((await habitCreatedEvent(habitName))?.dead).toBe(false);
  await expect.poll(async () => (await habitCreatedEvent(habitName))?.published, { timeout: 20_000 }).toBe(true);

  // Re-drive all asks first; dismissing the question changes nothing, accepting it re-queues everything.
  await markDead(event.event_id);
  await page.getByRole('link', { name: 'Refresh' }).click();
  await expect(row).toBeVisible();
  page.once('dialog', (dialog) => void dialog.dismiss());
  await page.getByRole('button', { name: 'Re-drive all' }).click();
  await expect(row).toBeVisible();
  expect((await habitCreatedEvent(habitName))?.dead).toBe(true);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Re-drive all' }).click();
  await expect(page.getByTestId('toast-success').last()).toContainText('Re-queued 1 dead letter.');
  await expect(row).toHaveCount(0);
  expect((await habitCreatedEvent(habitName))?.dead).toBe(false);

  // A phone: no sideways scrolling of the page (the table scrolls inside its own region).
  await markDead(event.event_id);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  await expect(row).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await expectNoSeriousA11yViolations(page);
});
