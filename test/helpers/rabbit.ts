import amqp from 'amqplib';
import { exchangeName } from '../../lib/outbox/events';

/** The RabbitMQ tests use; null means skip locally (CI=true never skips). */
export function rabbitUrl(): string | null {
  const url = process.env.RABBITMQ_TEST_URL || process.env.RABBITMQ_URL || null;
  if (!url && process.env.CI === 'true') throw new Error('CI=true: set RABBITMQ_TEST_URL so broker tests run (they never skip in CI)');
  return url;
}

export interface Received {
  messageId: string;
  type: string;
  routingKey: string;
  body: { id: string; type: string; aggregate: { type: string; id: string }; sequence: string; payload: unknown; metadata: Record<string, unknown> };
  properties: amqp.MessageProperties;
}

/** A consumer on its own exclusive queue bound to `pattern`, recording every delivery in order. */
export async function startConsumer(url: string, pattern = '#', queueArgs: Record<string, unknown> = {}) {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  await channel.assertExchange(exchangeName, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, arguments: queueArgs });
  await channel.bindQueue(queue, exchangeName, pattern);
  const received: Received[] = [];
  await channel.consume(
    queue,
    (message) => {
      if (!message) return;
      received.push({
        messageId: message.properties.messageId,
        type: message.properties.type,
        routingKey: message.fields.routingKey,
        body: JSON.parse(message.content.toString()),
        properties: message.properties,
      });
    },
    { noAck: true },
  );
  return {
    received,
    async waitFor(count: number, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (new Set(received.map((r) => r.messageId)).size < count) {
        if (Date.now() > deadline) throw new Error(`received ${new Set(received.map((r) => r.messageId)).size} of ${count} messages`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await connection.close().catch(() => {});
    },
  };
}
