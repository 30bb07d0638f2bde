/**
 * The server Playwright tests run against: `scripts/start.ts` (build if needed + `next start`) on a
 * fresh database that is dropped afterwards.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../lib/paths';
import { createEmptyDatabase } from '../test/helpers/database';

async function main() {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXTAUTH_SECRET: 'e2e-secret-not-for-production', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  let cleanup = async () => {};
  if (process.env.TEST_DATABASE_URL || process.env.CI === 'true') {
    const database = await createEmptyDatabase();
    env.DATABASE_URL = database.url;
    cleanup = database.drop;
  } else {
    delete env.DATABASE_URL;
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'orbita-e2e-'));
    env.ORBITA_HOME = home;
    cleanup = async () => fs.rmSync(home, { recursive: true, force: true });
  }
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'start.ts')], { cwd: projectRoot, env, stdio: 'inherit' });
  const stop = (signal: NodeJS.Signals) => server.kill(signal);
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  server.on('exit', async (code) => {
    await cleanup().catch(() => {});
    process.exit(code ?? 0);
  });
}

void main();
