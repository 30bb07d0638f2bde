import type { Logger } from 'pino';
import type { Config } from '../config';
import { OutboxProcessor } from './processor';
import { AmqpPublisher, LogPublisher, type Publisher } from './publisher';

export { appendEvent, appendEvents } from './append';
export type { DomainEvent, EventType } from './events';

/** The publisher the configuration asks for; without RABBITMQ_URL, the development log publisher, said loudly. */
export function createPublisher(config: Config, logger: Logger): Publisher {
  if (config.RABBITMQ_URL) return new AmqpPublisher(config.RABBITMQ_URL, logger);
  logger.warn('RABBITMQ_URL is not set: outbox events are LOGGED, NOT PUBLISHED (development mode). Set RABBITMQ_URL to publish to RabbitMQ.');
  return new LogPublisher(logger);
}

export function createProcessor(config: Config, databaseUrl: string, logger: Logger): OutboxProcessor {
  return new OutboxProcessor({
    databaseUrl,
    publisher: createPublisher(config, logger),
    logger,
    batchSize: config.OUTBOX_BATCH_SIZE,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL,
    maxRetries: config.OUTBOX_MAX_RETRIES,
    leaseSeconds: config.OUTBOX_LEASE_DURATION / 1000,
  });
}
