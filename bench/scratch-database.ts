import pg from 'pg';

/** The PostgreSQL server benchmarks use: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local one. */
export const benchServerUrl = () => process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs `sql` on the server's maintenance database (CREATE/DROP DATABASE cannot run inside the target). */
async function onServer(server: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** A new empty database `orbita_bench_<label>_<time>` on `server`; `drop()` removes it, connections and all. */
export async function createScratchDatabase(label: string, server = benchServerUrl()): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `orbita_bench_${label}_${Date.now().toString(36)}`;
  await onServer(server, `CREATE DATABASE ${name}`);
  return {
    url: Object.assign(new URL(server), { pathname: `/${name}` }).toString(),
    drop: () => onServer(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
