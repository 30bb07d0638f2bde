import { describe, expect, it } from 'vitest';
import { refreshStaleStatistics } from '../../lib/outbox/store';
import { testServerUrl } from '../helpers/database';
import { outboxFixture } from '../helpers/outbox';

const fixture = outboxFixture();

interface TableStats {
  changed: number;
  analyzes: number;
}

async function tableStats(): Promise<TableStats> {
  const { rows } = await fixture.pool.query<{ changed: string; analyzes: string }>(
    `SELECT n_mod_since_analyze AS changed, analyze_count + autoanalyze_count AS analyzes FROM pg_stat_user_tables WHERE relid = 'outbox_events'::regclass`,
  );
  return { changed: Number(rows[0].changed), analyzes: Number(rows[0].analyzes) };
}

/** Statistics reach shared memory a moment after the transaction: wait until `ready` holds. */
async function waitForStats(ready: (stats: TableStats) => boolean): Promise<TableStats> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    await fixture.pool.query('SELECT pg_stat_clear_snapshot()');
    const stats = await tableStats();
    if (ready(stats) || Date.now() > deadline) return stats;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A burst of `count` pending events, flushed to the statistics. */
async function insertBurst(count: number): Promise<void> {
  const client = await fixture.pool.connect();
  try {
    await client.query(
      `INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload, metadata)
       SELECT 'task', 'agg-' || (i % 50), 'stats.task.updated', '{}', '{}' FROM generate_series(1, $1) AS i`,
      [count],
    );
    await client.query('SELECT pg_stat_force_next_flush()');
  } finally {
    client.release();
  }
}

describe('refreshing the outbox table statistics for a backlog', () => {
  it('analyzes once a burst outgrows the statistics, then not again until the next one', async () => {
    // Start from fresh statistics, so only this test's burst counts.
    await fixture.pool.query('ANALYZE outbox_events');
    const before = await waitForStats((stats) => stats.changed === 0);

    await insertBurst(200);
    await waitForStats((stats) => stats.changed >= 200);
    expect(await refreshStaleStatistics(fixture.pool, 1000)).toBe(false); // a small change is not a backlog

    await insertBurst(6000);
    await waitForStats((stats) => stats.changed >= 6200);
    expect(await refreshStaleStatistics(fixture.pool, 1000)).toBe(true);
    const after = await waitForStats((stats) => stats.analyzes > before.analyzes && stats.changed === 0);
    expect(after.analyzes).toBeGreaterThan(before.analyzes);
    expect(after.changed).toBe(0);

    expect(await refreshStaleStatistics(fixture.pool, 1000)).toBe(false);
  });

  // The embedded database has one session for every client, so no other session can hold the lock.
  it.skipIf(!testServerUrl())('leaves the work to the processor that holds the lock', async () => {
    await fixture.pool.query('ANALYZE outbox_events');
    await insertBurst(3000);
    await waitForStats((stats) => stats.changed >= 3000);
    const other = await fixture.pool.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [0x616e6c7a]);
      expect(await refreshStaleStatistics(fixture.pool, 1000)).toBe(false);
      await other.query('SELECT pg_advisory_unlock($1)', [0x616e6c7a]);
      expect(await refreshStaleStatistics(fixture.pool, 1000)).toBe(true);
    } finally {
      other.release();
    }
  });
});
