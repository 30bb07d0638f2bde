import pg from 'pg';
import type { Logger } from 'pino';
import { withPoolClient } from '../db/pg';
import type { OutboxProcessor } from './processor';
import { deletePublished, outboxTotals } from './store';

/** Everything `outbox stats` reports: this process's counters plus the table's totals. */
export interface OutboxStats {
  published: number;
  failed: number;
  dead: number;
  pending: number;
  dead_total: number;
  lag_seconds: number;
}

export async function collectStats(pool: pg.Pool, processor: OutboxProcessor | null): Promise<OutboxStats> {
  // Counters first: the processor bumps them after its mark has committed, so the table read that
  // follows already shows those rows as published. Read the other way round, a batch finishing
  // during the query showed up as both published and still pending.
  const counters = { ...(processor?.counters ?? { published: 0, failed: 0, dead: 0 }) };
  const totals = await outboxTotals(pool);
  return { ...counters, pending: totals.pending, dead_total: totals.deadTotal, lag_seconds: totals.lagSeconds };
}

const cleanupLockKey = 0x636c6e; // 'cln'

/**
 * Deletes published rows older than the retention, on one worker at a time (advisory lock: with N
 * workers exactly one runs each tick). Returns null when another worker holds the lock.
 */
export async function runCleanup(pool: pg.Pool, retentionDays: number, logger: Logger): Promise<number | null> {
  return withPoolClient(pool, async (client) => {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [cleanupLockKey]);
    if (!rows[0].locked) return null;
    try {
      const deleted = await deletePublished(client, retentionDays);
      logger.info({ deleted, retention_days: retentionDays }, 'outbox cleanup');
      return deleted;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [cleanupLockKey]).catch(() => {});
    }
  });
}
