import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../../lib/db/client';
import { startEmbedded } from '../../lib/db/embedded';
import { migrateUp } from '../../lib/db/migrate';

export interface TestDatabase {
  url: string;
  kind: 'postgres' | 'pglite';
  db: Db;
  drop(): Promise<void>;
}

/** The server tests use: TEST_DATABASE_URL, else DATABASE_URL; null means PGlite. */
export function testServerUrl(): string | null {
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || null;
  if (!url && process.env.CI === 'true') {
    throw new Error('CI=true: set TEST_DATABASE_URL so database tests run against PostgreSQL (they never fall back to PGlite in CI)');
  }
  return url;
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A fresh, empty database on the test server (or an in-memory PGlite), not yet migrated. */
export async function createEmptyDatabase(): Promise<Omit<TestDatabase, 'db'>> {
  const server = testServerUrl();
  if (!server) {
    const embedded = await startEmbedded({ dataDir: 'memory://' });
    return { url: embedded.url, kind: 'pglite', drop: () => embedded.stop() };
  }
  const name = `orbita_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabaseName(server, name),
    kind: 'postgres',
    async drop() {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      // Pools that were just ended may still be closing their sockets: a forced drop would
      // terminate those backends and the "terminating connection" error would surface as an
      // uncaught exception in the test run. Give them up to 2 s, then force whatever is left.
      for (let waited = 0; waited < 2000; waited += 50) {
        const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A fresh database with every migration applied and a Prisma client on it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const empty = await createEmptyDatabase();
  await migrateUp(empty.url);
  const db = createDb(empty.url, { max: 4 });
  return {
    ...empty,
    db,
    async drop() {
      await db.$disconnect();
      await empty.drop();
    },
  };
}
