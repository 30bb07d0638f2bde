import pg from 'pg';

export interface HealthCheck {
  name: string;
  ok: boolean;
  detail: string;
  durationMs: number;
  /** What was checked, for a person (`PostgreSQL at db:5432/orbita`); never a password. */
  target?: string;
}

/** Pings the database with a fresh connection (no pool), failing within `timeoutMs`. */
export async function checkDatabase(databaseUrl: string, timeoutMs = 3000): Promise<HealthCheck> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { name: 'database', ok: true, detail: 'reachable', durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { name: 'database', ok: false, detail: describeConnectionError(error), durationMs: Math.round(performance.now() - started) };
  } finally {
    await client.end().catch(() => {});
  }
}

function describeConnectionError(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { message?: string };
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found (${e.message})`;
    case 'ECONNREFUSED':
      return `connection refused (${e.message})`;
    case 'ETIMEDOUT':
      return 'timed out';
    default:
      return e.message || String(error);
  }
}
