import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';

/**
 * A zone where it is late morning now (07:00–13:59), so today has room for a plan whatever time the
 * suite runs. The offsets (+13 … −10) leave no gap wider than four hours, so one always fits.
 */
export function lateMorningZone(): string | undefined {
  return ['Pacific/Auckland', 'Asia/Tokyo', 'Asia/Shanghai', 'Asia/Dubai', 'Europe/Moscow', 'Europe/London', 'America/Sao_Paulo', 'America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu']
    .filter((candidate) => Intl.supportedValuesOf('timeZone').includes(candidate))
    .find((candidate) => {
      const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: candidate, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
      return hour >= 7 && hour <= 13;
    });
}

/** Follows a link of the main navigation. */
export const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

/** Creates a daily habit on the Habits page (the caller is on it) and waits for the toast. */
export async function createDailyHabit(page: Page, name: string, minutes: number): Promise<void> {
  const form = page.getByRole('region', { name: 'New habit' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Frequency').selectOption('daily');
  await form.getByLabel('Duration (minutes)').fill(String(minutes));
  await form.getByRole('button', { name: 'Create habit' }).click();
  await expect(page.getByTestId('toast-success').filter({ hasText: `Created “${name}”.` })).toBeVisible();
}

/** Signs up a new account with a unique email and lands on Today. */
export async function signUpFresh(page: Page, name: string, tag: string): Promise<string> {
  const email = `e2e-${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
  await page.goto('/signup');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a-good-long-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/today$/);
  return email;
}

/**
 * Runs axe (WCAG 2.x A/AA rules) on the page as it is now, in light and in dark mode, and fails
 * with the list of serious or critical violations.
 */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${colorScheme}: ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('\n    ')}`);
    expect(serious, `axe violations on ${page.url()}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}

/** Full-page screenshots in light and dark mode, attached to the test report as `<name>-light.png` / `<name>-dark.png`. */
export async function screenshotLightAndDark(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const file = testInfo.outputPath(`${name}-${colorScheme}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    await testInfo.attach(`${name}-${colorScheme}`, { path: file, contentType: 'image/png' });
  }
  await page.emulateMedia({ colorScheme: null });
}

/** The e2e control server (e2e/server.ts), on PORT + 2. */
export const controlUrl = `http://127.0.0.1:${Number(process.env.E2E_CONTROL_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 2)}`;

/**
 * Runs a SQL query against the e2e server's database through the control server: read-only unless
 * `write` (test setup such as granting a module or marking an outbox event dead).
 * Needs PostgreSQL (TEST_DATABASE_URL, always in CI); answers null on the embedded database.
 */
export async function queryDatabase<Row = Record<string, unknown>>(sql: string, params: unknown[] = [], options: { write?: boolean } = {}): Promise<Row[] | null> {
  const response = await fetch(`${controlUrl}/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sql, params, write: options.write === true }),
  });
  if (response.status === 501) return null;
  if (!response.ok) throw new Error(`control server /sql: ${response.status} ${await response.text()}`);
  return (await response.json()) as Row[];
}

/** Makes the user an admin through the control server; false on the embedded database (CI always has PostgreSQL). */
export async function makeAdmin(email: string): Promise<boolean> {
  const response = await fetch(`${controlUrl}/admin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
  if (response.status === 501) {
    expect(process.env.CI, 'CI runs the e2e suite on PostgreSQL, where admins are checked').not.toBe('true');
    return false;
  }
  expect(response.status, await response.text()).toBe(200);
  return true;
}
