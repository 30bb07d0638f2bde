#!/usr/bin/env node
// The `orbita` command. The CLI is TypeScript run through tsx, so `npx orbita …` works right after
// `npm install` with no build step.
import { register } from 'tsx/esm/api';

// Marks the process as the CLI before any module loads: logs then go to stderr, never into --json output.
process.env.ORBITA_CLI = '1';
register();
// Test-only: ORBITA_TEST_CLOCK_OFFSET moves the clock when NODE_ENV=test (lib/testing/clock-shift.ts).
await import('../lib/testing/clock-shift.ts');
await import('../cli/main.ts');
