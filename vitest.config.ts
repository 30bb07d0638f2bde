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
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Each file gets its own database; two at once suits the 2-core reference machine.
    maxWorkers: 2,
    env: { LOG_LEVEL: 'silent' },
  },
});
