import { type APIRequestContext, expect, type Locator, type Page, test } from '@playwright/test';
import { addCalendarDays, formatDate, formatDateTime, wallClock } from '../lib/format';
import { makeAdmin, queryDatabase, signUpFresh } from './helpers';

// What a newcomer meets on a first walk through the dashboard: icons (no 404 on the first page),
// dates and times in their own zone whatever the browser's (and no hydration error), Today showing
// the working day, every page reachable on a phone, and toasts that keep off the page's heading,
// navigation and controls. (Week's quarter-hour blocks and heading are in week.spec.ts.)

const pages = ['/today', '/week', '/tasks', '/habits', '/meetings', '/billing', '/settings'];

async function createToken(page: Page): Promise<string> {
  await page.goto('/settings');
  await page.getByLabel('Token name').fill('first-use e2e');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent())?.trim() ?? '';
  expect(token).toMatch(/^orb_pat_/);
  return token;
}

async function api(request: APIRequestContext, token: string, method: 'post' | 'patch', path: string, data: unknown) {
  const response = await request[method](path, { headers: { authorization: `Bearer ${token}` }, data });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBe(true);
}

const allWeek = (start: string, end: string) => Array.from({ length: 7 }, () => ({ start, end }));

/** Minutes between a wall-clock time (HH:MM) and now in `zone`, the short way round midnight. */
function minutesFromNow(hhmm: string, zone: string): number {
  const difference = Math.abs(Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)) - wallClock(Date.now(), zone).minute);
  return Math.min(difference, 24 * 60 - difference);
}

