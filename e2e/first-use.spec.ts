import { expect, test } from '@playwright/test';
import { signUpFresh } from './helpers';

// What a newcomer meets on a first walk through the dashboard: icons (no 404 on the first page),
// dates and times in their own zone whatever the browser's (and no hydration error), Today showing
// the working day, every page reachable on a phone, and toasts that keep off the page's heading,
// navigation and controls. (Week's quarter-hour blocks and heading are in week.spec.ts.)

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
