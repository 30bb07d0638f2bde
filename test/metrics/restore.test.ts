import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as readyz } from '../../app/readyz/route';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { migrateUp } from '../../lib/db/migrate';
import { checkDatabase } from '../../lib/health';
import { createTask } from '../../lib/tasks/service';
import { createEmptyDatabase, createTestDatabase, type TestDatabase } from '../helpers/database';
import { userWithToken } from '../helpers/users';

/**
 * SPEC §11: the backup/restore procedure of docs/operations.md, run for real — a logical dump
 * (pg_dump --format=custom) restored into a fresh database, `db:migrate`, then /readyz.
 */
const postgres = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
const hasTools = (() => {
  try {
    execFileSync('pg_dump', ['--version']);
    execFileSync('pg_restore', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

let source: TestDatabase;
let target: Awaited<ReturnType<typeof createEmptyDatabase>>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orbita-backup-'));

beforeAll(async () => {
  if (!postgres || !hasTools) return;
  source = await createTestDatabase();
  target = await createEmptyDatabase();
});
afterAll(async () => {
  await disconnectDb();
  await source?.drop();
  await target?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!postgres || !hasTools)('backup and restore', () => {
  it('a pg_dump restored into a fresh database passes /readyz with the data intact', async () => {
    const user = await userWithToken(source.db, 'Backed up', 'Europe/Berlin');
    await createTask({ db: source.db, userId: user.id, now: () => new Date() }, { title: 'Survives the restore' });
    const file = path.join(dir, 'orbita.dump');
    execFileSync('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, source.url]);
    execFileSync('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${target.url}`, file]);

    // "Apply any missing migrations": nothing is missing, and running it is harmless.
    expect(await migrateUp(target.url)).toEqual([]);
    connectDatabase(target.url);
    const ready = await readyz(new Request('http://localhost/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { migrations: 'up to date' } });
    expect((await checkDatabase(target.url)).ok).toBe(true); // the worker's /readyz check
    const tasks = await connectDatabase(target.url).task.findMany({ where: { userId: user.id } });
    expect(tasks.map((t) => t.title)).toEqual(['Survives the restore']);
  });
});
