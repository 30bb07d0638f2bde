import type pg from 'pg';
import { withPoolClient } from '../db/pg';
import type { OutboxRow } from './events';

/**
 * The outbox's SQL, on a plain `pg` pool: the processor's hot path avoids the ORM, and every
 * statement here is one round trip.
 */

// Claims are serialised by this transaction-level advisory lock (held for one short statement),
// so a claim always sees every other worker's committed leases; that is what keeps events of one
// aggregate in commit order across any number of workers. SKIP LOCKED still steps past rows that
// an operator command (retry-dead, cleanup) holds.
const claimLockKey = 0x6f726269; // 'orbi'

const claimSql = `
WITH candidate AS (
  SELECT o.sequence
    FROM outbox_events o
   WHERE o.published_at IS NULL
     AND o.dead_lettered_at IS NULL
     AND (o.next_retry_at IS NULL OR o.next_retry_at <= now())
     AND (o.leased_until IS NULL OR o.leased_until < now())
     -- an event waits while an earlier event of its aggregate is still pending and not claimable
     -- with it (leased elsewhere, or waiting for a retry); dead letters never block
     AND NOT EXISTS (
       SELECT 1 FROM outbox_events e
        WHERE e.aggregate_type = o.aggregate_type
          AND e.aggregate_id = o.aggregate_id
          AND e.sequence < o.sequence
          AND e.published_at IS NULL
          AND e.dead_lettered_at IS NULL
          AND (e.leased_until IS NOT NULL OR e.next_retry_at IS NOT NULL) -- matches outbox_events_blocking_idx
          AND ((e.leased_until IS NOT NULL AND e.leased_until >= now()) OR (e.next_retry_at IS NOT NULL AND e.next_retry_at > now()))
     )
   ORDER BY o.sequence
   LIMIT $1
   FOR UPDATE SKIP LOCKED
)
UPDATE outbox_events t
   SET leased_until = now() + make_interval(secs => $2::double precision), lease_owner = $3
 -- by primary key: a join here lets the planner seq-scan the whole (mostly published) table
 WHERE t.sequence = ANY (ARRAY(SELECT sequence FROM candidate))
RETURNING t.sequence::text AS sequence, t.event_id AS "eventId", t.aggregate_type AS "aggregateType", t.aggregate_id AS "aggregateId",
          t.event_type AS "eventType", t.payload, t.metadata, t.created_at AS "createdAt", t.retry_count AS "retryCount"`;

export async function claimBatch(pool: pg.Pool, owner: string, limit: number, leaseSeconds: number): Promise<OutboxRow[]> {
  return withPoolClient(pool, async (client) => {
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [claimLockKey]);
      const { rows } = await client.query<OutboxRow>(claimSql, [limit, leaseSeconds, owner]);
      await client.query('COMMIT');
      // Within one aggregate, publish strictly in commit order.
      return rows.sort((a, b) => (BigInt(a.sequence) < BigInt(b.sequence) ? -1 : 1));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}

const analyzeLockKey = 0x616e6c7a; // 'anlz'

/**
 * Refreshes the planner's statistics of outbox_events when a backlog has outgrown them: at least
 * `minChanges` rows changed since the last ANALYZE and at least half as many as the table holds.
 * A backlog that arrives in a burst (a restore, a broker outage, a bulk import) otherwise drains
 * on plans made for a near-empty table (measured: 2,800 instead of 7,500 events/s for 50,000
 * rows) until autovacuum gets round to it, up to a minute later. One processor at a time (a
 * try-lock: the others skip); returns whether it analyzed.
 */
export async function refreshStaleStatistics(pool: pg.Pool, minChanges = 5000): Promise<boolean> {
  return withPoolClient(pool, async (client) => {
    const { rows } = await client.query<{ changed: string; live: string }>(
      `SELECT n_mod_since_analyze AS changed, n_live_tup AS live FROM pg_stat_user_tables WHERE relid = 'outbox_events'::regclass`,
    );
    const changed = Number(rows[0]?.changed ?? 0);
    const live = Number(rows[0]?.live ?? 0);
    if (changed < minChanges || changed < live / 2) return false;
    const { rows: lock } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [analyzeLockKey]);
    if (!lock[0]?.locked) return false;
    try {
      await client.query('ANALYZE outbox_events');
      return true;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [analyzeLockKey]);
    }
  });
}

/**
 * Extends this owner's lease on rows it still holds unpublished (a batch out for longer than
 * usual). Returns how many it still holds: fewer means a lease ran out and another worker took
 * those rows.
 */
export async function extendLeases(pool: pg.Pool, owner: string, sequences: string[], leaseSeconds: number): Promise<number> {
  if (!sequences.length) return 0;
  const result = await pool.query(
    `UPDATE outbox_events SET leased_until = now() + make_interval(secs => $3::double precision)
      WHERE sequence = ANY($1::bigint[]) AND lease_owner = $2 AND published_at IS NULL`,
    [sequences, owner, leaseSeconds],
  );
  return result.rowCount ?? 0;
}

