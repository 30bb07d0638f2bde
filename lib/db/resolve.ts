import { config } from '../config';
import { connectEmbedded, type EmbeddedDatabase } from './embedded';
import { migrateUp } from './migrate';

/**
 * The database a process should use: DATABASE_URL when set (PGlite is never touched), else the
 * embedded database, migrated to the latest schema.
 */
export async function resolveDatabase(): Promise<EmbeddedDatabase> {
  const url = config().DATABASE_URL;
  if (url) return { url, owned: false, stop: async () => {} };
  const embedded = await connectEmbedded();
  if (embedded.owned) {
    try {
      await migrateUp(embedded.url);
    } catch (error) {
      await embedded.stop();
      throw error;
    }
  }
  return embedded;
}
