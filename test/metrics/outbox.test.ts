import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { brokerConnectionsLost, outboxDeadLettered, outboxPublished, outboxPublishFailures, renderMetrics } from '../../lib/metrics';
import { outboxTotalsFromPool } from '../../lib/metrics/outbox';
import type { OutboxRow } from '../../lib/outbox/events';
import { OutboxProcessor } from '../../lib/outbox/processor';
import { AmqpPublisher, type Publisher, type PublishResult } from '../../lib/outbox/publisher';
import { testServerUrl } from '../helpers/database';
import { insertEvents, outboxFixture } from '../helpers/outbox';
import { rabbitUrl, startConsumer } from '../helpers/rabbit';
import { parseExposition, sampleValue } from './exposition';

const silent = pino({ level: 'silent' });
const broker = rabbitUrl();
const postgres = testServerUrl();
const fixture = outboxFixture();

/**
 * A publisher that accepts every row, rejects every row (a broker nack), or loses its connection
 * (transient: like the real one, it is then disconnected and cannot reconnect).
 */
function fakePublisher(verdict: PublishResult): Publisher {
  const publisher = {
    name: 'fake',
    connected: true,
    async connect() {
      if (!publisher.connected) throw new Error('broker unreachable');
    },
    async publishBatch(rows: OutboxRow[]) {
      if (!verdict.ok && verdict.transient) publisher.connected = false;
      return rows.map(() => verdict);
    },
    async close() {},
  };
  return publisher;
}

function processor(publisher: Publisher, maxRetries = 5) {
  const p = new OutboxProcessor({ databaseUrl: fixture.database.url, publisher, logger: silent, batchSize: 100, pollIntervalMs: 200, maxRetries });
  fixture.cleanup.push(() => p.stop());
  return p;
}

const prefix = () => `m${randomUUID().slice(0, 8)}`;

async function scrape() {
  return parseExposition(await renderMetrics({ role: 'worker', outboxTotals: outboxTotalsFromPool(fixture.pool) }));
}

describe('outbox metrics', () => {
  it('orbita_outbox_published_total counts what the processor published', async () => {
    const before = outboxPublished.value();
    await insertEvents(fixture.pool, prefix(), 12, 4);
    expect(await processor(fakePublisher({ ok: true })).drain()).toBe(12);
    expect(outboxPublished.value() - before).toBe(12);
    const families = await scrape();
    expect(sampleValue(families, 'orbita_outbox_published_total')).toBe(outboxPublished.value());
    expect(sampleValue(families, 'orbita_outbox_pending')).toBe(0);
  });

  it('a rejected publish counts in orbita_outbox_publish_failures_total{reason="rejected"}, a dead letter in orbita_outbox_dead_lettered_total and orbita_outbox_dead', async () => {
    const failuresBefore = outboxPublishFailures.value({ reason: 'rejected' });
    const deadBefore = outboxDeadLettered.value();
    const publishedBefore = outboxPublished.value();
    await insertEvents(fixture.pool, prefix(), 3, 3);
    await processor(fakePublisher({ ok: false, transient: false, error: 'nack' }), 1).drain();
    expect(outboxPublishFailures.value({ reason: 'rejected' }) - failuresBefore).toBe(3);
    expect(outboxDeadLettered.value() - deadBefore).toBe(3);
    expect(outboxPublished.value()).toBe(publishedBefore);

    const families = await scrape();
    expect(sampleValue(families, 'orbita_outbox_publish_failures_total', { reason: 'rejected' })).toBe(outboxPublishFailures.value({ reason: 'rejected' }));
    expect(sampleValue(families, 'orbita_outbox_dead')).toBe(3);
    expect(sampleValue(families, 'orbita_outbox_pending')).toBe(0);
  });

  it('a broker that goes away mid-batch counts as reason="broker_lost" (the rows stay pending)', async () => {
    const before = outboxPublishFailures.value({ reason: 'broker_lost' });
    await insertEvents(fixture.pool, prefix(), 4, 4);
    await processor(fakePublisher({ ok: false, transient: true, error: 'connection closed' })).drain(2000);
    expect(outboxPublishFailures.value({ reason: 'broker_lost' }) - before).toBe(4);
    expect(sampleValue(await scrape(), 'orbita_outbox_pending')).toBe(4);
  });

  it.skipIf(!postgres)('the outbox gauges match the table', async () => {
    await insertEvents(fixture.pool, prefix(), 7, 7);
    await fixture.pool.query(`UPDATE outbox_events SET created_at = now() - interval '95 seconds'`);
    await fixture.pool.query(`UPDATE outbox_events SET dead_lettered_at = now(), dead_letter_reason = 'test' WHERE sequence IN (SELECT sequence FROM outbox_events ORDER BY sequence LIMIT 2)`);
    await fixture.pool.query(`UPDATE outbox_events SET published_at = now() WHERE sequence IN (SELECT sequence FROM outbox_events WHERE dead_lettered_at IS NULL ORDER BY sequence LIMIT 1)`);
    const { rows } = await fixture.pool.query<{ pending: string; dead: string; lag: string }>(
      `SELECT count(*) FILTER (WHERE published_at IS NULL AND dead_lettered_at IS NULL) AS pending,
              count(*) FILTER (WHERE dead_lettered_at IS NOT NULL) AS dead,
              extract(epoch FROM now() - min(created_at) FILTER (WHERE published_at IS NULL AND dead_lettered_at IS NULL)) AS lag
         FROM outbox_events`,
    );
    const families = await scrape();
    expect(sampleValue(families, 'orbita_outbox_pending')).toBe(Number(rows[0].pending));
    expect(sampleValue(families, 'orbita_outbox_pending')).toBe(4);
    expect(sampleValue(families, 'orbita_outbox_dead')).toBe(Number(rows[0].dead));
    expect(sampleValue(families, 'orbita_outbox_dead')).toBe(2);
    expect(sampleValue(families, 'orbita_outbox_lag_seconds')).toBeGreaterThanOrEqual(95);
    expect(sampleValue(families, 'orbita_outbox_lag_seconds')).toBeLessThan(Number(rows[0].lag) + 5);
    expect(sampleValue(families, 'orbita_outbox_stats_up')).toBe(1);
  });

  it.skipIf(!broker)('through RabbitMQ: confirmed publishes are counted; a lost connection counts in orbita_outbox_broker_connections_lost_total', async () => {
    const p = prefix();
    const consumer = await startConsumer(broker as string, `${p}.#`);
    fixture.cleanup.push(consumer.close);
    const publisher = new AmqpPublisher(broker as string, silent);
    const before = outboxPublished.value();
    await insertEvents(fixture.pool, p, 25, 5);
    expect(await processor(publisher).drain()).toBe(25);
    await consumer.waitFor(25);
    expect(outboxPublished.value() - before).toBe(25);

    const lostBefore = brokerConnectionsLost.value();
    // Close the connection behind the publisher's back, as a broker restart would.
    await (publisher as unknown as { connection: { close(): Promise<void> } }).connection.close();
    expect(publisher.connected).toBe(false);
    expect(brokerConnectionsLost.value() - lostBefore).toBe(1);
    const families = parseExposition(await renderMetrics({ role: 'worker', processor: { brokerConnected: publisher.connected } }));
    expect(sampleValue(families, 'orbita_outbox_broker_connected')).toBe(0);
  });
});
