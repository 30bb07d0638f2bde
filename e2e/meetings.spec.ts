import { expect, type Page, test } from '@playwright/test';
import { expectNoSeriousA11yViolations, queryDatabase, screenshotLightAndDark, signUpFresh } from './helpers';

test.use({ timezoneId: 'Europe/Berlin' });

const newMeeting = (page: Page) => page.getByRole('region', { name: 'Add a 1:1' });
const row = (page: Page, name: string) => page.getByRole('list', { name: '1:1 meetings' }).getByTestId('meeting').filter({ hasText: name });
const lastToast = (page: Page, kind: 'success' | 'error') => page.getByTestId(`toast-${kind}`).last();

interface MeetingRow {
  name: string;
  cadence: string;
  interval_days: number;
  duration_minutes: number;
  preferred_minute: number;
  last_held_at: string | null;
  archived: boolean;
}

/** The user's meetings as stored, oldest first. */
async function storedMeetings(email: string): Promise<MeetingRow[]> {
  const rows = await queryDatabase<MeetingRow>(
    `SELECT name, cadence::text, interval_days, duration_minutes, preferred_minute, last_held_at::text, archived
       FROM meetings WHERE user_id = (SELECT id FROM users WHERE email = $1) ORDER BY created_at`,
    [email],
  );
  return rows ?? [];
}

async function addMeeting(page: Page, meeting: { name: string; cadence?: string; interval?: string; length: string; time: string }) {
  const form = newMeeting(page);
  await form.getByLabel('Person or title').fill(meeting.name);
  if (meeting.cadence) await form.getByLabel('Cadence').selectOption(meeting.cadence);
  if (meeting.interval) await form.getByLabel('Every how many days').fill(meeting.interval);
  await form.getByLabel('Length (minutes)').fill(meeting.length);
  await form.getByLabel('Preferred time').fill(meeting.time);
  await form.getByRole('button', { name: 'Add 1:1' }).click();
  await expect(lastToast(page, 'success')).toHaveText(new RegExp(`1:1 with ${meeting.name} added`));
  await expect(row(page, meeting.name)).toBeVisible();
}

