import type pg from 'pg';
import type { DbTx } from '../db/client';
import { outboxTotals } from '../outbox/store';
import type { OutboxTotalsReader } from './index';

/** Outbox totals on a pg pool (the worker's). */
export const outboxTotalsFromPool = (pool: pg.Pool): OutboxTotalsReader => () => outboxTotals(pool);

/**
 * Outbox totals through the web server's Prisma client (its pool, no extra connection): the same
 * single query as `outboxTotals`, which only needs `query(text)` returning `{ rows }`.
 */
export const outboxTotalsFromPrisma =
  (db: () => DbTx): OutboxTotalsReader =>
  () => {
    const queryable = { query: async (text: string) => ({ rows: await db().$queryRawUnsafe(text) }) };
    return outboxTotals(queryable as unknown as pg.Pool);
  };