/** Console errors and uncaught page errors (a hydration mismatch is React error #418 in production). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  return errors;
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function box(locator: Locator): Promise<Box> {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`${locator} has no box`);
  return found;
}

test('the first pages load without a failed request, and the icons answer without signing in', async ({ page, request }) => {
  const failures: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') failures.push(`console: ${message.text()}`);
  });
  await page.goto('/signin');
  await page.waitForLoadState('networkidle');

  // The App Router's icon files: linked from every page, served to anyone (the `request` fixture has no session).
  const icons = await page.locator('head link[rel~="icon"], head link[rel="apple-touch-icon"]').evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).href));
  expect(icons.map((href) => new URL(href).pathname).sort()).toEqual(['/apple-icon.png', '/favicon.ico', '/icon.svg']);
  for (const href of [...icons, new URL('/favicon.ico', page.url()).href]) {
    const response = await request.get(href);
    expect(response.status(), href).toBe(200);
    expect(response.headers()['content-type'], href).toMatch(/^image\//);
  }

  await signUpFresh(page, 'First Visit', 'first');
  await page.waitForLoadState('networkidle');
  expect(failures).toEqual([]);
});

test.describe('in a browser whose zone is neither the user’s nor the server’s', () => {
  test.use({ timezoneId: 'America/Los_Angeles', locale: 'en-US' });

  test('every page shows dates and times in the user’s zone, 24-hour, and hydrates without an error', async ({ page }) => {
    const errors = watchErrors(page);
    const serverZone = Intl.DateTimeFormat().resolvedOptions().timeZone; // the e2e server runs on this machine
    const zone = ['Asia/Kolkata', 'Australia/Adelaide'].find((candidate) => candidate !== serverZone) as string;
    const email = await signUpFresh(page, 'Zoe Zone', 'zones');
    const token = await createToken(page);
    // Using the token stamps its "last used", which Settings shows.
    await api(page.request, token, 'patch', '/api/v1/me', { timeZone: zone, workingHours: allWeek('00:00', '24:00') });
    const admin = await makeAdmin(email);
    const today = wallClock(Date.now(), zone).date;
    const tomorrow = addCalendarDays(today, 1);
    await api(page.request, token, 'post', '/api/v1/schedule/blocks', { type: 'break', title: 'Night shift', date: today, start: '00:15', end: '00:45' });
    await api(page.request, token, 'post', '/api/v1/schedule/blocks', { type: 'focus', title: 'Early focus', date: tomorrow, start: '05:30', end: '06:15' });
    await api(page.request, token, 'post', '/api/v1/tasks', { title: 'File taxes', due: `${tomorrow}T16:45` });

    for (const path of admin ? [...pages, '/operations'] : pages) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForLoadState('networkidle');
      // No 12-hour clock anywhere on the page (the browser's locale is en-US).
      await expect(page.locator('main')).not.toContainText(/\d\s?[AP]M\b/);
    }

    // Settings: the token's last use in the user's zone; the working hours as 24-hour text (not the browser's time picker).
    await page.goto('/settings');
    const lastUsed = await queryDatabase<{ last_used_at: string }>('select t.last_used_at::text as last_used_at from personal_access_tokens t join users u on u.id = t.user_id where u.email = $1', [email]);
    const tokenRow = page.getByRole('row').filter({ hasText: 'first-use e2e' });
    if (lastUsed) {
      const usedAt = new Date(lastUsed[0].last_used_at);
      const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(usedAt);
      await expect(tokenRow).toContainText(hhmm);
      await expect(tokenRow).toContainText(formatDateTime(usedAt, zone));
    }
    const mondayStart = page.getByLabel('Monday start');
    await expect(mondayStart).toHaveValue('00:00');
    await expect(mondayStart).toHaveAttribute('type', 'text');
    await expect(page.getByLabel('Monday end')).toHaveValue('24:00');

    // Today: the user's zone, and the now-line at the user's wall clock.
    await page.goto('/today');
    await expect(page.getByTestId('today-subtitle')).toContainText(`${formatDate(today)} · ${zone}`);
    const nowText = (await page.getByTestId('now-line').textContent()) ?? '';
    expect(nowText).toMatch(/^Now \d{2}:\d{2}$/);
    expect(minutesFromNow(nowText.slice(4), zone), `${nowText} in ${zone}`).toBeLessThanOrEqual(2);
    await page.goto(`/today?date=${tomorrow}`);
    await expect(page.getByTestId('timeline-block').filter({ hasText: 'Early focus' }).getByTestId('block-time')).toHaveText('05:30–06:15');

    // Week, Tasks and Operations.
    await page.goto(`/week?date=${tomorrow}`);
    await expect(page.getByRole('button', { name: /^Early focus, \w+day 05:30–06:15/ })).toBeVisible();
    await page.goto('/tasks');
    await expect(page.getByRole('listitem').filter({ hasText: 'File taxes' })).toContainText(`Due ${formatDate(tomorrow, today)}, 16:45`);
    if (admin) {
      await page.goto('/operations');
      const asOf = (await page.getByTestId('as-of').textContent()) ?? '';
      expect(asOf).toMatch(/^\w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2}:\d{2}$/);
      expect(asOf.startsWith(formatDate(wallClock(Date.now(), zone).date))).toBe(true);
      expect(minutesFromNow(asOf.slice(-8, -3), zone), `${asOf} in ${zone}`).toBeLessThanOrEqual(2);
    }

    expect(errors).toEqual([]);
  });
});

test('Today spans the working day, and on load scrolls the now-line into view', async ({ page }) => {
  // A zone where it is afternoon or evening now, so the now-line of a whole-day timeline is far below the top.
  const offset = [...Array(27).keys()].map((i) => i - 12).find((hours) => {
    const hour = (new Date().getUTCHours() + hours + 24) % 24;
    return hour >= 14 && hour <= 21;
  }) as number;
  const zone = offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`; // Etc/GMT-5 is UTC+5
  await page.setViewportSize({ width: 1280, height: 900 });
  await signUpFresh(page, 'Noor Now', 'today-now');
  const token = await createToken(page);
  await api(page.request, token, 'patch', '/api/v1/me', { timeZone: zone, workingHours: allWeek('00:00', '24:00') });
  const today = wallClock(Date.now(), zone).date;
  await api(page.request, token, 'post', '/api/v1/schedule/blocks', { type: 'focus', title: 'Night owl', date: today, start: '01:00', end: '01:30' });

  await page.goto('/today');
  const scroller = page.getByTestId('timeline-scroll');
  const nowLine = page.getByTestId('now-line');
  await expect(nowLine).toBeInViewport();
  const [area, line] = [await box(scroller), await box(nowLine)];
  expect(line.y).toBeGreaterThanOrEqual(area.y);
  expect(line.y).toBeLessThanOrEqual(area.y + area.height);
  expect(await page.evaluate(() => window.scrollY), 'the box scrolls, not the page').toBe(0);
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeInViewport();

  // Another day: its working hours (09:00–17:00 now), widened to a block before them, in whole hours.
  await api(page.request, token, 'patch', '/api/v1/me', { workingHours: allWeek('09:00', '17:00') });
  const tomorrow = addCalendarDays(today, 1);
  await api(page.request, token, 'post', '/api/v1/schedule/blocks', { type: 'habit', title: 'Run', date: tomorrow, start: '07:15', end: '07:45' });
  await page.goto(`/today?date=${tomorrow}`);
  const hours = page.getByTestId('timeline-hour');
  await expect(hours.first()).toHaveText('07:00');
  await expect(hours.last()).toHaveText('17:00');
  await expect(hours).toHaveCount(11);
  await expect(nowLine).toHaveCount(0);
});

test('on a phone every page is one tap away without sideways scrolling, and Quick add sits above the timeline', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const email = await signUpFresh(page, 'Pia Phone', 'phone');
  const token = await createToken(page);
  const admin = await makeAdmin(email);
  const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  await api(page.request, token, 'post', '/api/v1/schedule/blocks', { type: 'focus', title: 'Deep work', date: wallClock(Date.now(), zone).date, start: '10:00', end: '11:00' });
  const all = admin ? [...pages, '/operations'] : pages;
  const nav = page.getByRole('navigation', { name: 'Main' });

  for (const path of all) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    const links = nav.getByRole('link');
    await expect(links).toHaveCount(all.length);
    for (const link of await links.all()) {
      await expect(link).toBeInViewport({ ratio: 1 });
      // Not clipped by a scrolling container either: the link is what a tap on its middle hits.
      const hit = await link.evaluate((element) => {
        const rect = element.getBoundingClientRect();
        return element.contains(document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2));
      });
      expect(hit, `${await link.textContent()} on ${path}`).toBe(true);
    }
  }

  // Every page by tapping its link.
  for (const path of all) {
    await nav.getByRole('link').and(page.locator(`[href="${path}"]`)).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
  }

  await page.goto('/today');
  const quickAdd = page.getByRole('textbox', { name: 'Quick add' });
  await expect(quickAdd).toBeInViewport({ ratio: 1 });
  expect((await box(quickAdd)).y).toBeLessThan((await box(page.getByTestId('timeline'))).y);
});

test('toasts keep off the heading, the navigation and Quick add, and never hide the end of a page', async ({ page }) => {
  await signUpFresh(page, 'Tess Toast', 'toast');
  let n = 0;
  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    await page.goto('/today');
    const quickAdd = page.getByRole('textbox', { name: 'Quick add' });
    await quickAdd.fill(`Toast check ${++n} 15m`);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const toast = page.getByTestId('toast-success').last();
    await expect(toast).toBeVisible();
    const toastBox = await box(toast);
    for (const [name, locator] of [
      ['heading', page.getByRole('heading', { level: 1 })],
      ['navigation', page.getByRole('navigation', { name: 'Main' })],
      ['Quick add', quickAdd],
      ['Add', page.getByRole('button', { name: 'Add', exact: true })],
    ] as const) {
      expect(overlaps(toastBox, await box(locator)), `the toast covers the ${name} at ${viewport.width}px`).toBe(false);
    }
    // Scrolled to the end, the page's last content sits above the toast (the page makes room for it).
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1)).toBe(true);
    const contentBottom = await page.locator('main > *').last().evaluate((element) => element.getBoundingClientRect().bottom);
    expect(contentBottom, `at ${viewport.width}px`).toBeLessThanOrEqual((await box(toast)).y);
  }
});
