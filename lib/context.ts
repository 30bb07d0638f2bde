import type { DbTx } from './db/client';

/** What every service receives: the database, the acting user and a clock (fixed in tests). */
export interface ServiceContext {
  db: DbTx;
  userId: string;
  now: () => Date;
}

export const systemClock = () => new Date();
