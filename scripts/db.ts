/** `npm run db:migrate | db:rollback | db:status` against DATABASE_URL, or the embedded database. */
import { migrateDown, migrateUp, migrationStatus } from '../lib/db/migrate';
import { connectEmbedded } from '../lib/db/embedded';
import { config, ConfigError } from '../lib/config';

async function main() {
  const command = process.argv[2];
  const url = config().DATABASE_URL;
  // Never migrate implicitly here: the embedded database is opened raw so status and rollback are honest.
  const database = url ? { url, stop: async () => {} } : await connectEmbedded();
  const log = (message: string) => console.log(message);
  try {
    if (command === 'migrate') {
      const applied = await migrateUp(database.url, log);
      console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database is up to date');
    } else if (command === 'rollback') {
      const reverted = await migrateDown(database.url, 1, log);
      console.log(reverted.length ? `rolled back ${reverted.join(', ')}` : 'nothing to roll back');
    } else if (command === 'status') {
      const status = await migrationStatus(database.url);
      for (const m of status) console.log(`${m.appliedAt ? 'applied' : 'pending'}  ${m.name}${m.appliedAt ? `  (${m.appliedAt.toISOString()})` : ''}`);
      const pending = status.filter((m) => !m.appliedAt).length;
      console.log(pending ? `${pending} pending` : 'up to date');
    } else {
      console.error('usage: tsx scripts/db.ts migrate|rollback|status');
      process.exitCode = 2;
    }
  } finally {
    await database.stop();
  }
}

main().catch((error) => {
  console.error(`orbita: ${error instanceof ConfigError ? error.message : `database command failed: ${(error as Error).message}`}`);
  process.exit(1);
});