test('meetings: module gate, create with inline validation, mark held, edit cadence, archive, roll back on server errors', async ({ page }, testInfo) => {
  const email = await signUpFresh(page, 'Mia Meet', 'meetings');

  // Billing is on in e2e (the fake Stripe): without smart-1to1 the page explains and links to Billing.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Meetings' }).click();
  await expect(page.getByRole('heading', { name: 'Meetings', level: 1 })).toBeVisible();
  await expect(page.getByTestId('meetings-module-off')).toContainText('smart-1to1');
  await expect(page.getByRole('link', { name: 'Turn on smart-1to1 on the Billing page' })).toHaveAttribute('href', '/billing');

  // Grant the module as support would (a manual entitlement); needs PostgreSQL, as CI always has.
  const granted = await queryDatabase(
    `INSERT INTO entitlements (user_id, module, active, source, created_at, updated_at)
     SELECT id, 'smart-1to1', true, 'manual', now(), now() FROM users WHERE email = $1 RETURNING module`,
    [email],
    { write: true },
  );
  if (granted === null) expect(process.env.CI, 'CI runs the e2e suite on PostgreSQL').not.toBe('true');
  test.skip(granted === null, 'granting a module needs PostgreSQL (TEST_DATABASE_URL)');
  await page.reload();
  await expect(page.getByTestId('meetings-empty')).toContainText('No 1:1s yet');

  // Invalid input: each message next to its field, what was typed stays.
  const form = newMeeting(page);
  await form.getByLabel('Person or title').fill('   ');
  await form.getByLabel('Length (minutes)').fill('abc');
  await form.getByRole('button', { name: 'Add 1:1' }).click();
  await expect(lastToast(page, 'error')).toBeVisible();
  await expect(page.locator('#field-name-error')).toHaveText('name must not be empty');
  await expect(page.locator('#field-durationMinutes-error')).toHaveText('duration must be a whole number of minutes');
  await expect(form.getByLabel('Length (minutes)')).toHaveValue('abc');
  // A custom cadence needs its interval.
  await form.getByLabel('Person or title').fill('Alex Kim');
  await form.getByLabel('Length (minutes)').fill('45');
  await form.getByLabel('Cadence').selectOption('custom');
  await form.getByRole('button', { name: 'Add 1:1' }).click();
  await expect(page.locator('#new-meeting-interval-error')).toContainText('intervalDays is required for a custom cadence');
  await expect(page.locator('#field-name-error')).toHaveCount(0);
  await expect(form.getByLabel('Person or title')).toHaveValue('Alex Kim');
  await expect(form.getByLabel('Cadence')).toHaveValue('custom');
  expect(await storedMeetings(email)).toEqual([]);

  await addMeeting(page, { name: 'Alex Kim', cadence: 'weekly', length: '45', time: '09:30' });
  await addMeeting(page, { name: 'Priya Shah', cadence: 'custom', interval: '21', length: '30', time: '14:00' });
  expect(await storedMeetings(email)).toEqual([
    { name: 'Alex Kim', cadence: 'weekly', interval_days: 7, duration_minutes: 45, preferred_minute: 570, last_held_at: null, archived: false },
    { name: 'Priya Shah', cadence: 'custom', interval_days: 21, duration_minutes: 30, preferred_minute: 840, last_held_at: null, archived: false },
  ]);
  await expect(row(page, 'Alex Kim')).toContainText('Weekly · 45 min · at 09:30');
  await expect(row(page, 'Priya Shah')).toContainText('Every 21 days · 30 min · at 14:00');
  await expect(row(page, 'Alex Kim').getByTestId('meeting-last-held')).toHaveText('Never');

  // Alex's series started ten days ago: holding it today moves the next occurrence on.
  await queryDatabase(`UPDATE meetings SET created_at = now() - interval '10 days' WHERE name = 'Alex Kim' AND user_id = (SELECT id FROM users WHERE email = $1)`, [email], { write: true });
  await page.reload();
  const next = row(page, 'Alex Kim').getByTestId('meeting-next');
  const nextBefore = (await next.textContent()) ?? '';
  await row(page, 'Alex Kim').getByRole('button', { name: 'Mark Alex Kim held' }).click();
  await expect(lastToast(page, 'success')).toHaveText(/1:1 with Alex Kim marked as held/);
  await expect(next).not.toHaveText(nextBefore);
  await expect(row(page, 'Alex Kim').getByTestId('meeting-last-held')).not.toHaveText('Never');
  expect((await storedMeetings(email))[0].last_held_at).not.toBeNull();

  // Inline edit of cadence and length.
  await row(page, 'Priya Shah').getByRole('button', { name: 'Edit Priya Shah' }).click();
  const editor = page.getByRole('form', { name: 'Edit Priya Shah' });
  await editor.getByLabel('Cadence').selectOption('biweekly');
  await editor.getByLabel('Length (minutes)').fill('60');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(lastToast(page, 'success')).toHaveText(/1:1 with Priya Shah saved/);
  await expect(row(page, 'Priya Shah')).toContainText('Every 2 weeks · 60 min');
  expect((await storedMeetings(email))[1]).toMatchObject({ cadence: 'biweekly', interval_days: 14, duration_minutes: 60 });

  await expectNoSeriousA11yViolations(page);
  await screenshotLightAndDark(page, testInfo, 'meetings');

  // The server fails: an error toast, and the optimistic "held" is rolled back.
  const pagePosts = (url: URL) => url.pathname === '/meetings'; // unroute needs the same matcher
  await page.route(
    pagePosts,
    (route) => (route.request().method() === 'POST' ? route.fulfill({ status: 500, body: 'down' }) : route.continue()),
  );
  await row(page, 'Priya Shah').getByRole('button', { name: 'Mark Priya Shah held' }).click();
  await expect(lastToast(page, 'error')).toContainText('Could not reach the server');
  await expect(row(page, 'Priya Shah').getByTestId('meeting-last-held')).toHaveText('Never');
  await row(page, 'Priya Shah').getByRole('button', { name: 'Archive Priya Shah' }).click();
  await expect(lastToast(page, 'error')).toContainText('Could not reach the server');
  await expect(row(page, 'Priya Shah')).toBeVisible();
  expect((await storedMeetings(email))[1]).toMatchObject({ last_held_at: null, archived: false });
  await page.unroute(pagePosts);

  // Archive: gone from the list, stored as archived, shown with "Show archived".
  await row(page, 'Alex Kim').getByRole('button', { name: 'Archive Alex Kim' }).click();
  await expect(lastToast(page, 'success')).toHaveText(/1:1 with Alex Kim archived/);
  await expect(row(page, 'Alex Kim')).toHaveCount(0);
  expect((await storedMeetings(email))[0].archived).toBe(true);
  await page.getByRole('link', { name: 'Show archived' }).click();
  await expect(row(page, 'Alex Kim').getByTestId('meeting-next')).toHaveText('Archived');

  // A phone: no sideways scrolling.
  await page.goto('/meetings');
  await page.setViewportSize({ width: 375, height: 800 });
  await expect(row(page, 'Priya Shah')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
});
