import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { appendEvent } from '../../lib/outbox/append';
import { exchangeName } from '../../lib/outbox/events';
import { collectStats, runCleanup } from '../../lib/outbox/jobs';
import { OutboxProcessor } from '../../lib/outbox/processor';
import { AmqpPublisher, confirmResult, type Publisher } from '../../lib/outbox/publisher';
import { claimBatch, outboxTotals, retryDead } from '../../lib/outbox/store';
import { insertEvents as insertEventsInto, outboxFixture } from '../helpers/outbox';
import { rabbitUrl, startConsumer } from '../helpers/rabbit';
import { TcpProxy } from '../helpers/tcp-proxy';

const silent = pino({ level: 'silent' });
const broker = rabbitUrl();

const fixture = outboxFixture();

function processor(
  url: string,
  options: Partial<{ batchSize: number; maxRetries: number; pollIntervalMs: number; leaseSeconds: number; publisher: Publisher }> = {},
) {
  const p = new OutboxProcessor({
    databaseUrl: fixture.database.url,
    publisher: options.publisher ?? new AmqpPublisher(url, silent),
    logger: silent,
    batchSize: options.batchSize ?? 100,
    pollIntervalMs: options.pollIntervalMs ?? 200,
    maxRetries: options.maxRetries ?? 5,
    leaseSeconds: options.leaseSeconds,
  });
  fixture.cleanup.push(() => p.stop());
  return p;
}

/** The real publisher in front of a slow broker: each batch waits before it is sent and/or before its verdicts come back. */
function slowBroker(url: string, delays: { publishAfterMs?: number; confirmAfterMs?: number }): Publisher {
  const real = new AmqpPublisher(url, silent);
  const pause = (ms = 0) => new Promise((r) => setTimeout(r, ms));
  return {
    name: 'slow',
    get connected() {
      return real.connected;
    },
    connect: () => real.connect(),
    close: () => real.close(),
    async publishBatch(rows) {
      await pause(delays.publishAfterMs);
      const results = await real.publishBatch(rows);
      await pause(delays.confirmAfterMs);
      return results;
    },
  };
}

const insertEvents = (prefix: string, count: number, aggregates: number) => insertEventsInto(fixture.pool, prefix, count, aggregates);

async function published(): Promise<number> {
  return Number((await fixture.pool.query('SELECT count(*) FROM outbox_events WHERE published_at IS NOT NULL')).rows[0].count);
}

const prefix = () => `t${randomUUID().slice(0, 8)}`;

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Each aggregate's first deliveries must come in sequence order. */
function expectPerAggregateOrder(received: { messageId: string; body: { aggregate: { id: string }; sequence: string } }[]) {
  const seen = new Set<string>();
  const last = new Map<string, bigint>();
  for (const message of received) {
    if (seen.has(message.messageId)) continue;
    seen.add(message.messageId);
    const sequence = BigInt(message.body.sequence);
    const previous = last.get(message.body.aggregate.id);
    if (previous !== undefined) expect(sequence > previous, `aggregate ${message.body.aggregate.id}: ${sequence} after ${previous}`).toBe(true);
    last.set(message.body.aggregate.id, sequence);
  }
}

describe('appendEvent', () => {
  it('writes the event in the same transaction as the change: a rollback leaves neither', async () => {
    await expect(
      fixture.database.db.$transaction(async (tx) => {
        const user = await tx.user.create({ data: { email: 'rollback@example.com' } });
        await appendEvent(tx, { aggregateType: 'user', aggregateId: user.id, eventType: 'core.task.created', payload: { id: user.id } });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await fixture.database.db.user.count({ where: { email: 'rollback@example.com' } })).toBe(0);
    expect((await outboxTotals(fixture.pool)).pending).toBe(0);

    const eventId = await fixture.database.db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: 'commit@example.com' } });
      return appendEvent(tx, { aggregateType: 'user', aggregateId: user.id, eventType: 'core.task.created', payload: { id: user.id }, userId: user.id, correlationId: 'c-1' });
    });
    const row = await fixture.database.db.outboxEvent.findUniqueOrThrow({ where: { eventId } });
    expect(row).toMatchObject({ eventType: 'core.task.created', aggregateType: 'user', metadata: { userId: expect.any(String), correlationId: 'c-1' }, publishedAt: null });
  });
});

