/**
 * `npm start`: the whole product on one machine. Without DATABASE_URL it starts the embedded
 * database (PGlite, data under .orbita/), applies migrations, builds the app if needed and starts
 * the dashboard on PORT (default 3000). With DATABASE_URL it uses that server and never touches PGlite.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config, ConfigError } from '../lib/config';
import { advertiseDashboard, EmbeddedAppRunning } from '../lib/db/embedded';
import { migrateUp } from '../lib/db/migrate';
import { resolveDatabase } from '../lib/db/resolve';
import { orbitaHome, projectRoot } from '../lib/paths';
import { buildIfStale, nextBin } from './next-build';

const dev = process.argv.includes('--dev');

function say(message: string) {
  console.log(`orbita: ${message}`);
}

/** A stable session secret for local use, kept in .orbita/ so sign-ins survive restarts. */
function localAuthSecret(): string {
  const file = path.join(orbitaHome(), 'auth-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(orbitaHome(), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

async function main() {
  const c = config();
  const database = await resolveDatabase({ asApp: true, onWait: () => say('waiting for an orbita command to finish with the embedded database…') });
  if (c.DATABASE_URL) {
    const applied = await migrateUp(c.DATABASE_URL);
    say(`using DATABASE_URL${applied.length ? `; applied ${applied.length} migration(s)` : ''}`);
  } else {
    say(`embedded database ready (${path.join(orbitaHome(), 'pgdata')}); set DATABASE_URL to use your own PostgreSQL`);
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET || localAuthSecret(),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL || `http://localhost:${c.PORT}`,
    PORT: String(c.PORT),
  };

  const buildStatus = dev ? 0 : buildIfStale(env, say);
  if (buildStatus !== 0) {
    await database.stop();
    process.exit(buildStatus);
  }

  say(`dashboard on http://localhost:${c.PORT}`);
  if (database.owned) advertiseDashboard(`http://localhost:${c.PORT}`);
  const server = spawn(process.execPath, [nextBin, dev ? 'dev' : 'start', '--port', String(c.PORT)], {
    cwd: projectRoot,
    stdio: 'inherit',
    env,
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    server.kill(signal);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  server.on('exit', async (code) => {
    await database.stop();
    process.exit(stopping ? 0 : (code ?? 1));
  });
}

main().catch((error) => {
  const known = error instanceof ConfigError || error instanceof EmbeddedAppRunning;
  console.error(`orbita: ${known ? error.message : `could not start: ${(error as Error).message}`}`);
  process.exit(1);
});
