import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { config } from '../config';
import { unavailable } from '../errors';
import { guardPool } from './pg';

export type Db = PrismaClient;
/** A client or an interactive-transaction client: what services accept as `db`. */
export type DbTx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface CreateDbOptions {
  /** Pool size (default 10). */
  max?: number;
  /** How long to wait for a connection before failing (default 5 s), so a dead database fails fast. */
  connectionTimeoutMillis?: number;
}

export function createDb(databaseUrl: string, options: CreateDbOptions = {}): Db {
  // Our own pool rather than the adapter's, so a dying connection cannot crash the process
  // (guardPool; the storm in test/faults/faults.test.ts). Prisma ends it on $disconnect.
  const pool = guardPool(
    new pg.Pool({
      connectionString: databaseUrl,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
    }),
  );
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}

// One client per process, kept on globalThis so Next.js dev reloads do not open new pools.
const holder = globalThis as unknown as { __orbitaDb?: { url: string; client: Db } };

/** Points the process-wide client at `databaseUrl` (the CLI does this after starting the embedded database). */
export function connectDatabase(databaseUrl: string): Db {
  if (holder.__orbitaDb?.url !== databaseUrl) {
    void holder.__orbitaDb?.client.$disconnect();
    holder.__orbitaDb = { url: databaseUrl, client: createDb(databaseUrl) };
  }
  return holder.__orbitaDb.client;
}

/** The process-wide client. */
export function db(): Db {
  if (holder.__orbitaDb) return holder.__orbitaDb.client;
  const url = config().DATABASE_URL;
  if (!url) {
    throw unavailable('DATABASE_URL is not set: start Orbita with `npm start`, which provides the embedded database, or set DATABASE_URL');
  }
  return connectDatabase(url);
}

export async function disconnectDb(): Promise<void> {
  const current = holder.__orbitaDb;
  holder.__orbitaDb = undefined;
  await current?.client.$disconnect();
}

/**
 * Runs `fn` in one transaction: a new one when `db` is a client, the caller's when `db` is already a
 * transaction client (so services compose inside a larger transaction).
 */
export function transaction<T>(db: DbTx, fn: (tx: DbTx) => Promise<T>, options?: { timeoutMs?: number }): Promise<T> {
  const client = db as Partial<Db>;
  if (typeof client.$transaction !== 'function') return fn(db);
  return client.$transaction((tx) => fn(tx), options?.timeoutMs ? { timeout: options.timeoutMs, maxWait: options.timeoutMs } : undefined);
}

/** True for Prisma's unique-constraint violation (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}
