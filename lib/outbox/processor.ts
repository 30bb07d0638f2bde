import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import type { Logger } from 'pino';
import { guardPool } from '../db/pg';
import { outboxDeadLettered, outboxPublished, outboxPublishFailures } from '../metrics';
import type { OutboxRow } from './events';
import type { BrokerOutage } from './liveness';
import type { Publisher } from './publisher';
import { claimBatch, extendLeases, markFailed, markPublished, refreshStaleStatistics, releaseLeases } from './store';

export interface ProcessorOptions {
  databaseUrl: string;
  publisher: Publisher;
  logger: Logger;
  batchSize: number;
  pollIntervalMs: number;
  maxRetries: number;
  /** How long a claim is held before another worker may take the rows (a crashed worker's). */
  leaseSeconds?: number;
}

/** Counters for this process since it started (SPEC §8). */
export interface ProcessorCounters {
  published: number;
  failed: number;
  dead: number;
}

const maxBrokerBackoffMs = 30_000;

/**
 * Publishes outbox rows to the broker. Any number of processors may run against one database:
 * claims are leased and serialised, events of one aggregate go out in commit order, a row is
 * marked published only after the broker confirmed it, a rejected publish is retried with backoff
 * and dead-lettered after `maxRetries`, and a broker outage leaves rows pending (no retry is
 * counted) while the processor reconnects with backoff.
 */
export class OutboxProcessor {
  readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly counters: ProcessorCounters = { published: 0, failed: 0, dead: 0 };
  /** When the loop last made progress (for stall detection in /healthz). */
  heartbeat = Date.now();
  /** While the broker cannot be reached: /healthz then says "degraded: broker unreachable" (lib/outbox/liveness.ts). */
  brokerOutage: BrokerOutage | null = null;

  private readonly pool: pg.Pool;
  private listener: pg.Client | null = null;
  private running = false;
  private closed = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private pendingWake = false;
  private brokerBackoffMs = 1000;
  /** When this processor last checked the table's statistics (see refreshStaleStatistics). */
  private statisticsCheckedAt = 0;

  constructor(private readonly options: ProcessorOptions) {
    this.pool = guardPool(new pg.Pool({
      connectionString: options.databaseUrl,
      max: 3,
      connectionTimeoutMillis: 5000,
      // This session writes only leases and "published" marks. If the database crashes, losing the
      // last few milliseconds of those means re-publishing (at-least-once already covers it), so
      // it does not wait for the WAL flush. Set per connection: nothing else's durability changes
      // (the embedded database ignores the option).
      options: '-c synchronous_commit=off',
    }), (error) => options.logger.warn({ err: error.message }, 'outbox database connection error'));
  }

  get publisherName(): string {
    return this.options.publisher.name;
  }

  get brokerConnected(): boolean {
    return this.options.publisher.connected;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.heartbeat = Date.now();
    void this.listen();
    this.loop = this.run();
  }

