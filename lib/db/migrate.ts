import fs from 'node:fs';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { migrationsDir } from '../paths';

export const migrationsTable = 'pgmigrations';

export interface MigrationStatus {
  name: string;
  appliedAt: Date | null;
}

type Log = (message: string) => void;

function runnerOptions(databaseUrl: string, log: Log) {
  return {
    databaseUrl,
    dir: migrationsDir,
    migrationsTable,
    checkOrder: true,
    singleTransaction: true,
    log,
    // Failures are thrown to the caller, which reports them once; the runner's own error output
    // (a multi-line dump with a stack) is dropped.
    logger: { debug: () => {}, info: log, warn: log, error: () => {} },
  };
}

/** Applies every pending migration (idempotent). Returns the names applied now. */
export async function migrateUp(databaseUrl: string, log: Log = () => {}): Promise<string[]> {
  const applied = await runner({ ...runnerOptions(databaseUrl, log), direction: 'up' });
  return applied.map((m) => m.name);
}

/** Rolls back `steps` migrations (default one) with their committed down scripts. */
export async function migrateDown(databaseUrl: string, steps = 1, log: Log = () => {}): Promise<string[]> {
  const reverted = await runner({ ...runnerOptions(databaseUrl, log), direction: 'down', count: steps });
  return reverted.map((m) => m.name);
}

/** Every migration file with when it was applied (null: pending). */
export async function migrationStatus(databaseUrl: string): Promise<MigrationStatus[]> {
  const files = fs
    .readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => f.replace(/\.sql$/, ''));
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const exists = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [migrationsTable]);
    const rows = exists.rows[0].present
      ? (await client.query<{ name: string; run_on: Date }>(`SELECT name, run_on FROM ${migrationsTable}`)).rows
      : [];
    const appliedAt = new Map(rows.map((r) => [r.name, r.run_on]));
    return files.map((name) => ({ name, appliedAt: appliedAt.get(name) ?? null }));
  } finally {
    await client.end();
  }
}
