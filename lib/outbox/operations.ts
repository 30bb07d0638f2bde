import pg from 'pg';
import { guardPool } from '../db/pg';
import { config } from '../config';
import { notFound, unavailable } from '../errors';
import { collectStats } from './jobs';
import { type DeadLetter, listDead, retryDead } from './store';

/**
 * The outbox as an operator sees it from the web process (the Operations page): the same numbers
 * and re-drive as `orbita outbox stats | dead | retry-dead`, on one small pool kept for the life of
 * the process. Authorisation (admin only) is the caller's part.
 */

// On globalThis, like the Prisma client, so a dev reload does not open another pool.
const holder = globalThis as unknown as { __orbitaOutboxPool?: { url: string; pool: pg.Pool } };

export function operationsPool(): pg.Pool {
  const url = config().DATABASE_URL;
  if (!url) throw unavailable('DATABASE_URL is not set: start Orbita with `npm start`, which provides the embedded database, or set DATABASE_URL');
  if (holder.__orbitaOutboxPool?.url !== url) {
    void holder.__orbitaOutboxPool?.pool.end();
    // An idle connection that dies is replaced on the next checkout.
    const pool = guardPool(new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 }));
    holder.__orbitaOutboxPool = { url, pool };
  }
  return holder.__orbitaOutboxPool.pool;
}

export interface OutboxOverview {
  pending: number;
  dead: number;
  /** Age in seconds of the oldest event still waiting (0 when none). */
  lagSeconds: number;
  /** Published events still kept in the table (cleanup deletes them after the retention). */
  publishedKept: number;
}

export async function outboxOverview(pool: pg.Pool = operationsPool()): Promise<OutboxOverview> {
  const [stats, published] = await Promise.all([
    collectStats(pool, null),
    pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox_events WHERE published_at IS NOT NULL'),
  ]);
  return { pending: stats.pending, dead: stats.dead_total, lagSeconds: stats.lag_seconds, publishedKept: Number(published.rows[0].n) };
}

/** Dead letters, most recently dead first (`orbita outbox dead`'s list). */
export async function listDeadLetters(limit = 100, pool: pg.Pool = operationsPool()): Promise<DeadLetter[]> {
  return listDead(pool, limit);
}

/** Puts one dead letter back in the queue; an id that is not dead (any more) is not found. */
export async function redriveDeadLetter(eventId: string, pool: pg.Pool = operationsPool()): Promise<void> {
  if ((await retryDead(pool, eventId)) === 0) throw notFound(`dead-lettered event ${eventId}`);
}

/** Puts every dead letter back in the queue; how many. */
export async function redriveAllDeadLetters(pool: pg.Pool = operationsPool()): Promise<number> {
  return retryDead(pool);
}
