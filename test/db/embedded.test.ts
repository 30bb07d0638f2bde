import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../lib/db/client';
import { advertiseDashboard, EmbeddedAppRunning, findRunningEmbedded, serveEmbeddedApp, startEmbedded } from '../../lib/db/embedded';
import { migrateUp } from '../../lib/db/migrate';
import { runCli } from '../helpers/cli';

// The embedded default (DATABASE_URL unset) is PGlite under ORBITA_HOME; these tests use a
// temporary ORBITA_HOME so they never touch a developer's .orbita/.
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'orbita-home-'));
const previousHome = process.env.ORBITA_HOME;

beforeAll(() => {
  process.env.ORBITA_HOME = home;
});
afterAll(() => {
  if (previousHome === undefined) delete process.env.ORBITA_HOME;
  else process.env.ORBITA_HOME = previousHome;
  fs.rmSync(home, { recursive: true, force: true });
});

describe('embedded database', () => {
  it('keeps data across restarts and is shared with other processes while running', async () => {
    // First run: the CLI finds no server, starts PGlite itself, migrates and creates the local user.
    const first = await runCli(['user', 'create', '--email', 'keeper@example.com', '--json'], { ORBITA_HOME: home });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const created = JSON.parse(first.stdout);
    expect(fs.existsSync(path.join(home, 'pgdata'))).toBe(true);
    expect(await findRunningEmbedded()).toBeNull(); // the CLI stopped its server on exit

    // Restart in this process (like `npm start`): the data is still there.
    const server = await startEmbedded();
    try {
      expect(await migrateUp(server.url)).toEqual([]);
      const db = createDb(server.url, { max: 2 });
      expect((await db.user.findUniqueOrThrow({ where: { id: created.id } })).email).toBe('keeper@example.com');
      await db.$disconnect();

      // While it runs, another process connects to it instead of opening the files.
      expect((await findRunningEmbedded())?.url).toBe(server.url);
      await expect(startEmbedded()).rejects.toThrow(/in use by another process/);
      const listed = await runCli(['user', 'list', '--json'], { ORBITA_HOME: home });
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout).map((u: { email: string }) => u.email)).toEqual(['keeper@example.com']);
    } finally {
      await server.stop();
    }
    expect(fs.existsSync(path.join(home, 'embedded.json'))).toBe(false);
  });

  it('orbita health names the embedded database, whether it starts it or another process serves it', async () => {
    const pgdata = path.join(home, 'pgdata');
    const started = await runCli(['health'], { ORBITA_HOME: home });
    expect(started.code).toBe(0);
    expect(started.stdout).toMatch(new RegExp(`^database\\s+ok\\s+embedded database at ${pgdata} · reachable \\(\\d+ ms\\)$`, 'm'));

    const server = await startEmbedded(); // as `npm start` does
    try {
      const shared = await runCli(['health', '--json'], { ORBITA_HOME: home });
      expect(shared.code).toBe(0);
      expect(JSON.parse(shared.stdout).checks[0]).toMatchObject({
        name: 'database',
        ok: true,
        target: `embedded database at ${pgdata}`,
        database: { kind: 'embedded', path: pgdata },
      });
    } finally {
      await server.stop();
    }
  });

  it('a second app on the same ORBITA_HOME is refused with where the first runs; a command holding the database is waited for', async () => {
    const app = await serveEmbeddedApp();
    advertiseDashboard('http://localhost:3999');
    try {
      const second = await serveEmbeddedApp().then(
        () => null,
        (error: unknown) => error,
      );
      expect(second).toBeInstanceOf(EmbeddedAppRunning);
      expect((second as Error).message).toBe(
        `Orbita is already running on ${home} (pid ${process.pid}, dashboard on http://localhost:3999): stop it first (Ctrl-C in its terminal), or set ORBITA_HOME to another directory`,
      );
      expect(await findRunningEmbedded()).toMatchObject({ role: 'app', dashboard: 'http://localhost:3999' });
    } finally {
      await app.stop();
    }

    // A CLI command's own server (it ends with the command): the app waits for it, then serves its own.
    const command = await startEmbedded();
    let waited = false;
    const starting = serveEmbeddedApp({ onWait: () => (waited = true) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await command.stop();
    const served = await starting;
    expect(waited).toBe(true);
    expect(await findRunningEmbedded()).toMatchObject({ role: 'app', url: served.url });
    await served.stop();
  });

  it('breaks a stale lock left by a crashed process', async () => {
    fs.writeFileSync(path.join(home, 'embedded.lock'), '999999');
    const server = await startEmbedded();
    await server.stop();
  });
});
