import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createTestDatabase, type TestDatabase } from './database';

/**
 * The outbox suites' fixture: one migrated database and a pg pool per file, an empty outbox before
 * each test, and `cleanup` callbacks (processors, workers, consumers, proxies) run after each test.
 */
export function outboxFixture() {
  const fixture = {
    database: undefined as unknown as TestDatabase,
    pool: undefined as unknown as pg.Pool,
    cleanup: [] as (() => Promise<unknown>)[],
  };
  beforeAll(async () => {
    fixture.database = await createTestDatabase();
    fixture.pool = new pg.Pool({ connectionString: fixture.database.url, max: 4 });
    // pool.end() can resolve before every socket has closed; the database dropped right after then
    // terminates that backend, and an idle client's error with no listener would crash the run.
    fixture.pool.on('error', () => {});
  });
  afterAll(async () => {
    await fixture.pool?.end();
    await fixture.database?.drop();
  });
  beforeEach(async () => {
    await fixture.pool.query('TRUNCATE outbox_events');
  });
  afterEach(async () => {
    await Promise.all(fixture.cleanup.splice(0).map((fn) => fn()));
  });
  return fixture;
}

/** Inserts `count` events spread over `aggregates` aggregates, routed as `<prefix>.task.updated`. */
export async function insertEvents(pool: pg.Pool, prefix: string, count: number, aggregates: number): Promise<void> {
  await pool.query(
    `INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload, metadata)
     SELECT 'task', 'agg-' || (i % $3), $1 || '.task.updated', jsonb_build_object('i', i), '{"userId":"u-1"}'
       FROM generate_series(1, $2) AS i`,
    [prefix, count, aggregates],
  );
}
