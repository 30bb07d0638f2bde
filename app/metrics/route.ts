import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { secured } from '@/lib/http/security-headers';
import { contentType, metricsAuthorized, renderMetrics } from '@/lib/metrics';
import { outboxTotalsFromPrisma } from '@/lib/metrics/outbox';

export const dynamic = 'force-dynamic';

/**
 * Prometheus scrape endpoint (text format 0.0.4). With METRICS_TOKEN set, a scrape must send
 * `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); unset, it is open — keep it off the
 * public internet then (block /metrics at the reverse proxy). See docs/operations.md.
 */
export const GET = secured(async (req: Request) => {
  if (!metricsAuthorized(req.headers.get('authorization'), config().METRICS_TOKEN)) {
    return new Response('unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n', {
      status: 401,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"', 'cache-control': 'no-store' },
    });
  }
  const body = await renderMetrics({ role: 'web', outboxTotals: outboxTotalsFromPrisma(db) });
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
});
