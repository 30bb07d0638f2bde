/**
 * `npm run bench:outbox`: outbox throughput and latency on local PostgreSQL + RabbitMQ.
 *   1. drain 50,000 pending rows with one processor (batch 500) to a bound durable queue, and the
 *      raw amqplib confirm-publish rate of the same messages without the database; their ratio;
 *   2. a steady 1,000 events/s producer for 30 s with default settings: commit → confirm lag p50/p99.
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres; a scratch database is
 * created and dropped), RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672), BENCH_EVENTS,
 * BENCH_STEADY_SECONDS.
 */
import os from 'node:os';
import amqp from 'amqplib';
import pg from 'pg';
import pino from 'pino';
import { migrateUp } from '../lib/db/migrate';
import { exchangeName, type OutboxRow } from '../lib/outbox/events';
import { OutboxProcessor } from '../lib/outbox/processor';
import { AmqpPublisher, envelope, messageOptions } from '../lib/outbox/publisher';
import { createScratchDatabase } from './scratch-database';

const server = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const rabbit = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const total = Number(process.env.BENCH_EVENTS ?? 50_000);
const steadySeconds = Number(process.env.BENCH_STEADY_SECONDS ?? 30);
const silent = pino({ level: 'silent' });
const queueName = 'orbita.bench';

async function scratchDatabase() {
  const scratch = await createScratchDatabase('outbox', server);
  await migrateUp(scratch.url);
  return scratch;
}

async function boundQueue() {
  const connection = await amqp.connect(rabbit);
  const channel = await connection.createChannel();
  await channel.assertExchange(exchangeName, 'topic', { durable: true });
  await channel.assertQueue(queueName, { durable: true });
  await channel.bindQueue(queueName, exchangeName, 'bench.#');
  await channel.purgeQueue(queueName);
  return {
    depth: async () => (await channel.checkQueue(queueName)).messageCount,
    purge: () => channel.purgeQueue(queueName),
    async close() {
      await channel.deleteQueue(queueName);
      await connection.close();
    },
  };
}

async function insertPending(pool: pg.Pool, count: number) {
  // 5,000 aggregates: realistic fan-out (many tasks, a few events each).
  await pool.query(
    `INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload, metadata)
     SELECT 'task', 'task-' || (i % 5000), 'bench.task.updated', jsonb_build_object('i', i, 'title', 'Write the quarterly report'), '{"userId":"bench"}'
       FROM generate_series(1, $1) AS i`,
    [count],
  );
}

async function rawConfirmRate(rows: OutboxRow[], batch: number): Promise<number> {
  const connection = await amqp.connect(rabbit);
  const channel = await connection.createConfirmChannel();
  const started = performance.now();
  for (let i = 0; i < rows.length; i += batch) {
    for (const row of rows.slice(i, i + batch)) {
      // Exactly the processor's messages: same body, same properties and headers.
      const ok = channel.publish(exchangeName, row.eventType, Buffer.from(JSON.stringify(envelope(row))), messageOptions(row));
      if (!ok) await new Promise((r) => channel.once('drain', r));
    }
    await channel.waitForConfirms();
  }
  const seconds = (performance.now() - started) / 1000;
  await connection.close();
  return rows.length / seconds;
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  const db = await scratchDatabase();
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const queue = await boundQueue();
  try {
    // 1. Drain: on a freshly filled table (no planner statistics yet), then again after ANALYZE
    //    (what autovacuum gives a backlog that built up over time).
    const drain = async (label: string) => {
      const processor = new OutboxProcessor({ databaseUrl: db.url, publisher: new AmqpPublisher(rabbit, silent), logger: silent, batchSize: 500, pollIntervalMs: 1000, maxRetries: 5 });
      const started = performance.now();
      const drained = await processor.drain(600_000);
      const seconds = (performance.now() - started) / 1000;
      await processor.stop();
      console.log(`drain (${label}): ${drained} events in ${seconds.toFixed(2)} s = ${Math.round(drained / seconds)} events/s (batch 500, one processor); queue depth ${await queue.depth()}`);
      return drained / seconds;
    };
    await insertPending(pool, total);
    await drain('fresh table');
    await pool.query('TRUNCATE outbox_events');
    await queue.purge();
    await insertPending(pool, total);
    await pool.query('ANALYZE outbox_events');
    const drainRate = await drain('after ANALYZE');

    const { rows } = await pool.query<OutboxRow>(
      `SELECT sequence::text, event_id AS "eventId", aggregate_type AS "aggregateType", aggregate_id AS "aggregateId", event_type AS "eventType", payload, metadata, created_at AS "createdAt", retry_count AS "retryCount" FROM outbox_events ORDER BY sequence`,
    );
    const rawRate = await rawConfirmRate(rows, 500);
    console.log(`raw amqplib confirm-publish: ${Math.round(rawRate)} events/s; ratio ${(drainRate / rawRate).toFixed(2)}`);

    if (steadySeconds <= 0) return;

    // 2. Steady load with default settings, into an emptied queue: the drain and raw runs left
    //    100,000 unconsumed persistent messages there, and a steady state has consumers keeping up.
    await pool.query('TRUNCATE outbox_events');
    await queue.purge();
    const steady = new OutboxProcessor({ databaseUrl: db.url, publisher: new AmqpPublisher(rabbit, silent), logger: silent, batchSize: 100, pollIntervalMs: 1000, maxRetries: 5 });
    steady.start();
    await new Promise((r) => setTimeout(r, 500));
    const perTick = 10; // 10 events every 10 ms = 1,000/s
    const started = performance.now();
    let produced = 0;
    while (performance.now() - started < steadySeconds * 1000) {
      const due = Math.floor(((performance.now() - started) / 1000) * 1000);
      while (produced < due) {
        await pool.query(
          `INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload) SELECT 'task', 'task-' || (i % 500), 'bench.task.updated', '{}' FROM generate_series($1::int, $2::int) AS i`,
          [produced, produced + perTick - 1],
        );
        produced += perTick;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && Number((await pool.query('SELECT count(*) FROM outbox_events WHERE published_at IS NULL')).rows[0].count) > 0) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await steady.stop();
    const lags = (await pool.query<{ ms: number }>(`SELECT extract(epoch FROM published_at - created_at) * 1000 AS ms FROM outbox_events WHERE published_at IS NOT NULL`)).rows
      .map((r) => Number(r.ms))
      .sort((a, b) => a - b);
    console.log(
      `steady: ${produced} events at 1,000/s for ${steadySeconds} s (batch 100, poll 1s); commit→confirm lag p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms, max ${lags[lags.length - 1].toFixed(1)} ms; published ${lags.length}`,
    );
  } finally {
    await pool.end();
    await queue.close();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