describe.skipIf(!broker)('outbox processor against RabbitMQ', () => {
  const url = broker as string;

  it('publishes with confirms: messageId = event id, persistent, typed, with headers; rows marked published', async () => {
    const p = prefix();
    const consumer = await startConsumer(url, `${p}.#`);
    fixture.cleanup.push(consumer.close);
    await insertEvents(p, 20, 3);
    const worker = processor(url);
    worker.start();
    await consumer.waitFor(20);
    await waitUntil(async () => (await published()) === 20, 10_000, 'rows marked published');

    const rows = (await fixture.pool.query('SELECT event_id, sequence::text, aggregate_id FROM outbox_events')).rows;
    const message = consumer.received.find((m) => m.messageId === rows[0].event_id)!;
    expect(message).toBeDefined();
    expect(message.type).toBe(`${p}.task.updated`);
    expect(message.routingKey).toBe(`${p}.task.updated`);
    expect(message.properties).toMatchObject({ deliveryMode: 2, contentType: 'application/json' });
    expect(message.properties.headers).toMatchObject({ aggregate_type: 'task', aggregate_id: rows[0].aggregate_id, user_id: 'u-1' });
    expect(message.body).toMatchObject({ id: rows[0].event_id, type: `${p}.task.updated`, aggregate: { type: 'task', id: rows[0].aggregate_id } });
    await waitUntil(async () => worker.counters.published === 20, 10_000, 'counters'); // bumped after the bookkeeping
    expect(worker.counters).toEqual({ published: 20, failed: 0, dead: 0 });
    expect(await outboxTotals(fixture.pool)).toEqual({ pending: 0, deadTotal: 0, lagSeconds: 0 });
  });

  it('wakes on NOTIFY instead of waiting for the poll', async () => {
    const p = prefix();
    const consumer = await startConsumer(url, `${p}.#`);
    fixture.cleanup.push(consumer.close);
    const worker = processor(url, { pollIntervalMs: 60_000 });
    worker.start();
    await new Promise((r) => setTimeout(r, 500)); // connected and listening, then idle
    const started = Date.now();
    await insertEvents(p, 1, 1);
    await consumer.waitFor(1, 5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('three concurrent processors publish 5,000 events with no duplicates and per-aggregate order intact', async () => {
    const p = prefix();
    const consumer = await startConsumer(url, `${p}.#`);
    fixture.cleanup.push(consumer.close);
    await insertEvents(p, 5000, 40);
    const workers = [processor(url, { batchSize: 200 }), processor(url, { batchSize: 200 }), processor(url, { batchSize: 200 })];
    for (const w of workers) w.start();
    await consumer.waitFor(5000, 60_000);
    await waitUntil(async () => (await published()) === 5000, 10_000, 'all rows published');
    expect(consumer.received).toHaveLength(5000); // zero duplicates
    expectPerAggregateOrder(consumer.received);
    await waitUntil(async () => workers.reduce((sum, w) => sum + w.counters.published, 0) >= 5000, 10_000, 'counters');
    expect(workers.reduce((sum, w) => sum + w.counters.published, 0)).toBe(5000);
    expect(workers.filter((w) => w.counters.published > 0).length).toBeGreaterThan(1); // the work was shared
  });

  it('keeps rows pending while the broker is unreachable, then reconnects and delivers everything', async () => {
    const p = prefix();
    const consumer = await startConsumer(url, `${p}.#`);
    fixture.cleanup.push(consumer.close);
    const proxy = await new TcpProxy(Number(new URL(url).port || 5672), new URL(url).hostname).up();
    fixture.cleanup.push(() => proxy.down());
    const viaProxy = Object.assign(new URL(url), { port: String(proxy.port) }).toString();

    await insertEvents(p, 300, 10);
    const worker = processor(viaProxy, { batchSize: 20, pollIntervalMs: 100 });
    worker.start();
    await waitUntil(async () => (await published()) > 0, 10_000, 'first publishes');

    await proxy.down(); // the broker "goes away" mid-run
    const atOutage = await published();
    await insertEvents(p, 200, 10);
    await new Promise((r) => setTimeout(r, 1500));
    const duringOutage = await published();
    // Only batches confirmed before the cut can have been marked; nothing after it.
    expect(duringOutage - atOutage).toBeLessThanOrEqual(20);
    const stuck = (await fixture.pool.query('SELECT count(*) FROM outbox_events WHERE published_at IS NULL AND retry_count = 0 AND dead_lettered_at IS NULL')).rows[0].count;
    expect(Number(stuck)).toBe(500 - duringOutage); // pending, and no retry was spent on the outage

    await proxy.up(); // back on the same port
    await consumer.waitFor(500, 60_000);
    await waitUntil(async () => (await published()) === 500, 30_000, 'catch-up');
    expect(worker.counters.dead).toBe(0);
    expect(new Set(consumer.received.map((m) => m.messageId)).size).toBe(500);
    expectPerAggregateOrder(consumer.received);
  });

  it('reclaims the rows of a worker that died holding them once its lease runs out', async () => {
    const p = prefix();
    const consumer = await startConsumer(url, `${p}.#`);
    fixture.cleanup.push(consumer.close);
    await insertEvents(p, 50, 5);
    // A worker claims a batch and dies before publishing (its lease is all that is left of it).
    const claimed = await claimBatch(fixture.pool, 'dead-worker', 30, 1);
    expect(claimed).toHaveLength(30);
    const worker = processor(url, { pollIntervalMs: 100 });
    worker.start();
    await consumer.waitFor(50, 15_000);
    await waitUntil(async () => worker.counters.published >= 50, 10_000, 'counters');
    expect(worker.counters.published).toBe(50);
    expectPerAggregateOrder(consumer.received);
  });

  it('a batch out for longer than its lease keeps the lease: no other worker publishes those events again', async () => {
    const p = prefix();
    const consumer = await startConsumer(url, `${p}.#`);
    fixture.cleanup.push(consumer.close);
    await insertEvents(p, 20, 20);
    // A broker slow to confirm: this worker's publishes reach the broker at once but their
    // confirms take 2.5 s, while its lease is 1 s.
    const slow = processor(url, { publisher: slowBroker(url, { confirmAfterMs: 2500 }), leaseSeconds: 1, batchSize: 20 });
    slow.start();
    await consumer.waitFor(20, 10_000);
    const other = processor(url, { leaseSeconds: 1, pollIntervalMs: 100 });
    other.start();
    await waitUntil(async () => (await published()) === 20, 10_000, 'rows marked published');
    await new Promise((r) => setTimeout(r, 500)); // room for a second copy to arrive
    expect(consumer.received).toHaveLength(20);
    expect(slow.counters.published).toBe(20);
    expect(other.counters.published).toBe(0);
  });

  it('a worker that finds its lease taken publishes nothing more of that batch', async () => {
    const p = prefix();
    const consumer = await startConsumer(url, `${p}.#`);
    fixture.cleanup.push(consumer.close);
    await insertEvents(p, 10, 1); // one aggregate: ten waves, one event each
    const worker = processor(url, { publisher: slowBroker(url, { publishAfterMs: 400 }), leaseSeconds: 0.9, batchSize: 10 });
    worker.start();
    await consumer.waitFor(1, 5_000);
    // Another worker holds these rows now (as if this one's lease had run out and been claimed).
    await fixture.pool.query(`UPDATE outbox_events SET lease_owner = 'other-worker', leased_until = now() + interval '1 minute' WHERE published_at IS NULL`);
    await new Promise((r) => setTimeout(r, 3000));
    // The next renewal (every 0.3 s) finds the rows gone and the waves stop: at most the wave in
    // flight follows, and one more if a renewal is slow (without the check, 7 or more of the 10 arrive).
    expect(consumer.received.length).toBeLessThanOrEqual(4);
    const owners = (await fixture.pool.query(`SELECT DISTINCT lease_owner FROM outbox_events WHERE published_at IS NULL`)).rows;
    expect(owners).toEqual([{ lease_owner: 'other-worker' }]);
  });

  it('a confirm lost with its channel is an outage, not a rejection: no retry is spent', () => {
    // amqplib settles every unconfirmed publish with this error when the channel or connection goes away.
    expect(confirmResult(new Error('channel closed'))).toMatchObject({ ok: false, transient: true });
    expect(confirmResult(new Error('message nacked'))).toEqual({ ok: false, transient: false, error: 'the broker rejected the message (nack)' });
    expect(confirmResult(null)).toEqual({ ok: true });
  });

  it('a rejected publish backs off, is dead-lettered after the last retry, shows in stats and can be re-driven', async () => {
    const p = prefix();
    // A queue that refuses every message makes the broker nack the publish.
    const connection = await amqp.connect(url);
    fixture.cleanup.push(() => connection.close().catch(() => {}));
    const channel = await connection.createChannel();
    await channel.assertExchange(exchangeName, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, arguments: { 'x-max-length': 0, 'x-overflow': 'reject-publish' } });
    await channel.bindQueue(queue, exchangeName, `${p}.poison`);
    const consumer = await startConsumer(url, `${p}.fine`);
    fixture.cleanup.push(consumer.close);

    await fixture.pool.query(
      `INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload) VALUES
         ('task', 'a1', $1 || '.poison', '{}'), ('task', 'a1', $1 || '.fine', '{"after":"poison"}'), ('task', 'a2', $1 || '.fine', '{}')`,
      [p],
    );
    const worker = processor(url, { maxRetries: 3, pollIntervalMs: 100 });
    const started = Date.now();
    worker.start();
    // a2 is independent and goes out at once; a1's second event waits behind its poisoned first.
    await consumer.waitFor(1, 5_000);
    expect(consumer.received[0].body.aggregate.id).toBe('a2');

    await waitUntil(async () => (await outboxTotals(fixture.pool)).deadTotal === 1, 20_000, 'dead letter');
    // Three tries with backoff between them: 1 s, then 2 s, each at least 80 % (jitter).
    expect(Date.now() - started).toBeGreaterThanOrEqual(2400);
    const dead = (await fixture.pool.query(`SELECT retry_count, dead_letter_reason FROM outbox_events WHERE dead_lettered_at IS NOT NULL`)).rows[0];
    expect(dead).toEqual({ retry_count: 3, dead_letter_reason: 'the broker rejected the message (nack)' });
    await waitUntil(async () => worker.counters.dead === 1, 10_000, 'counters');
    expect(worker.counters).toMatchObject({ failed: 3, dead: 1 });
    expect(await collectStats(fixture.pool, worker)).toMatchObject({ failed: 3, dead: 1, dead_total: 1 });

    // Once dead, it no longer holds back its aggregate.
    await consumer.waitFor(2, 5_000);
    expect(consumer.received.map((m) => m.body.payload)).toContainEqual({ after: 'poison' });

    // Fix the route, re-drive, and it goes out.
    await channel.unbindQueue(queue, exchangeName, `${p}.poison`);
    await channel.bindQueue((await channel.assertQueue('', { exclusive: true })).queue, exchangeName, `${p}.poison`);
    expect(await retryDead(fixture.pool)).toBe(1);
    await waitUntil(async () => (await outboxTotals(fixture.pool)).deadTotal === 0 && (await published()) === 3, 10_000, 're-drive');
  });

  it('cleanup deletes old published rows only, never pending or dead ones', async () => {
    await fixture.pool.query(`
      INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload, created_at, published_at, dead_lettered_at) VALUES
        ('t', '1', 'x', '{}', now() - interval '30 days', now() - interval '20 days', NULL),  -- old, published: deleted
        ('t', '2', 'x', '{}', now() - interval '30 days', now() - interval '1 day', NULL),    -- recent, published: kept
        ('t', '3', 'x', '{}', now() - interval '30 days', NULL, NULL),                         -- old, pending: kept
        ('t', '4', 'x', '{}', now() - interval '30 days', NULL, now() - interval '20 days')    -- old, dead: kept
    `);
    expect(await runCleanup(fixture.pool, 14, silent)).toBe(1);
    expect((await fixture.pool.query('SELECT aggregate_id FROM outbox_events ORDER BY 1')).rows.map((r) => r.aggregate_id)).toEqual(['2', '3', '4']);
    expect(await outboxTotals(fixture.pool)).toMatchObject({ pending: 1, deadTotal: 1 });
    expect((await outboxTotals(fixture.pool)).lagSeconds).toBeGreaterThan(29 * 86_400);
  });
});
