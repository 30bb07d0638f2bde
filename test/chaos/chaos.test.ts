import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeName } from '../../lib/outbox/events';
import { createTestDatabase, testServerUrl, type TestDatabase } from '../helpers/database';
import { freePort, type RunningProcess, startTsProcess } from '../helpers/process';
import { rabbitUrl } from '../helpers/rabbit';

/**
 * `npm run test:chaos`: 10,000 events written by concurrent producers while the broker's
 * connections are force-closed twice (`rabbitmqctl close_all_connections`) and one worker is
 * SIGKILLed. A consumer on a bound durable queue must see every event id (deduplicated by
 * messageId) with under 1 % duplicates. Needs PostgreSQL, RabbitMQ and rabbitmqctl (root).
 */
const run = promisify(execFile);
const broker = rabbitUrl();
const postgres = testServerUrl();
const total = 10_000;
const producers = 4;
// What the outbox publishes twice is what a worker held unconfirmed or unmarked when its
// connection was cut or it was killed: at most two batches (one out, the next claimed). Five such
// faults (two workers in each outage, one killed worker) bound the duplicates to 2 × 8 × 5 = 80,
// under the 1 % (100) the issue allows; runs have seen 0–25, most of them the killed
// worker's two batches.
const batchSize = 8;
const workerFaults = 5;
const queue = 'orbita.chaos';

let database: TestDatabase;
let pool: pg.Pool;
const workers: RunningProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: producers + 1 });
  // An idle client's error at teardown (see the outbox fixture) must not crash the run.
  pool.on('error', () => {});
});
afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
  await pool?.end();
  await database?.drop();
});

/** A consumer that survives forced disconnects: durable queue, manual acks, reconnect loop. */
function resilientConsumer(url: string) {
  const seen = new Map<string, number>();
  let deliveries = 0;
  // Messages the broker hands out again because this consumer's connection was closed before its
  // acks arrived (flagged `redelivered`): the consumer's side of at-least-once, not a duplicate
  // the outbox published.
  let redeliveries = 0;
  let connection: amqp.ChannelModel | null = null;
  let stopped = false;
  const connect = async (): Promise<void> => {
    while (!stopped) {
      try {
        const c = await amqp.connect(url);
        const channel = await c.createChannel();
        await channel.assertExchange(exchangeName, 'topic', { durable: true });
        await channel.assertQueue(queue, { durable: true });
        await channel.bindQueue(queue, exchangeName, 'chaos.#');
        await channel.prefetch(100);
        await channel.consume(queue, (message) => {
          if (!message) return;
          deliveries++;
          if (message.fields.redelivered) redeliveries++;
          const id = message.properties.messageId as string;
          seen.set(id, (seen.get(id) ?? 0) + 1);
          channel.ack(message);
        });
        c.on('error', () => {});
        c.on('close', () => {
          connection = null;
          if (!stopped) setTimeout(() => void connect(), 200);
        });
        connection = c;
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  return {
    seen,
    deliveries: () => deliveries,
    redeliveries: () => redeliveries,
    start: connect,
    async stop() {
      stopped = true;
      const c = connection as amqp.ChannelModel | null;
      if (c) {
        const channel = await c.createChannel().catch(() => null);
        await channel?.deleteQueue(queue).catch(() => {});
        await c.close().catch(() => {});
      }
    },
  };
}

async function closeAllBrokerConnections() {
  await run('rabbitmqctl', ['close_all_connections', '--vhost', '/', '--limit', '10000', 'orbita chaos test']);
}

describe.skipIf(!broker || !postgres)('chaos', () => {
  it('delivers every one of 10,000 events through forced disconnects and a killed worker', async () => {
    const url = broker as string;
    const consumer = resilientConsumer(url);
    await consumer.start();

    const startWorker = async () => {
      const port = await freePort();
      const worker = startTsProcess('worker/main.ts', {
        DATABASE_URL: database.url,
        RABBITMQ_URL: url,
        WORKER_HEALTH_ADDR: `127.0.0.1:${port}`,
        OUTBOX_BATCH_SIZE: String(batchSize),
        OUTBOX_POLL_INTERVAL: '200ms',
        OUTBOX_LEASE_DURATION: '3s',
        METRICS_PORT: '0',
        LOG_LEVEL: 'info',
      });
      workers.push(worker);
      await worker.waitForLog((l) => l.msg === 'worker health server listening');
      return worker;
    };
    const [doomed] = await Promise.all([startWorker(), startWorker()]);

    // Producers: each writes its share in small transactions spread over a few seconds.
    const perProducer = total / producers;
    const produce = async (producer: number) => {
      for (let offset = 0; offset < perProducer; offset += 25) {
        await pool.query(
          `INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload)
           SELECT 'task', 'p${producer}-' || (i % 50), 'chaos.task.updated', jsonb_build_object('producer', ${producer}, 'i', i)
             FROM generate_series($1::int, $2::int) AS i`,
          [offset, offset + 24],
        );
        await new Promise((r) => setTimeout(r, 8));
      }
    };
    const writing = Promise.all(Array.from({ length: producers }, (_, p) => produce(p)));

    const waitForDeliveries = async (count: number) => {
      const deadline = Date.now() + 60_000;
      while (consumer.seen.size < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    };
    await waitForDeliveries(1500);
    await closeAllBrokerConnections(); // first outage
    await waitForDeliveries(3500);
    // A worker dies holding a batch: once it is publishing again after the outage, not while it
    // waits to reconnect (holding nothing).
    const reconnected = () => doomed.logs.filter((l) => l.msg === 'broker connected').length >= 2;
    const reconnectDeadline = Date.now() + 30_000;
    while (!reconnected() && Date.now() < reconnectDeadline) await new Promise((r) => setTimeout(r, 10));
    expect(reconnected(), 'the doomed worker reconnects after the first outage').toBe(true);
    await waitForDeliveries(consumer.seen.size + 200);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    await startWorker();
    await waitForDeliveries(5500);
    await closeAllBrokerConnections(); // second outage
    await writing;

    const deadline = Date.now() + 120_000;
    while (consumer.seen.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // Published twice by the outbox = every delivery beyond the first per id, less the broker's
    // redeliveries to this consumer.
    const redeliveries = consumer.redeliveries();
    const duplicates = consumer.deliveries() - consumer.seen.size - redeliveries;
    console.log(
      `chaos: ${consumer.seen.size} of ${total} event ids received; ${duplicates} published twice (${((duplicates / total) * 100).toFixed(2)} %); ${redeliveries} broker redeliveries after the consumer's own disconnects`,
    );
    await consumer.stop();

    const ids = (await pool.query<{ event_id: string }>('SELECT event_id FROM outbox_events')).rows.map((r) => r.event_id);
    expect(ids).toHaveLength(total);
    const missing = ids.filter((id) => !consumer.seen.has(id));
    expect(missing, 'event ids never delivered').toEqual([]);
    expect(duplicates, 'more duplicates than the batches in flight at the faults').toBeLessThanOrEqual(2 * batchSize * workerFaults);
    expect(duplicates / total).toBeLessThan(0.01);
    expect(Number((await pool.query('SELECT count(*) FROM outbox_events WHERE published_at IS NULL')).rows[0].count)).toBe(0);
    expect(Number((await pool.query('SELECT count(*) FROM outbox_events WHERE dead_lettered_at IS NOT NULL')).rows[0].count)).toBe(0);
    // Outages and a dead worker are not rejections: no event spent a retry on them.
    expect(Number((await pool.query('SELECT count(*) FROM outbox_events WHERE retry_count > 0')).rows[0].count)).toBe(0);
  }, 240_000);
});
