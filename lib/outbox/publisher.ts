import amqp from 'amqplib';
import type { Logger } from 'pino';
import { brokerConnectionsLost } from '../metrics';
import { exchangeName, type OutboxRow } from './events';

/** What publishing one row came to. `transient`: the broker went away (retry later, no failure counted). */
export type PublishResult = { ok: true } | { ok: false; transient: boolean; error: string };

/** The port the outbox processor publishes through. */
export interface Publisher {
  readonly name: string;
  readonly connected: boolean;
  /** Connects (or reconnects); throws when the broker cannot be reached. */
  connect(): Promise<void>;
  /** Publishes rows and waits for the broker's verdict on each (same order as `rows`). */
  publishBatch(rows: OutboxRow[]): Promise<PublishResult[]>;
  close(): Promise<void>;
}

const transient = (error: string): PublishResult => ({ ok: false, transient: true, error });

/**
 * The broker's verdict on one publish, from amqplib's confirm callback. amqplib reports a nack as
 * `message nacked`; every other error (`channel closed`) means the channel or its connection went
 * away before a verdict came. That is an outage, not a rejection: the row is given back without
 * spending one of its retries (or it could be dead-lettered by a flapping connection).
 */
export function confirmResult(error: Error | null | undefined): PublishResult {
  if (!error) return { ok: true };
  if (error.message === 'message nacked') return { ok: false, transient: false, error: 'the broker rejected the message (nack)' };
  return transient(`no confirm from the broker: ${error.message}`);
}

/** AMQP properties: messageId = event id, type = routing key, persistent, headers for routing by aggregate/user. */
export function messageOptions(row: OutboxRow): amqp.Options.Publish {
  return {
    persistent: true,
    messageId: row.eventId,
    type: row.eventType,
    contentType: 'application/json',
    timestamp: Math.floor(new Date(row.createdAt).getTime() / 1000),
    headers: {
      aggregate_type: row.aggregateType,
      aggregate_id: row.aggregateId,
      ...(row.metadata.userId ? { user_id: row.metadata.userId } : {}),
      ...(row.metadata.correlationId ? { correlation_id: row.metadata.correlationId } : {}),
    },
  };
}

/** The JSON body of every message. */
export function envelope(row: OutboxRow) {
  return {
    id: row.eventId,
    type: row.eventType,
    aggregate: { type: row.aggregateType, id: row.aggregateId },
    occurredAt: new Date(row.createdAt).toISOString(),
    sequence: row.sequence,
    payload: row.payload,
    metadata: row.metadata,
  };
}

/**
 * RabbitMQ on a confirm channel: a row counts as published only when the broker acks it. Honours
 * back-pressure (waits for `drain` when the socket buffer is full).
 */
export class AmqpPublisher implements Publisher {
  readonly name = 'amqp';
  private connection: amqp.ChannelModel | null = null;
  private channel: amqp.ConfirmChannel | null = null;
  private closedListeners = new Set<(reason: string) => void>();

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {}

  get connected(): boolean {
    return this.channel !== null;
  }

  async connect(): Promise<void> {
    if (this.channel) return;
    const connection = await amqp.connect(this.url, { timeout: 5000 });
    try {
      const channel = await connection.createConfirmChannel();
      await channel.assertExchange(exchangeName, 'topic', { durable: true });
      const lost = (reason: string) => this.connectionLost(connection, reason);
      connection.on('error', (error: Error) => lost(error.message));
      connection.on('close', () => lost('connection closed'));
      channel.on('error', (error: Error) => lost(error.message));
      channel.on('close', () => lost('channel closed'));
      this.connection = connection;
      this.channel = channel;
    } catch (error) {
      await connection.close().catch(() => {});
      throw error;
    }
  }

  /** The connection went away (or is no use any more): every outstanding confirm becomes transient. */
  private connectionLost(connection: amqp.ChannelModel, reason: string): void {
    if (this.connection !== connection) return;
    this.connection = null;
    this.channel = null;
    brokerConnectionsLost.inc();
    this.logger.warn({ reason }, 'broker connection lost');
    for (const listener of this.closedListeners) listener(reason);
    // Harmless when it is already closed; when only the channel broke, this frees its connection.
    void connection.close().catch(() => {});
  }

  async publishBatch(rows: OutboxRow[]): Promise<PublishResult[]> {
    const channel = this.channel;
    const connection = this.connection;
    if (!channel || !connection) return rows.map(() => transient('not connected to the broker'));

    // A lost connection settles every confirm still outstanding as transient.
    let onLost: (reason: string) => void = () => {};
    const lost = new Promise<PublishResult>((resolve) => {
      onLost = (reason) => resolve(transient(reason));
      this.closedListeners.add(onLost);
    });
    try {
      const results: Promise<PublishResult>[] = [];
      for (const row of rows) {
        if (this.channel !== channel) {
          results.push(Promise.resolve(transient('broker connection lost')));
          continue;
        }
        let wrote = true;
        const confirm = new Promise<PublishResult>((resolve) => {
          try {
            wrote = channel.publish(exchangeName, row.eventType, Buffer.from(JSON.stringify(envelope(row))), messageOptions(row), (error) =>
              resolve(confirmResult(error)),
            );
          } catch (error) {
            // amqplib throws once the channel is closing or closed, which can come before its close
            // event. Rows published earlier in the batch keep their verdicts, so confirmed ones are
            // still marked; this one and the rest go back.
            resolve(transient(`publish refused: ${(error as Error).message}`));
            this.connectionLost(connection, (error as Error).message);
          }
        });
        results.push(Promise.race([confirm, lost]));
        // Back-pressure: the socket buffer is full; wait until it drains (or the connection dies).
        if (!wrote) await Promise.race([new Promise((resolve) => channel.once('drain', resolve)), lost]);
      }
      return await Promise.all(results);
    } finally {
      this.closedListeners.delete(onLost);
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.channel = null;
    await connection?.close().catch(() => {});
  }
}

/** Development without RABBITMQ_URL: events are logged, not published. */
export class LogPublisher implements Publisher {
  readonly name = 'log';
  readonly connected = true;

  constructor(private readonly logger: Logger) {}

  async connect(): Promise<void> {}

  async publishBatch(rows: OutboxRow[]): Promise<PublishResult[]> {
    for (const row of rows) this.logger.debug({ event_id: row.eventId, type: row.eventType, aggregate_id: row.aggregateId }, 'outbox event (log publisher)');
    return rows.map(() => ({ ok: true }));
  }

  async close(): Promise<void> {}
}
