import pg from 'pg';

/**
 * Who asks a health endpoint. Anyone (a load balancer, the internet) gets the status and the names
 * of the checks; what failed and why (an error's text, pending migration names) goes only to an
 * operator: a caller presenting METRICS_TOKEN, or on the web server a signed-in admin
 * (lib/http/health-audience.ts). `orbita health`, run on the host, always says everything.
 */
export type HealthAudience = 'public' | 'operator';

/**
 * An error in one line for an operator: the last non-empty line of its message (a Prisma error
 * starts with an empty line and "Invalid `prisma.$queryRaw()` invocation:", the cause comes last).
 */
export function errorSummary(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').map((line) => line.trim()).filter(Boolean).at(-1) ?? (error instanceof Error ? error.name : 'unknown error');
}

/** `body`, plus `details` for an operator. */
export function forAudience<B extends object, D extends object>(audience: HealthAudience, body: B, details: D): B | (B & D) {
  return audience === 'operator' ? { ...body, ...details } : body;
}

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
