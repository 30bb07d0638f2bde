import { db } from '@/lib/db/client';
import { errorSummary, forAudience } from '@/lib/health';
import { healthAudience } from '@/lib/http/health-audience';
import { secured } from '@/lib/http/security-headers';

export const dynamic = 'force-dynamic';

/**
 * Liveness + database ping for load balancers: 200 `{"status":"ok","checks":{"database":"ok"}}`,
 * else 503 with the check that failed; the error itself only for METRICS_TOKEN or an admin.
 */
export const GET = secured(async (req: Request) => {
  try {
    await db().$queryRaw`SELECT 1`;
    return Response.json({ status: 'ok', checks: { database: 'ok' } });
  } catch (error) {
    const body = { status: 'error', checks: { database: 'unreachable' } };
    const details = { error: { code: 'unavailable', message: errorSummary(error) } };
    return Response.json(forAudience(await healthAudience(req), body, details), { status: 503, headers: { 'cache-control': 'no-store' } });
  }
});
