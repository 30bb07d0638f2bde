import { defineConfig } from '@playwright/test';

// Playwright drives Debian's Chromium (never a downloaded browser) against `next start`, launched
// by e2e/server.ts on a fresh database: a new PostgreSQL database when TEST_DATABASE_URL is set
// (always in CI), else the embedded PGlite in a temporary ORBITA_HOME.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;

export const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--headless',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: 'e2e',
  // The newcomer's journey runs against `npm start` on the embedded database (playwright.newcomer.config.ts).
  testIgnore: 'newcomer.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  outputDir: 'test-results',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromium,
  },
  webServer: {
    command: 'node --import tsx e2e/server.ts',
    url: `${baseURL}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { PORT: String(port), NEXTAUTH_URL: baseURL },
  },
});
