import { type APIRequestContext, expect, type Locator, type Page, test } from '@playwright/test';
import { DateTime } from 'luxon';
import { addCalendarDays, formatDateRange } from '../lib/format';
import { expectNoSeriousA11yViolations, queryDatabase, screenshotLightAndDark, signUpFresh } from './helpers';

const zone = 'Europe/Berlin';
test.use({ timezoneId: zone });

// Next week (Monday to Sunday in Berlin), computed from today: every block is in the future, so none
// is ever "missed", and no day falls outside the displayed week whatever day the suite runs on.
const nextMonday = DateTime.now().setZone(zone).startOf('week').plus({ weeks: 1 });
const mondayPlus = (days: number) => nextMonday.plus({ days }).toISODate()!;
const week = { monday: mondayPlus(0), tuesday: mondayPlus(1), wednesday: mondayPlus(2), thursday: mondayPlus(3), friday: mondayPlus(4) };
const weekUrl = `/week?date=${week.wednesday}`;

/** The instant of a Berlin wall-clock time on a date (the offset follows daylight saving time). */
const berlin = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone }).toUTC().toISO()!;

/** The week page's heading for the week starting `monday`: "Week of 7 – 13 Dec 2026", "Week of 30 Nov – 6 Dec 2026". */
const weekTitle = (monday: string) => `Week of ${formatDateRange(monday, addCalendarDays(monday, 6))}`;

async function createToken(page: Page): Promise<string> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Token name').fill('week e2e');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
  expect(token).toMatch(/^orb_pat_/);
  return token;
}

async function addBlock(request: APIRequestContext, token: string, body: Record<string, string>): Promise<string> {
  const response = await request.post('/api/v1/schedule/blocks', { headers: { Authorization: `Bearer ${token}` }, data: body });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** The stored start of a block as an ISO instant, or null on the embedded database (CI always has PostgreSQL). */
async function storedStart(id: string): Promise<string | null> {
  const rows = await queryDatabase<{ start_at: string }>('select start_at from schedule_blocks where id = $1', [id]);
  if (!rows) {
    expect(process.env.CI, 'CI runs the e2e suite on PostgreSQL').not.toBe('true');
    return null;
  }
  return new Date(rows[0].start_at).toISOString();
}

async function expectStoredStart(id: string, iso: string) {
  const stored = await storedStart(id);
  if (stored !== null) expect(stored).toBe(new Date(iso).toISOString());
}

const block = (page: Page, name: RegExp) => page.getByRole('button', { name });

/** The screen point of wall-clock `minute` in day column `day` (0 = Monday), `dy` px below it. */
async function gridPoint(page: Page, day: number, minute: number, dy = 10) {
  const body = page.getByTestId('week-grid-body');
  const box = await body.boundingBox();
  if (!box) throw new Error('week grid not visible');
  const gridStart = Number(await body.getAttribute('data-grid-start'));
  const px = Number(await body.getAttribute('data-px-per-minute'));
  return { x: box.x + (box.width / 7) * (day + 0.5), y: box.y + (minute - gridStart) * px + dy };
}

/** Drags from the top of a block (10 px in) to the same spot at `day`/`minute`, as a mouse would. */
async function dragBlock(page: Page, source: Locator, to: { x: number; y: number }) {
  const box = await source.boundingBox();
  if (!box) throw new Error('block not visible');
  await page.mouse.move(box.x + box.width / 2, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 5, box.y + 15, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await expect(page.getByTestId('move-preview')).toBeVisible();
  await page.mouse.up();
}

/** Counts server-action requests (POSTs to the page) from now on. */
function countActions(page: Page) {
  const seen = { count: 0 };
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.headers()['next-action']) seen.count += 1;
  });
  return seen;
}