/** Marks rows published — only after the broker confirmed them. */
export async function markPublished(pool: pg.Pool, owner: string, sequences: string[]): Promise<void> {
  if (!sequences.length) return;
  await pool.query(
    `UPDATE outbox_events SET published_at = now(), leased_until = NULL, lease_owner = NULL, last_error = NULL
      WHERE sequence = ANY($1::bigint[]) AND lease_owner = $2`,
    [sequences, owner],
  );
}

/**
 * Records a failed publish: exponential backoff from 1 s, doubling, capped at 60 s, with ±20 %
 * jitter; at `maxRetries` failures the row is dead-lettered with the reason. Returns how many rows
 * became dead now.
 */
export async function markFailed(pool: pg.Pool, owner: string, failures: { sequence: string; error: string }[], maxRetries: number): Promise<number> {
  if (!failures.length) return 0;
  const { rows } = await pool.query<{ dead: boolean }>(
    `UPDATE outbox_events t
        SET retry_count = t.retry_count + 1,
            last_error = f.error,
            next_retry_at = now() + make_interval(secs => least(60, power(2, t.retry_count)) * (0.8 + random() * 0.4)),
            dead_lettered_at = CASE WHEN t.retry_count + 1 >= $3 THEN now() END,
            dead_letter_reason = CASE WHEN t.retry_count + 1 >= $3 THEN f.error END,
            leased_until = NULL,
            lease_owner = NULL
       FROM unnest($1::bigint[], $2::text[]) AS f(sequence, error)
      WHERE t.sequence = f.sequence AND t.lease_owner = $4
  RETURNING t.dead_lettered_at IS NOT NULL AS dead`,
    [failures.map((f) => f.sequence), failures.map((f) => f.error.slice(0, 1000)), maxRetries, owner],
  );
  return rows.filter((r) => r.dead).length;
}

/** Gives rows back unpublished without counting a failure (the broker went away, or shutdown). */
export async function releaseLeases(pool: pg.Pool, owner: string, sequences: string[]): Promise<void> {
  if (!sequences.length) return;
  await pool.query(`UPDATE outbox_events SET leased_until = NULL, lease_owner = NULL WHERE sequence = ANY($1::bigint[]) AND lease_owner = $2`, [
    sequences,
    owner,
  ]);
}

export interface OutboxTotals {
  pending: number;
  deadTotal: number;
  /** Age in seconds of the oldest row still waiting (0 when none). */
  lagSeconds: number;
}

export async function outboxTotals(pool: pg.Pool | pg.Client): Promise<OutboxTotals> {
  const { rows } = await pool.query<{ pending: string; dead_total: string; lag_seconds: string }>(
    `SELECT (SELECT count(*) FROM outbox_events WHERE published_at IS NULL AND dead_lettered_at IS NULL) AS pending,
            (SELECT count(*) FROM outbox_events WHERE dead_lettered_at IS NOT NULL) AS dead_total,
            COALESCE((SELECT extract(epoch FROM now() - min(created_at)) FROM outbox_events WHERE published_at IS NULL AND dead_lettered_at IS NULL), 0) AS lag_seconds`,
  );
  return { pending: Number(rows[0].pending), deadTotal: Number(rows[0].dead_total), lagSeconds: Math.max(0, Number(Number(rows[0].lag_seconds).toFixed(3))) };
}

/** Deletes published rows older than `olderThanDays`; never unpublished or dead rows. */
export async function deletePublished(pool: pg.Pool | pg.Client, olderThanDays: number): Promise<number> {
  const result = await pool.query(
    `DELETE FROM outbox_events WHERE published_at IS NOT NULL AND dead_lettered_at IS NULL AND published_at < now() - make_interval(days => $1)`,
    [olderThanDays],
  );
  return result.rowCount ?? 0;
}

/** Puts dead-lettered rows (all, or one event id) back in the queue with a fresh retry budget. */
export async function retryDead(pool: pg.Pool | pg.Client, eventId?: string): Promise<number> {
  const result = await pool.query(
    `UPDATE outbox_events
        SET dead_lettered_at = NULL, dead_letter_reason = NULL, retry_count = 0, next_retry_at = NULL, leased_until = NULL, lease_owner = NULL
      WHERE dead_lettered_at IS NOT NULL AND ($1::uuid IS NULL OR event_id = $1::uuid)`,
    [eventId ?? null],
  );
  return result.rowCount ?? 0;
}

export interface DeadLetter {
  eventId: string;
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  retryCount: number;
  createdAt: Date;
  deadLetteredAt: Date;
  reason: string | null;
  /** The last publish error, or the dead-letter reason when it never got as far as a publish. */
  lastError: string | null;
}

export async function listDead(pool: pg.Pool | pg.Client, limit = 100): Promise<DeadLetter[]> {
  const { rows } = await pool.query<DeadLetter>(
    `SELECT event_id AS "eventId", event_type AS "eventType", aggregate_type AS "aggregateType", aggregate_id AS "aggregateId",
            retry_count AS "retryCount", created_at AS "createdAt", dead_lettered_at AS "deadLetteredAt", dead_letter_reason AS reason,
            COALESCE(last_error, dead_letter_reason) AS "lastError"
       FROM outbox_events WHERE dead_lettered_at IS NOT NULL ORDER BY dead_lettered_at DESC, sequence DESC LIMIT $1`,
    [limit],
  );
  return rows;
}
