import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import type { Logger } from 'pino';
import { contentType, metricsAuthorized, renderMetrics } from '../lib/metrics';
import { outboxTotalsFromPool } from '../lib/metrics/outbox';
import { loopHealth, type ProcessorLiveness } from '../lib/outbox/liveness';
import type { OutboxProcessor } from '../lib/outbox/processor';

export interface MetricsServerOptions {
  pool: pg.Pool;
  processor: Pick<OutboxProcessor, 'brokerConnected'> & ProcessorLiveness;
  pollIntervalMs: number;
  /** METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <token>`. */
  token?: string;
}

/**
 * The worker's metrics listener (METRICS_HOST:METRICS_PORT, default 127.0.0.1:9464):
 * GET /metrics — Prometheus text format 0.0.4 (outbox gauges read from the database per scrape);
 * GET /healthz — 200 {"status":"ok"} or {"status":"degraded","reason":"broker unreachable"}, 503
 * {"status":"stalled"} when the processor loop stopped turning (the same judgement as worker/health.ts).
 */
export function createMetricsServer(options: MetricsServerOptions): http.Server {
  const outboxTotals = outboxTotalsFromPool(options.pool);
  return http.createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain; charset=utf-8', 'use GET\n', { allow: 'GET, HEAD' });
    try {
      if (path === '/metrics') {
        if (!metricsAuthorized(req.headers.authorization, options.token)) {
          return send(401, 'text/plain; charset=utf-8', 'unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n', { 'www-authenticate': 'Bearer realm="metrics"' });
        }
        return send(200, contentType, await renderMetrics({ role: 'worker', outboxTotals, processor: options.processor }));
      }
      if (path === '/healthz') {
        const { status, reason } = loopHealth(options.processor, options.pollIntervalMs);
        return send(status === 'stalled' ? 503 : 200, 'application/json', JSON.stringify({ status, ...(reason ? { reason } : {}) }));
      }
      return send(404, 'text/plain; charset=utf-8', 'not found: try /metrics or /healthz\n');
    } catch (error) {
      return send(500, 'text/plain; charset=utf-8', `metrics unavailable: ${(error as Error).message}\n`);
    }
  });
}

export interface RunningMetricsServer {
  /** host:port it listens on. */
  address: string;
  /** Stops listening and drops idle keep-alive connections (a scrape in flight finishes first). */
  close(): Promise<void>;
}

/**
 * Starts the listener. Returns null when METRICS_PORT is 0 (off) or when the address cannot be
 * bound: that is logged as an error, and the worker goes on publishing — losing metrics must not
 * stop event delivery (Prometheus then reports the target down: alert on `up == 0`).
 */
export async function startMetricsServer(
  options: MetricsServerOptions & { host: string; port: number; logger: Logger },
): Promise<RunningMetricsServer | null> {
  if (options.port === 0) {
    options.logger.info('metrics listener off (METRICS_PORT=0)');
    return null;
  }
  const server = createMetricsServer(options);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    options.logger.error(
      { err: (error as Error).message, addr: `${options.host}:${options.port}` },
      'metrics listener could not start; /metrics is unavailable (set METRICS_PORT to a free port, or 0 to turn it off)',
    );
    return null;
  }
  server.on('error', (error) => options.logger.warn({ err: error.message }, 'metrics listener error'));
  const bound = server.address() as AddressInfo;
  const address = `${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}`;
  options.logger.info({ addr: address, auth: options.token ? 'bearer (METRICS_TOKEN)' : 'none' }, 'worker metrics listening');
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // A scrape that never finishes must not hold up shutdown.
        setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, 2000).unref();
      }),
  };
}
