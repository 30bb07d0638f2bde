import net from 'node:net';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { testServerUrl } from '../helpers/database';
import { insertEvents, outboxFixture } from '../helpers/outbox';
import { freePort, startTsProcess } from '../helpers/process';
import type { BrokerOutage } from '../../lib/outbox/liveness';
import { startMetricsServer } from '../../worker/metrics';
import { parseExposition, sampleValue } from './exposition';

const silent = pino({ level: 'silent' });
const postgres = testServerUrl();
const fixture = outboxFixture();

describe('the worker metrics listener (in process)', () => {
  it('serves /metrics and /healthz, asks for the token when METRICS_TOKEN is set, and closes', async () => {
    const port = await freePort();
    const processor: { brokerConnected: boolean; heartbeat: number; brokerOutage?: BrokerOutage } = { brokerConnected: true, heartbeat: Date.now() };
    const server = await startMetricsServer({ pool: fixture.pool, processor, pollIntervalMs: 1000, host: '127.0.0.1', port, logger: silent, token: 'w0rker' });
    expect(server?.address).toBe(`127.0.0.1:${port}`);
    const base = `http://127.0.0.1:${port}`;
    await insertEvents(fixture.pool, 'wm', 3, 3);

    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const response = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer w0rker' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parseExposition(await response.text());
    expect(sampleValue(families, 'orbita_outbox_pending')).toBe(3);
    expect(sampleValue(families, 'orbita_outbox_broker_connected')).toBe(1);
    expect(sampleValue(families, 'orbita_info', { role: 'worker' })).toBe(1);

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    processor.heartbeat = Date.now() - 120_000;
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    // Quiet for 35 s because it sleeps out a broker backoff: degraded, not stalled (lib/outbox/liveness.ts).
    Object.assign(processor, { brokerConnected: false, heartbeat: Date.now() - 35_000, brokerOutage: { since: Date.now() - 70_000, error: 'connect ECONNREFUSED', retryAt: Date.now() + 1000 } });
    const degraded = await fetch(`${base}/healthz`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toEqual({ status: 'degraded', reason: 'broker unreachable' });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);

    // A keep-alive connection left open by a scraper does not hold up close().
    await fetch(`${base}/healthz`, { keepalive: true });
    const started = Date.now();
    await server!.close();
    expect(Date.now() - started).toBeLessThan(1500);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('METRICS_PORT=0 turns it off; a port in use is logged and the worker goes on without it', async () => {
    const base = { pool: fixture.pool, processor: { brokerConnected: true, heartbeat: Date.now() }, pollIntervalMs: 1000, host: '127.0.0.1' };
    expect(await startMetricsServer({ ...base, port: 0, logger: silent })).toBeNull();

    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    try {
      expect(await startMetricsServer({ ...base, port: (blocker.address() as net.AddressInfo).port, logger })).toBeNull();
    } finally {
      blocker.close();
    }
    expect(lines).toContainEqual(expect.objectContaining({ level: 50, msg: expect.stringContaining('metrics listener could not start') }));
  });
});

describe.skipIf(!postgres)('the worker process', () => {
  it('serves GET /metrics on METRICS_HOST:METRICS_PORT with what it published, and stops it on SIGTERM', async () => {
    const [healthPort, metricsPort] = [await freePort(), await freePort()];
    await insertEvents(fixture.pool, 'wp', 6, 2);
    const worker = startTsProcess('worker/main.ts', {
      DATABASE_URL: fixture.database.url,
      WORKER_HEALTH_ADDR: `127.0.0.1:${healthPort}`,
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'info',
    });
    fixture.cleanup.push(async () => {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
      await worker.exited;
    });
    await worker.waitForLog((l) => l.msg === 'worker metrics listening' && l.addr === `127.0.0.1:${metricsPort}`);
    const base = `http://127.0.0.1:${metricsPort}`;
    let families = parseExposition(await (await fetch(`${base}/metrics`)).text());
    // A scrape reads the pending count from the database before it renders the counter, so one taken
    // while a batch is marked published can show the counter at 6 with the rows still pending: wait for both.
    const settled = () => sampleValue(families, 'orbita_outbox_published_total') === 6 && sampleValue(families, 'orbita_outbox_pending') === 0;
    for (let i = 0; i < 100 && !settled(); i++) {
      await new Promise((r) => setTimeout(r, 100));
      families = parseExposition(await (await fetch(`${base}/metrics`)).text());
    }
    expect(sampleValue(families, 'orbita_outbox_published_total')).toBe(6);
    expect(sampleValue(families, 'orbita_outbox_pending')).toBe(0);
    expect(sampleValue(families, 'orbita_info', { role: 'worker' })).toBe(1);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    await expect(fetch(`${base}/metrics`)).rejects.toThrow();
  });
});