test('drag a block to another day and time; a conflict or a drop outside the grid snaps back', async ({ page, request }, testInfo) => {
  await signUpFresh(page, 'Wendy Week', 'week');
  const token = await createToken(page);
  const deepWork = await addBlock(request, token, { type: 'focus', title: 'Deep work', date: week.tuesday, start: '09:00', end: '10:00' });
  const report = await addBlock(request, token, { type: 'task', title: 'Write report', date: week.wednesday, start: '11:00', end: '11:45' });
  const sync = await addBlock(request, token, { type: 'meeting', title: 'Team sync', date: week.thursday, start: '14:00', end: '15:00' });
  const imported = await queryDatabase(
    `insert into schedule_blocks (id, user_id, type, title, start_at, end_at, source, external_calendar_id, external_event_id)
     select gen_random_uuid(), user_id, 'event', 'Dentist', $2, $3, 'imported', 'primary', 'dentist-1'
     from schedule_blocks where id = $1 returning id`,
    [deepWork, berlin(week.friday, '09:00'), berlin(week.friday, '10:00')],
    { write: true },
  );

  await page.goto(weekUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(weekTitle(week.monday));
  await expect(page.getByText('focus a block, press Enter')).toBeVisible();
  await expect(block(page, /^Deep work, Tuesday 09:00–10:00, focus\. Press Enter to move\.$/)).toBeVisible();
  if (imported) {
    // Shown, but not a control: imported events move in their own calendar.
    await expect(page.getByTestId('week-block').filter({ hasText: 'Dentist' })).toContainText('imported');
    await expect(block(page, /Dentist/)).toHaveCount(0);
  }
  const actions = countActions(page);

  // Drag Deep work from Tuesday 09:00 to Wednesday 14:30: moved on the page, in the toast and in the database.
  await dragBlock(page, block(page, /^Deep work/), await gridPoint(page, 2, 14 * 60 + 30));
  await expect(page.getByTestId('toast-success').last()).toHaveText(/Moved Deep work to Wed 14:30/);
  await expect(block(page, /^Deep work, Wednesday 14:30–15:30, focus/)).toBeVisible();
  await expectStoredStart(deepWork, berlin(week.wednesday, '14:30'));
  expect(actions.count).toBe(1);
  await page.reload();
  await expect(block(page, /^Deep work, Wednesday 14:30–15:30/)).toBeVisible();

  // Drag Team sync onto Write report (Wednesday 11:00): the server refuses, it snaps back, the toast says why.
  const syncActions = countActions(page);
  await dragBlock(page, block(page, /^Team sync/), await gridPoint(page, 2, 11 * 60));
  await expect(page.getByTestId('toast-error').last()).toHaveText(/Couldn't move Team sync: the block overlaps "Write report" 11:00–11:45/);
  await expect(block(page, /^Team sync, Thursday 14:00–15:00, meeting/)).toBeVisible();
  await expectStoredStart(sync, berlin(week.thursday, '14:00'));
  expect(syncActions.count).toBe(1);
  await page.getByTestId('toast-error').getByRole('button', { name: 'Dismiss notification' }).click();

  // Dropped above the grid: snaps back without asking the server.
  const outsideActions = countActions(page);
  const reportBox = await block(page, /^Write report/).boundingBox();
  const gridBox = await page.getByTestId('week-grid-body').boundingBox();
  if (!reportBox || !gridBox) throw new Error('grid not visible');
  const grabX = reportBox.x + reportBox.width / 2;
  await page.mouse.move(grabX, reportBox.y + 10);
  await page.mouse.down();
  await page.mouse.move(grabX, reportBox.y - 50, { steps: 5 });
  await expect(page.getByTestId('move-preview')).toHaveText('Wed 10:00–10:45');
  await page.mouse.move(grabX, gridBox.y - 60, { steps: 5 });
  await expect(page.getByTestId('move-preview')).toHaveCount(0);
  await page.mouse.up();
  await expect(page.getByTestId('toast-info').last()).toHaveText(/Write report stays at Wed 11:00/);
  await expect(block(page, /^Write report, Wednesday 11:00–11:45/)).toBeVisible();
  expect(outsideActions.count).toBe(0);
  await expectStoredStart(report, berlin(week.wednesday, '11:00'));

  // The server cannot be reached: the block snaps back and the toast says nothing changed.
  await page.route('**/week**', (route) => (route.request().method() === 'POST' ? route.abort() : route.continue()));
  await dragBlock(page, block(page, /^Team sync/), await gridPoint(page, 4, 16 * 60));
  await expect(page.getByTestId('toast-error').last()).toHaveText(/Couldn't move Team sync: the server could not be reached/);
  await expect(block(page, /^Team sync, Thursday 14:00–15:00/)).toBeVisible();
  await page.unroute('**/week**');
  await expectStoredStart(sync, berlin(week.thursday, '14:00'));

  await expectNoSeriousA11yViolations(page);
  await screenshotLightAndDark(page, testInfo, 'week');

  // On a phone the grid scrolls inside its own box; the page does not.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  await expect(block(page, /^Deep work/)).toBeAttached();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  const scroller = page.getByTestId('week-scroll');
  expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await screenshotLightAndDark(page, testInfo, 'week-phone');
});

test('move a block with the keyboard; Escape cancels; previous and next week', async ({ page, request }) => {
  await signUpFresh(page, 'Keith Keys', 'week-keys');
  const token = await createToken(page);
  const report = await addBlock(request, token, { type: 'task', title: 'Write report', date: week.tuesday, start: '09:00', end: '09:45' });
  const sync = await addBlock(request, token, { type: 'meeting', title: 'Team sync', date: week.thursday, start: '14:00', end: '15:00' });
  await page.goto(weekUrl);

  // Enter picks it up, ↓×4 = one hour later, → = next day, Enter drops: Wednesday 10:00–10:45.
  const reportButton = block(page, /^Write report, Tuesday 09:00–09:45, task\. Press Enter to move\.$/);
  await reportButton.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('move-announcer')).toHaveText(/Moving Write report, Tuesday 09:00–09:45\. Arrow up and down/);
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('move-announcer')).toHaveText('Wednesday 10:00–10:45');
  await expect(page.getByTestId('move-preview')).toHaveText('Wed 10:00–10:45');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('toast-success').last()).toHaveText(/Moved Write report to Wed 10:00/);
  const moved = block(page, /^Write report, Wednesday 10:00–10:45, task/);
  await expect(moved).toBeVisible();
  await expect(moved).toBeFocused();
  await expectStoredStart(report, berlin(week.wednesday, '10:00'));

  // Escape puts it back where it was, without asking the server.
  const actions = countActions(page);
  const syncButton = block(page, /^Team sync, Thursday 14:00–15:00/);
  await syncButton.focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('move-preview')).toHaveText('Wed 13:45–14:45');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('move-preview')).toHaveCount(0);
  await expect(page.getByTestId('move-announcer')).toHaveText(/Move cancelled\. Team sync stays at Thursday 14:00–15:00/);
  await expect(syncButton).toBeFocused();
  expect(actions.count).toBe(0);
  await expectStoredStart(sync, berlin(week.thursday, '14:00'));

  // Onto another block with the keyboard: refused, back in place.
  await syncButton.focus();
  await page.keyboard.press('Enter');
  for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowUp'); // 14:00 → 10:00
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('toast-error').last()).toHaveText(/overlaps "Write report" 10:00–10:45/);
  await expect(block(page, /^Team sync, Thursday 14:00–15:00/)).toBeVisible();
  await expectStoredStart(sync, berlin(week.thursday, '14:00'));

  // Late in the evening the grid runs to midnight, and a block moved past it keeps its length into the next day.
  const late = await addBlock(request, token, { type: 'focus', title: 'Late reading', date: week.monday, start: '22:30', end: '23:30' });
  await page.reload();
  await expect(page.getByTestId('week-grid-body')).toHaveAttribute('data-grid-end', '1440');
  await block(page, /^Late reading, Monday 22:30–23:30/).focus();
  await page.keyboard.press('Enter');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('move-preview')).toHaveText('Mon 23:30–00:30 next day');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('toast-success').last()).toHaveText(/Moved Late reading to Mon 23:30/);
  await expect(block(page, /^Late reading, Monday 23:30–00:30 next day/)).toBeVisible();
  await expect(page.getByTestId('week-block').filter({ hasText: 'Late reading' }).filter({ hasText: 'continued, until 00:30' })).toBeVisible();
  await expectStoredStart(late, berlin(week.monday, '23:30'));

  // Week navigation.
  await page.getByRole('link', { name: 'Next week' }).click();
  await expect(page).toHaveURL(new RegExp(`/week\\?date=${mondayPlus(7)}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(weekTitle(mondayPlus(7)));
  await expect(page.getByTestId('week-empty')).toHaveText(/No blocks this week — plan your day on Today/);
  await page.getByRole('link', { name: 'Previous week' }).click();
  await expect(page).toHaveURL(new RegExp(`/week\\?date=${week.monday}$`));
  await expect(block(page, /^Team sync/)).toBeVisible();
  await page.getByRole('link', { name: 'Previous week' }).click();
  await expect(page).toHaveURL(new RegExp(`/week\\?date=${mondayPlus(-7)}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(weekTitle(mondayPlus(-7)));
  await page.getByRole('link', { name: 'This week' }).click();
  await expect(page).toHaveURL(/\/week$/);
  await expect(page.locator('[aria-current="date"]').filter({ hasText: 'Today' })).toBeVisible();

  // The title of a week across two months and across two years (fixed weeks: the title of a week
  // without blocks does not depend on today).
  await page.goto('/week?date=2026-12-02');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Week of 30 Nov – 6 Dec 2026');
  await page.goto('/week?date=2027-01-01');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Week of 28 Dec 2026 – 3 Jan 2027');

  // A bad date is explained, and this week shown instead (never a 500).
  const response = await page.goto('/week?date=2026-13-45');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('alert').filter({ hasText: 'showing this week instead' })).toBeVisible();
});

