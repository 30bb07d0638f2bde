import { config } from '../config';
import { connectEmbedded, type EmbeddedDatabase, serveEmbeddedApp } from './embedded';
import { migrateUp } from './migrate';

/**
 * The database a process should use: DATABASE_URL when set (PGlite is never touched), else the
 * embedded database, migrated to the latest schema: the running one of `npm start` or another
 * command, else one this process serves for its length. The app itself (`asApp`) always serves its
 * own (see serveEmbeddedApp).
 */
export async function resolveDatabase(options: { asApp?: boolean; onWait?: () => void } = {}): Promise<EmbeddedDatabase> {
  const url = config().DATABASE_URL;
  if (url) return { url, owned: false, stop: async () => {} };
  const embedded = options.asApp ? await serveEmbeddedApp({ onWait: options.onWait }) : await connectEmbedded();
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