  /** Stops claiming, lets the batch in flight finish, then closes everything (also after drain()). */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.running = false;
    this.notify();
    await this.loop;
    this.loop = null;
    await this.listener?.end().catch(() => {});
    this.listener = null;
    await this.options.publisher.close();
    await this.pool.end().catch(() => {});
  }

  /** Processes until nothing is claimable (or `timeoutMs` passes); for the CLI and tests. Returns rows published. */
  async drain(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    const before = this.counters.published;
    if (await this.ensureBroker()) await this.pump(() => Date.now() < deadline);
    return this.counters.published - before;
  }

  /** A full batch means a backlog: at most every 2 s, make sure the planner knows its size. */
  private async checkStatistics(): Promise<void> {
    if (Date.now() - this.statisticsCheckedAt < 2000) return;
    this.statisticsCheckedAt = Date.now();
    try {
      if (await refreshStaleStatistics(this.pool)) this.options.logger.info('outbox backlog: refreshed the table statistics (ANALYZE outbox_events)');
    } catch (error) {
      // Only a speed-up: draining goes on with the plans it has.
      this.options.logger.warn({ err: error }, 'outbox backlog: could not refresh the table statistics');
    }
  }

  /**
   * Claims and publishes until nothing is claimable, with up to two batches in flight: the next
   * claim and publish overlap the current batch's confirms and bookkeeping. That is order-safe:
   * a claim skips every event whose aggregate has an earlier event still leased, so batches in
   * flight never share an aggregate.
   */
  private async pump(keepGoing: () => boolean): Promise<void> {
    let inFlight: Promise<void> | null = null;
    try {
      while (keepGoing() && this.options.publisher.connected) {
        const rows = await claimBatch(this.pool, this.owner, this.options.batchSize, this.leaseSeconds);
        if (rows.length === this.options.batchSize) await this.checkStatistics();
        if (!rows.length) {
          if (!inFlight) return;
          // What is left may be waiting behind the batch in flight.
          await inFlight;
          inFlight = null;
          continue;
        }
        const previous: Promise<void> | null = inFlight;
        // Settled here, not where it is awaited: a rejection while the other batch is awaited would
        // otherwise be unhandled. Rows whose bookkeeping failed stay leased and go out again after
        // the lease (at-least-once).
        inFlight = this.processBatch(rows).catch((error: Error) =>
          this.options.logger.warn({ err: error.message }, 'outbox batch bookkeeping failed; rows retry after their lease'),
        );
        if (previous) await previous;
      }
    } finally {
      await inFlight;
    }
  }

  private get leaseSeconds(): number {
    return this.options.leaseSeconds ?? 30;
  }

  private notify(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  /** Sleeps until `ms` passes, a NOTIFY arrives, or stop() is called. */
  private sleep(ms: number): Promise<void> {
    if (this.pendingWake || !this.running) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        this.pendingWake = false;
        done();
      };
    });
  }

  /** LISTEN for inserts (PostgreSQL); polling covers the embedded database and lost listeners. */
  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl, connectionTimeoutMillis: 5000 });
    client.on('notification', () => this.notify());
    client.on('error', () => {
      if (this.listener === client) this.listener = null;
    });
    try {
      await client.connect();
      await client.query('LISTEN orbita_outbox');
      if (!this.running) return void (await client.end());
      this.listener = client;
    } catch {
      await client.end().catch(() => {});
    }
  }

  private async ensureBroker(): Promise<boolean> {
    const publisher = this.options.publisher;
    if (publisher.connected) return true;
    try {
      await publisher.connect();
      this.brokerBackoffMs = 1000;
      this.brokerOutage = null;
      this.options.logger.info({ publisher: publisher.name }, 'broker connected');
      return true;
    } catch (error) {
      const message = (error as Error).message || String(error);
      const now = Date.now();
      this.brokerOutage = { since: this.brokerOutage?.since ?? now, error: message, retryAt: now };
      this.options.logger.warn({ err: message, retry_in_ms: this.brokerBackoffMs }, 'broker unavailable; events stay pending');
      return false;
    }
  }

  private async run(): Promise<void> {
    let lastListenAttempt = Date.now();
    while (this.running) {
      this.heartbeat = Date.now();
      if (!this.listener && Date.now() - lastListenAttempt > 10_000) {
        lastListenAttempt = Date.now();
        void this.listen();
      }
      if (!(await this.ensureBroker())) {
        const backoffMs = this.brokerBackoffMs * (0.8 + Math.random() * 0.4);
        if (this.brokerOutage) this.brokerOutage.retryAt = Date.now() + backoffMs;
        await this.sleep(backoffMs);
        this.brokerBackoffMs = Math.min(this.brokerBackoffMs * 2, maxBrokerBackoffMs);
        continue;
      }
      try {
        await this.pump(() => this.running);
      } catch (error) {
        // A claim failed (database trouble): poll again later.
        this.options.logger.warn({ err: (error as Error).message }, 'outbox claim failed');
      }
      await this.sleep(this.options.pollIntervalMs);
    }
  }

  /**
   * Keeps a batch's lease from running out while the batch is still out (a broker applying
   * back-pressure or slow to confirm): renewed every third of the lease, so another worker never
   * claims rows this one may already have published. Costs nothing for a batch done sooner.
   */
  private holdLease(sequences: string[]): { readonly lost: boolean; release(): Promise<void> } {
    let renewing: Promise<void> = Promise.resolve();
    let lost = false;
    const renew = async () => {
      try {
        const held = await extendLeases(this.pool, this.owner, sequences, this.leaseSeconds);
        if (held < sequences.length && !lost) {
          lost = true;
          this.options.logger.warn({ held, claimed: sequences.length }, 'outbox lease ran out before the batch was confirmed; another worker took some of its events');
        }
      } catch (error) {
        this.options.logger.warn({ err: (error as Error).message }, 'outbox lease could not be renewed');
      }
    };
    const timer = setInterval(() => {
      renewing = renewing.then(renew);
    }, (this.leaseSeconds * 1000) / 3);
    return {
      get lost() {
        return lost;
      },
      async release() {
        clearInterval(timer);
        await renewing;
      },
    };
  }

  /**
   * Publishes a claimed batch in waves: wave k holds the k-th event of every aggregate in the
   * batch, so an event is only sent once every earlier event of its aggregate was confirmed. A
   * rejected event holds back the rest of its aggregate; a lost connection gives everything
   * unconfirmed back.
   */
  async processBatch(rows: OutboxRow[]): Promise<void> {
    const byAggregate = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const key = `${row.aggregateType}\u0000${row.aggregateId}`;
      const list = byAggregate.get(key);
      if (list) list.push(row);
      else byAggregate.set(key, [row]);
    }
    const queues = [...byAggregate.values()];
    const published: string[] = [];
    const failures: { sequence: string; error: string }[] = [];
    const giveBack: string[] = [];
    let brokerLostCount = 0;

    const lease = this.holdLease(rows.map((row) => row.sequence));
    try {
      for (let wave = 0; queues.length; wave++) {
        if (lease.lost) {
          // Another worker has some of these rows now: publish nothing more, give back what is still ours.
          for (const queue of queues) giveBack.push(...queue.slice(wave).map((r) => r.sequence));
          break;
        }
        const batch = queues.map((queue) => queue[wave]);
        const results = await this.options.publisher.publishBatch(batch);
        this.heartbeat = Date.now();
        let brokerLost = false;
        for (let i = batch.length - 1; i >= 0; i--) {
          const result = results[i];
          const queue = queues[i];
          if (result.ok) {
            published.push(batch[i].sequence);
          } else if (result.transient) {
            brokerLost = true;
            brokerLostCount++;
            giveBack.push(...queue.slice(wave).map((r) => r.sequence));
          } else {
            failures.push({ sequence: batch[i].sequence, error: result.error });
            giveBack.push(...queue.slice(wave + 1).map((r) => r.sequence));
          }
          if (!result.ok || wave + 1 >= queue.length) queues.splice(i, 1);
        }
        if (brokerLost) {
          for (const queue of queues) giveBack.push(...queue.slice(wave + 1).map((r) => r.sequence));
          queues.length = 0;
        }
      }
    } finally {
      // Renewals stop before the bookkeeping below (the last one left a whole lease for it).
      await lease.release();
    }

    await markPublished(this.pool, this.owner, published);
    const dead = await markFailed(this.pool, this.owner, failures, this.options.maxRetries);
    await releaseLeases(this.pool, this.owner, giveBack);
    this.counters.published += published.length;
    this.counters.failed += failures.length;
    this.counters.dead += dead;
    // The same numbers for Prometheus (GET /metrics), plus what went back unpublished because the broker went away.
    if (published.length) outboxPublished.inc(undefined, published.length);
    if (failures.length) outboxPublishFailures.inc({ reason: 'rejected' }, failures.length);
    if (dead) outboxDeadLettered.inc(undefined, dead);
    if (brokerLostCount) outboxPublishFailures.inc({ reason: 'broker_lost' }, brokerLostCount);
    if (failures.length) {
      this.options.logger.warn({ failed: failures.length, dead, error: failures[0].error }, 'outbox publish failed; will retry with backoff');
    }
  }
}
