import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateUp, migrationStatus } from '../../lib/db/migrate';
import { createEmptyDatabase } from '../helpers/database';

let database: Awaited<ReturnType<typeof createEmptyDatabase>>;

beforeAll(async () => {
  database = await createEmptyDatabase();
});
afterAll(async () => database?.drop());

async function publicTables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

async function publicEnums(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ typname: string }>(
      `SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'`,
    );
    return rows.map((r) => r.typname);
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  it('go up from empty, down to empty and up again', async () => {
    expect(await publicTables(database.url)).toEqual([]);

    const applied = await migrateUp(database.url);
    expect(applied.length).toBeGreaterThan(0);
    const tables = await publicTables(database.url);
    expect(tables).toEqual(expect.arrayContaining(['users', 'tasks', 'schedule_blocks', 'outbox_events', 'pgmigrations']));

    // Idempotent: a second run applies nothing and changes nothing.
    expect(await migrateUp(database.url)).toEqual([]);
    expect(await publicTables(database.url)).toEqual(tables);
    expect((await migrationStatus(database.url)).every((m) => m.appliedAt)).toBe(true);

    // Down, one step at a time, until nothing is left but the bookkeeping table.
    for (const name of [...applied].reverse()) {
      expect(await migrateDown(database.url, 1)).toEqual([name]);
    }
    expect(await publicTables(database.url)).toEqual(['pgmigrations']);
    expect(await publicEnums(database.url)).toEqual([]);
    expect((await migrationStatus(database.url)).every((m) => m.appliedAt === null)).toBe(true);

    expect(await migrateUp(database.url)).toEqual(applied);
    expect(await publicTables(database.url)).toEqual(tables);
  });
});
