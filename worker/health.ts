import http from 'node:http';
import type pg from 'pg';
import { checkDatabase } from '../lib/health';
import { collectStats } from '../lib/outbox/jobs';
import type { OutboxProcessor } from '../lib/outbox/processor';

/** The loop is stalled when it has not turned for this long (it turns at least every poll interval). */
export const stallAfterMs = (pollIntervalMs: number) => Math.max(30_000, pollIntervalMs * 5);

/**
 * GET /healthz: 200 with the outbox stats, 503 when the processor loop has stalled.
 * GET /readyz: 200 {"status":"ready"} when the database answers, else 503 with the error.
 */
export function createHealthServer(options: { pool: pg.Pool; processor: OutboxProcessor; databaseUrl: string; pollIntervalMs: number }) {
  return http.createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: { code: 'method_not_allowed', message: 'use GET' } });
    try {
      if (path === '/healthz') {
        const stalledFor = Date.now() - options.processor.heartbeat;
        const stalled = stalledFor > stallAfterMs(options.pollIntervalMs);
        let stats: Awaited<ReturnType<typeof collectStats>> | null = null;
        let databaseError: string | null = null;
        try {
          stats = await collectStats(options.pool, options.processor);
        } catch (error) {
          databaseError = (error as Error).message;
        }
        return send(stalled ? 503 : 200, {
          status: stalled ? 'stalled' : 'ok',
          publisher: options.processor.publisherName,
          broker_connected: options.processor.brokerConnected,
          loop_idle_seconds: Math.round(stalledFor / 1000),
          ...(stats ?? { ...options.processor.counters }),
          ...(databaseError ? { database_error: databaseError } : {}),
        });
      }
      if (path === '/readyz') {
        const check = await checkDatabase(options.databaseUrl, 2000);
        return check.ok ? send(200, { status: 'ready' }) : send(503, { status: 'unavailable', error: check.detail });
      }
      return send(404, { error: { code: 'not_found', message: 'try /healthz or /readyz' } });
    } catch (error) {
      return send(503, { status: 'error', error: (error as Error).message });
    }
  });
}
