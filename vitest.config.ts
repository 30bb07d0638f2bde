import path from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['test/**/*.test.ts', 'lib/**/*.test.ts'],
    // The chaos suite closes every broker connection on the machine: it runs alone (npm run test:chaos).
    exclude: [...configDefaults.exclude, 'test/chaos/**'],
    environment: 'node',
    pool: 'forks',
    // CLI tests start a real `orbita` process per command (about 2–3 s each on the 2-core machine,
    // more while the other worker is busy): a budget for correctness, not a speed check (bench/ is).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each file gets its own database; two at once suits the 2-core reference machine.
    maxWorkers: 2,
    env: { LOG_LEVEL: 'silent' },
    // A no-op unless ORBITA_TEST_CLOCK_OFFSET is set (npm run test:shifted): then "now" moves for
    // the test process, and the helpers pass the variable on to the processes tests start.
    setupFiles: ['lib/testing/clock-shift.ts'],
  },
});
