import http from 'node:http';
import type pg from 'pg';
import { checkDatabase, forAudience } from '../lib/health';
import { presentsMetricsToken } from '../lib/metrics';
import { collectStats } from '../lib/outbox/jobs';
import { loopHealth } from '../lib/outbox/liveness';
import type { OutboxProcessor } from '../lib/outbox/processor';

/**
 * GET /healthz: 200 with the outbox stats and `status` "ok", or "degraded" with the `reason`
 * (`broker unreachable`: waiting out a broker outage; `database unreachable`: the stats cannot be
 * read); 503 "stalled" only when the processor loop stopped turning while it could have.
 * GET /readyz: 200 {"status":"ready"} when the database answers, else 503 naming the check.
 * Error texts (database_error, broker_error, the /readyz error) only for `Authorization: Bearer
 * <METRICS_TOKEN>`.
 */
export function createHealthServer(options: {
  pool: pg.Pool;
  processor: OutboxProcessor;
  databaseUrl: string;
  pollIntervalMs: number;
  /** METRICS_TOKEN: a request presenting it sees the details. */
  metricsToken?: string;
}) {
  return http.createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: { code: 'method_not_allowed', message: 'use GET' } });
    const audience = presentsMetricsToken(req.headers.authorization, options.metricsToken) ? 'operator' : 'public';
    try {
      if (path === '/healthz') {
        const { processor } = options;
        const loop = loopHealth(processor, options.pollIntervalMs);
        let stats: Awaited<ReturnType<typeof collectStats>> | null = null;
        let databaseError: string | null = null;
        try {
          stats = await collectStats(options.pool, processor);
        } catch (error) {
          databaseError = (error as Error).message;
        }
        const reasons = [loop.reason, databaseError === null ? undefined : 'database unreachable'].filter(Boolean);
        const status = loop.status === 'ok' && reasons.length ? 'degraded' : loop.status;
        const body = {
          status,
          ...(reasons.length ? { reason: reasons.join(', ') } : {}),
          publisher: processor.publisherName,
          broker_connected: processor.brokerConnected,
          loop_idle_seconds: Math.round(loop.idleMs / 1000),
          ...(stats ?? { ...processor.counters }),
        };
        const outage = processor.brokerOutage;
        const details = {
          ...(databaseError === null ? {} : { database_error: databaseError }),
          ...(outage ? { broker_error: outage.error, broker_unreachable_seconds: Math.round((Date.now() - outage.since) / 1000) } : {}),
        };
        return send(status === 'stalled' ? 503 : 200, forAudience(audience, body, details));
      }
      if (path === '/readyz') {
        const check = await checkDatabase(options.databaseUrl, 2000);
        if (check.ok) return send(200, { status: 'ready' });
        return send(503, forAudience(audience, { status: 'unavailable', checks: { database: 'unreachable' } }, { error: check.detail }));
      }
      return send(404, { error: { code: 'not_found', message: 'try /healthz or /readyz' } });
    } catch (error) {
      return send(503, forAudience(audience, { status: 'error' }, { error: (error as Error).message }));
    }
  });
}
