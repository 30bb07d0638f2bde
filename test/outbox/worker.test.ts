import { describe, expect, it } from 'vitest';
import { testServerUrl } from '../helpers/database';
import { insertEvents as insertEventsInto, outboxFixture } from '../helpers/outbox';
import { freePort, startTsProcess } from '../helpers/process';
import { rabbitUrl, startConsumer } from '../helpers/rabbit';
import { TcpProxy } from '../helpers/tcp-proxy';

const broker = rabbitUrl();
// The worker is a separate process: it needs a database other processes can reach (PostgreSQL).
const postgres = testServerUrl();

const fixture = outboxFixture();

async function startWorker(env: Record<string, string>) {
  const port = await freePort();
  const worker = startTsProcess('worker/main.ts', { DATABASE_URL: fixture.database.url, WORKER_HEALTH_ADDR: `127.0.0.1:${port}`, LOG_LEVEL: 'info', ...env });
  fixture.cleanup.push(async () => {
    if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await worker.exited;
  });
  await worker.waitForLog((l) => l.msg === 'worker health server listening');
  return { worker, base: `http://127.0.0.1:${port}` };
}

const insertEvents = (prefix: string, count: number) => insertEventsInto(fixture.pool, prefix, count, 25);

describe.skipIf(!postgres)('worker process', () => {
  it('without RABBITMQ_URL says loudly that it only logs events; /healthz has the stats; SIGTERM exits 0', async () => {
    await insertEvents('dev', 5);
    const { worker, base } = await startWorker({ OUTBOX_STATS_INTERVAL: '200ms' });
    expect(worker.logs.some((l) => String(l.msg).includes('LOGGED, NOT PUBLISHED'))).toBe(true);

    const stats = await worker.waitForLog((l) => l.msg === 'outbox stats' && l.published === 5);
    expect(stats).toMatchObject({ published: 5, failed: 0, dead: 0, pending: 0, dead_total: 0, lag_seconds: 0 });
    await worker.waitForLog((l) => l.msg === 'outbox cleanup');

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', publisher: 'log', published: 5, failed: 0, dead: 0, pending: 0, dead_total: 0, lag_seconds: 0 });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.logs.some((l) => l.msg === 'worker stopped')).toBe(true);
  });

  it('/readyz answers 503 while the database is unreachable and 200 again after', async () => {
    const target = new URL(fixture.database.url);
    const proxy = await new TcpProxy(Number(target.port || 5432), target.hostname).up();
    fixture.cleanup.push(() => proxy.down());
    const viaProxy = Object.assign(new URL(fixture.database.url), { port: String(proxy.port) }).toString();
    const { worker, base } = await startWorker({ DATABASE_URL: viaProxy });

    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await proxy.down();
    await new Promise((r) => setTimeout(r, 300));
    expect(worker.child.exitCode, worker.output()).toBeNull(); // the outage must not kill the worker
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'unavailable', error: expect.any(String) });
    expect((await fetch(`${base}/healthz`)).status).toBe(200); // the loop is alive; the database is what is down

    await proxy.up();
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it.skipIf(!broker)('a worker SIGKILLed mid-batch: another worker publishes its leased rows after the lease', async () => {
    const consumer = await startConsumer(broker as string, 'kill.#');
    fixture.cleanup.push(consumer.close);
    await insertEvents('kill', 20_000);
    const env = { RABBITMQ_URL: broker as string, OUTBOX_BATCH_SIZE: '500', OUTBOX_LEASE_DURATION: '2s' };
    const { worker: first } = await startWorker(env);
    // Kill it while it is publishing.
    const deadline = Date.now() + 30_000;
    while (consumer.received.length < 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    await first.exited;
    const leftBehind = Number((await fixture.pool.query('SELECT count(*) FROM outbox_events WHERE published_at IS NULL')).rows[0].count);
    expect(leftBehind).toBeGreaterThan(0);

    await startWorker(env);
    await consumer.waitFor(20_000, 90_000);
    const unpublished = async () => Number((await fixture.pool.query('SELECT count(*) FROM outbox_events WHERE published_at IS NULL')).rows[0].count);
    const settle = Date.now() + 10_000;
    while ((await unpublished()) > 0 && Date.now() < settle) await new Promise((r) => setTimeout(r, 100));
    expect(await unpublished()).toBe(0);
    const ids = consumer.received.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(20_000); // none lost
    expect(ids.length - 20_000).toBeLessThan(1000); // only a killed batch can be delivered twice
  }, 120_000);
});
