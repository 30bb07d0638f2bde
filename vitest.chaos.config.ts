import path from 'node:path';
import { defineConfig } from 'vitest/config';

// `npm run test:chaos`: the chaos suite alone. It closes every broker connection on the machine,
// so it never runs beside other broker tests.
export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['test/chaos/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 240_000,
    hookTimeout: 120_000,
    env: { LOG_LEVEL: 'silent' },
  },
});
