import pg from 'pg';
import { config } from '../lib/config';
import { systemClock, type ServiceContext } from '../lib/context';
import { type Db, disconnectDb, connectDatabase } from '../lib/db/client';
import { resolveDatabase } from '../lib/db/resolve';
import { resolveCliUser } from '../lib/identity/users';
import { logger } from '../lib/logger';
import { createProcessor } from '../lib/outbox';
import { outboxTotals } from '../lib/outbox/store';

/**
 * The CLI's embedded outbox processor: after a command, events still waiting are published
 * (bounded to a few seconds) unless OUTBOX_PROCESSOR_ENABLED=false — production leaves that to the
 * standalone worker.
 */
async function publishPendingEvents(databaseUrl: string): Promise<void> {
  const c = config();
  if (!c.OUTBOX_PROCESSOR_ENABLED) return;
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  const { pending } = await outboxTotals(client).finally(() => client.end());
  if (!pending) return;
  const processor = createProcessor(c, databaseUrl, logger, { quiet: true });
  try {
    await processor.drain(5000);
  } finally {
    await processor.stop();
  }
}

/** Runs `fn` with the process database (DATABASE_URL or the embedded one) and closes it after. */
export async function withDatabase<T>(fn: (db: Db, databaseUrl: string) => Promise<T>): Promise<T> {
  const database = await resolveDatabase();
  try {
    const result = await fn(connectDatabase(database.url), database.url);
    await publishPendingEvents(database.url);
    return result;
  } finally {
    await disconnectDb();
    await database.stop();
  }
}

/** Runs `fn` as the CLI's user (ORBITA_USER_ID, or the local user). */
export async function withUserContext<T>(fn: (ctx: ServiceContext & { db: Db }) => Promise<T>): Promise<T> {
  return withDatabase(async (db) => {
    const user = await resolveCliUser(db, config().ORBITA_USER_ID);
    return fn({ db, userId: user.id, now: systemClock });
  });
}
