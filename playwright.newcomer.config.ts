import { defineConfig } from '@playwright/test';
import { chromium } from './playwright.config';

// The newcomer's journey (e2e/newcomer.spec.ts) against an `npm start` already running on the
// embedded database at NEWCOMER_URL: .ci/newcomer-journey.sh starts it, runs the CLI beside it and
// repeats the journey on the one database.
export default defineConfig({
  testDir: 'e2e',
  testMatch: 'newcomer.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: 'list',
  outputDir: 'test-results/newcomer',
  use: {
    baseURL: process.env.NEWCOMER_URL ?? 'http://localhost:3200',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromium,
  },
});
