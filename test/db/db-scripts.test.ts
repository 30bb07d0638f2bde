import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsDir, projectRoot } from '../../lib/paths';
import { createEmptyDatabase } from '../helpers/database';

// `npm run db:migrate | db:rollback | db:status` run scripts/db.ts; this runs it the same way.
let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
beforeAll(async () => {
  database = await createEmptyDatabase();
});
afterAll(async () => database?.drop());

function dbScript(command: string, env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'db.ts'), command], {
      cwd: projectRoot,
      env: { NODE_ENV: 'test', PATH: process.env.PATH, DATABASE_URL: database.url, ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

describe('npm run db:*', () => {
  it('status, migrate (idempotent), rollback one step at a time, migrate again', async () => {
    const names = fs.readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort().map((f) => f.replace(/\.sql$/, ''));
    expect(names.length).toBeGreaterThan(0);

    let result = await dbScript('status');
    expect(result.code).toBe(0);
    for (const name of names) expect(result.out).toMatch(new RegExp(`^pending\\s+${name}$`, 'm'));

    result = await dbScript('migrate');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`applied ${names.length} migration(s): ${names.join(', ')}`);
    expect((await dbScript('migrate')).out).toMatch(/database is up to date/);
    result = await dbScript('status');
    for (const name of names) expect(result.out).toMatch(new RegExp(`^applied\\s+${name}\\s+\\(`, 'm'));

    for (const name of [...names].reverse()) {
      result = await dbScript('rollback');
      expect(result.code).toBe(0);
      expect(result.out).toContain(`rolled back ${name}`);
    }
    expect((await dbScript('rollback')).out).toMatch(/nothing to roll back/);
    expect((await dbScript('status')).out).toContain(`${names.length} pending`);

    expect((await dbScript('migrate')).code).toBe(0);
  });

  it('fails with one line when the database is unreachable', async () => {
    const result = await dbScript('migrate', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(result.code).toBe(1);
    expect(result.out.trim().split('\n')).toHaveLength(1);
    expect(result.out).toMatch(/^orbita: /);
  });
});
