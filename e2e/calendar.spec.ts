import { randomUUID } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { controlUrl, signUpFresh } from './helpers';

// e2e/server.ts runs the fake Google with this account (its calendars: the primary, "Work" which it
// can write, "Holidays" which it can only read), and a control server on 127.0.0.1:<port + 2> to look
// into (and break) the fake from here.
const googleAccount = 'e2e.calendar@example.com';
const workCalendar = { id: 'work.orbita@group.calendar.google.com', summary: 'Work' };

const consentUrl = /^http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?/;

async function control(page: Page, method: 'GET' | 'POST', path: string, data?: unknown) {
  const response = method === 'GET' ? await page.request.get(`${controlUrl}${path}`) : await page.request.post(`${controlUrl}${path}`, { data });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBe(true);
  return response.json();
}

const section = (page: Page) => page.getByRole('region', { name: 'Google Calendar' });
const status = (page: Page) => section(page).getByRole('status');

async function openSettings(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
}

/** Settings → Connect → the fake's consent page → Allow → back on Settings, connected. */
async function connect(page: Page, button: { name: string; within?: 'banner' } = { name: 'Connect Google Calendar' }) {
  const scope = button.within === 'banner' ? page.getByTestId('calendar-reconnect-banner') : section(page);
  await scope.getByRole('button', { name: button.name }).click();
  await expect(page).toHaveURL(consentUrl);
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page).toHaveURL(/\/settings(#google-calendar)?$/); // the ?calendar=connected flag is read, then dropped
  await expect(status(page)).toContainText('Google Calendar connected.');
  await expect(section(page).getByTestId('calendar-connection')).toContainText('Connected');
  await expect(section(page).getByTestId('calendar-account')).toHaveText(googleAccount);
}

/** A block two days from now (inside the 7-day sync window in any time zone), through the REST API with the session cookie. */
async function addBlock(page: Page, title: string): Promise<string> {
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const response = await page.request.post('/api/v1/schedule/blocks', {
    data: { type: 'focus', title, start: `${day}T10:00:00+00:00`, end: `${day}T11:00:00+00:00` },
    headers: { origin: new URL(page.url()).origin }, // a browser's fetch sends it; the Origin check needs it
  });
  expect(response.status(), await response.text()).toBe(201);
  const body = (await response.json()) as { id?: string; block?: { id: string } };
  const id = body.id ?? body.block?.id;
  expect(id).toBeTruthy();
  return id as string;
}

test('connect Google Calendar, pick a calendar, delete-missing, sync now, disconnect', async ({ page }) => {
  await signUpFresh(page, 'Cal Endar', 'calendar');
  await openSettings(page);
  await expect(section(page).getByTestId('calendar-not-connected')).toContainText('Not connected');

  await connect(page);

  // The picker lists the account's calendars; choosing one and saving makes it the sync target.
  const picker = section(page).getByLabel('Calendar for synced blocks');
  // Only calendars the account can write to are offered (not the read-only "Holidays").
  await expect(picker.locator('option')).toHaveText(['Default (primary)', `${googleAccount} (primary)`, workCalendar.summary]);
  await picker.selectOption({ label: workCalendar.summary });
  await section(page).getByRole('button', { name: 'Save calendar' }).click();
  await expect(status(page)).toHaveText(`Saved: blocks sync to ${workCalendar.id}.`);
  await expect(section(page).getByTestId('calendar-effective')).toContainText(workCalendar.id);

  // Delete-missing: off by default, saved as soon as it is toggled, still on after a reload.
  const deleteMissing = section(page).getByLabel('Delete events whose block is gone');
  await expect(deleteMissing).not.toBeChecked();
  await deleteMissing.check();
  await expect(status(page)).toHaveText('Saved: syncing deletes Orbita’s events whose block is gone.');
  await page.reload();
  await expect(section(page).getByLabel('Delete events whose block is gone')).toBeChecked();
  await expect(section(page).getByLabel('Calendar for synced blocks')).toHaveValue(workCalendar.id);

  // Sync now: the block becomes an event on the chosen calendar; a second run changes nothing.
  const blockId = await addBlock(page, 'Deep work on the calendar');
  await section(page).getByRole('button', { name: 'Sync now' }).click();
  await expect(status(page)).toContainText(`Synced the next 7 days to ${workCalendar.id}.`);
  await expect(section(page).getByTestId('calendar-sync-counts')).toHaveText('created 1 · updated 0 · deleted 0 · unchanged 0 · failed 0');
  const events = (await control(page, 'GET', `/google/events?calendar=${encodeURIComponent(workCalendar.id)}`)) as { id: string; summary?: string }[];
  expect(events.find((e) => e.id === blockId.replace(/-/g, ''))?.summary).toBe('Deep work on the calendar');

  // An Orbita-tagged event whose block is gone (inside the window) is deleted by the next sync.
  const orphan = randomUUID();
  const orphanDay = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  await control(page, 'POST', `/google/events?calendar=${encodeURIComponent(workCalendar.id)}`, {
    id: orphan.replace(/-/g, ''),
    summary: 'A block deleted in Orbita',
    start: { dateTime: `${orphanDay}T09:00:00Z` },
    end: { dateTime: `${orphanDay}T09:30:00Z` },
    extendedProperties: { private: { orbita: '1', orbita_block_id: orphan } },
  });
  await section(page).getByRole('button', { name: 'Sync now' }).click();
  await expect(section(page).getByTestId('calendar-sync-counts')).toHaveText('created 0 · updated 0 · deleted 1 · unchanged 1 · failed 0');

  // Disconnect (with a confirm step; Cancel keeps the connection).
  await section(page).getByRole('button', { name: 'Disconnect' }).click();
  await section(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(section(page).getByTestId('calendar-account')).toHaveText(googleAccount);
  await section(page).getByRole('button', { name: 'Disconnect' }).click();
  await expect(section(page).getByRole('button', { name: 'Yes, disconnect' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(status(page)).toHaveText('Google Calendar disconnected. Events already in Google stay there.');
  await expect(section(page).getByRole('heading', { name: 'Google Calendar' })).toBeFocused(); // focus stays in the section
  await expect(section(page).getByRole('button', { name: 'Connect Google Calendar' })).toBeVisible();
  await page.reload();
  await expect(section(page).getByRole('button', { name: 'Connect Google Calendar' })).toBeVisible();
});

test('declining consent, or a forged callback, explains what happened', async ({ page }) => {
  await signUpFresh(page, 'Cal Declined', 'calendar-deny');
  await openSettings(page);
  await section(page).getByRole('button', { name: 'Connect Google Calendar' }).click();
  await expect(page).toHaveURL(consentUrl);
  await page.getByRole('button', { name: 'Deny' }).click();
  await expect(page).toHaveURL(/\/settings(#google-calendar)?$/);
  await expect(status(page)).toHaveText('Google Calendar was not connected: access was declined on Google’s consent page.');
  await expect(section(page).getByRole('button', { name: 'Connect Google Calendar' })).toBeVisible();

  // A callback with a state this user never started: refused, readable, no stack trace.
  await page.goto('/api/calendar/oauth/callback?code=forged-code&state=not-a-state-we-issued');
  await expect(page).toHaveURL(/\/settings(#google-calendar)?$/);
  await expect(status(page)).toContainText('that sign-in link expired, was already used, or was started by another account');
  await expect(section(page).getByRole('button', { name: 'Connect Google Calendar' })).toBeVisible();

  // A callback without a code.
  await page.goto('/api/calendar/oauth/callback?state=x');
  await expect(status(page)).toContainText('without an authorization code');
});

test('a revoked refresh token shows the reconnect banner on every page until reconnected', async ({ page }) => {
  await signUpFresh(page, 'Cal Revoked', 'calendar-revoked');
  await openSettings(page);
  await connect(page);
  await expect(page.getByTestId('calendar-reconnect-banner')).toHaveCount(0);

  // Google revokes the refresh token and the stored access token expires: the next use refreshes, gets invalid_grant.
  await control(page, 'POST', '/google/revoke-refresh-tokens');
  const expired = (await control(page, 'POST', '/google/expire-access-tokens')) as { expired: number };
  expect(expired.expired).toBeGreaterThan(0);

  await section(page).getByRole('button', { name: 'Sync now' }).click();
  await expect(status(page)).toContainText('Google Calendar needs to be reconnected');
  const banner = page.getByTestId('calendar-reconnect-banner');
  await expect(banner).toContainText('Google Calendar needs to be reconnected.');
  await expect(section(page).getByTestId('calendar-needs-reconnect')).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
  await expect(page).toHaveURL(/\/today$/);
  await expect(banner).toContainText('Google Calendar needs to be reconnected.');

  await connect(page, { name: 'Reconnect', within: 'banner' });
  await expect(page.getByTestId('calendar-reconnect-banner')).toHaveCount(0);
  await section(page).getByRole('button', { name: 'Sync now' }).click();
  await expect(section(page).getByTestId('calendar-sync-counts')).toHaveText('created 0 · updated 0 · deleted 0 · unchanged 0 · failed 0');
});
