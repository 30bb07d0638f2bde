import fs from 'node:fs';
import path from 'node:path';
import { db } from '@/lib/db/client';
import { errorSummary, forAudience } from '@/lib/health';
import { healthAudience } from '@/lib/http/health-audience';
import { secured } from '@/lib/http/security-headers';

export const dynamic = 'force-dynamic';

// lib/db/migrate.ts's migrationsTable, restated so this route does not bundle node-pg-migrate.
const migrationsTable = 'pgmigrations';

/**
 * The committed migrations, under the working directory (`next start` and the tests run in the
 * project root). The path stays a literal under process.cwd(): a path computed at run time (such as
 * lib/paths.ts's, from import.meta.url) makes Turbopack trace the whole project into the server
 * output ("Dynamic filesystem access causes tracing of the whole project"); this one traces only
 * prisma/migrations. `npm run build` fails if that warning comes back (scripts/next-build.ts).
 */
function migrationFiles(): string[] | null {
  try {
    return fs
      .readdirSync(path.join(process.cwd(), 'prisma', 'migrations'))
      .filter((f) => f.endsWith('.sql'))
      .map((f) => f.replace(/\.sql$/, ''))
      .sort();
  } catch {
    return null;
  }
}

/**
 * Readiness of the web server for a load balancer, and the last step of a restore
 * (docs/operations.md): 200 `{"status":"ready"}` when the database answers and every committed
 * migration is applied; 503 naming the check that failed otherwise (database unreachable, or
 * migrations pending: run `npm run db:migrate`), and for METRICS_TOKEN or an admin what exactly
 * (the error, the pending migrations). `/api/health` stays the plain liveness ping.
 */
export const GET = secured(async (req: Request) => {
  try {
    await db().$queryRaw`SELECT 1`;
  } catch (error) {
    return Response.json(
      forAudience(await healthAudience(req), { status: 'unavailable', checks: { database: 'unreachable' } }, { error: errorSummary(error) }),
      { status: 503, headers: { 'cache-control': 'no-store' } },
    );
  }
  const files = migrationFiles();
  let pending: string[] = [];
  if (files) {
    let applied = new Set<string>();
    try {
      const rows = await db().$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM ${migrationsTable}`);
      applied = new Set(rows.map((r) => r.name));
    } catch {
      // no migrations table: nothing is applied
    }
    pending = files.filter((name) => !applied.has(name));
  }
  const checks = { database: 'ok', migrations: files === null ? 'unknown (migration files not found)' : pending.length ? 'pending' : 'up to date' };
  if (pending.length) {
    return Response.json(
      forAudience(await healthAudience(req), { status: 'unavailable', checks }, { pending, error: `${pending.length} migration(s) pending: run npm run db:migrate` }),
      { status: 503, headers: { 'cache-control': 'no-store' } },
    );
  }
  return Response.json({ status: 'ready', checks }, { headers: { 'cache-control': 'no-store' } });
});
