/**
 * The server Playwright tests run against: `scripts/start.ts` (build if needed + `next start`) on a
 * fresh database that is dropped afterwards, with Stripe pointed at the loopback fake.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../lib/paths';
import { modules } from '../lib/billing/modules';
import { startFakeStripe } from '../test/fakes/stripe/server';
import { createEmptyDatabase } from '../test/helpers/database';


async function main() {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXTAUTH_SECRET: 'e2e-secret-not-for-production', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  const stripe = await startFakeStripe();
  // Stripe for the browser tests: the loopback fake, with a price for every module.
  for (const name of modules) stripe.putPrice({ id: `price_${name.replace(/-/g, '_')}`, lookup_key: `orbita:${name}` });
  Object.assign(env, { STRIPE_API_KEY: 'sk_test_e2e', STRIPE_WEBHOOK_SECRET: 'whsec_e2e', STRIPE_API_BASE_URL: stripe.url });
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
    await stripe.close().catch(() => {});
    process.exit(code ?? 0);
  });
}

void main();
