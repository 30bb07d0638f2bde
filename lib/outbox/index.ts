import type { Logger } from 'pino';
import type { Config } from '../config';
import { OutboxProcessor } from './processor';
import { AmqpPublisher, LogPublisher, type Publisher } from './publisher';

export { appendEvent, appendEvents } from './append';
export type { DomainEvent, EventType } from './events';

export interface PublisherOptions {
  /**
   * Say the development-mode notice at info instead of warn: the CLI would repeat it after every
   * command (the web app and the worker say it once, when they start).
   */
  quiet?: boolean;
}

/** The publisher the configuration asks for; without RABBITMQ_URL, the development log publisher, said loudly. */
export function createPublisher(config: Config, logger: Logger, options: PublisherOptions = {}): Publisher {
  if (config.RABBITMQ_URL) return new AmqpPublisher(config.RABBITMQ_URL, logger);
  logger[options.quiet ? 'info' : 'warn']('RABBITMQ_URL is not set: outbox events are LOGGED, NOT PUBLISHED (development mode). Set RABBITMQ_URL to publish to RabbitMQ.');
  return new LogPublisher(logger);
}

export function createProcessor(config: Config, databaseUrl: string, logger: Logger, options: PublisherOptions = {}): OutboxProcessor {
  return new OutboxProcessor({
    databaseUrl,
    publisher: createPublisher(config, logger, options),
    logger,
    batchSize: config.OUTBOX_BATCH_SIZE,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL,
    maxRetries: config.OUTBOX_MAX_RETRIES,
    leaseSeconds: config.OUTBOX_LEASE_DURATION / 1000,
  });
}