test('the heading reads as one phrase; a quarter-hour block shows its title, in full on hover and focus', async ({ page, request }) => {
  await signUpFresh(page, 'Quinn Quarter', 'week-quarter');
  const token = await createToken(page);
  const date = week.wednesday;
  const title = 'Stand-up with the platform team';
  await addBlock(request, token, { type: 'meeting', title, date, start: '10:00', end: '10:15' });
  await addBlock(request, token, { type: 'task', title: 'Reply to Sam', date, start: '10:15', end: '10:30' });
  await page.goto(`/week?date=${date}`);

  // What a screen reader says: "Week of 7 – 13 Dec 2026", not the words run together.
  await expect(page.getByRole('heading', { level: 1 })).toMatchAriaSnapshot(`- heading "${weekTitle(week.monday)}" [level=1]`);

  const standup = block(page, new RegExp(`^${title}, \\w+day 10:00–10:15, meeting`));
  await expect(standup).toHaveAttribute('title', `${title}, 10:00–10:15`);
  // The title's line fits inside the 15-minute box (shortened with an ellipsis when narrow, never cut off vertically).
  const name = standup.getByText(title, { exact: true });
  const [outer, inner] = [await standup.boundingBox(), await name.boundingBox()];
  if (!outer || !inner) throw new Error('block not drawn');
  expect(inner.y).toBeGreaterThanOrEqual(outer.y);
  expect(inner.y + inner.height).toBeLessThanOrEqual(outer.y + outer.height + 0.5);
  expect(inner.width).toBeGreaterThan(20);

  // Keyboard focus shows the whole block: the full title and its times, nothing clipped.
  await block(page, /^Reply to Sam/).focus();
  await page.keyboard.press('Shift+Tab');
  await expect(standup).toBeFocused();
  await expect(standup.getByText('10:00–10:15 · meeting')).toBeVisible();
  expect(await standup.evaluate((element) => element.scrollHeight <= element.clientHeight + 1 && element.scrollWidth <= element.clientWidth + 1)).toBe(true);
});
