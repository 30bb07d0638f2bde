import { config } from '../lib/config';
import { systemClock, type ServiceContext } from '../lib/context';
import { type Db, disconnectDb, connectDatabase } from '../lib/db/client';
import { resolveDatabase } from '../lib/db/resolve';
import { resolveCliUser } from '../lib/identity/users';

/** Runs `fn` with the process database (DATABASE_URL or the embedded one) and closes it after. */
export async function withDatabase<T>(fn: (db: Db, databaseUrl: string) => Promise<T>): Promise<T> {
  const database = await resolveDatabase();
  try {
    return await fn(connectDatabase(database.url), database.url);
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
