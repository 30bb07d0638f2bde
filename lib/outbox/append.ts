import type { DbTx } from '../db/client';
import type { DomainEvent } from './events';

function toRow(event: DomainEvent) {
  return {
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    eventType: event.eventType,
    payload: event.payload as object,
    metadata: {
      ...(event.userId ? { userId: event.userId } : {}),
      ...(event.correlationId ? { correlationId: event.correlationId } : {}),
    },
  };
}

/**
 * Records a domain event in the outbox. Call it with the transaction client of the change it
 * describes (`db.$transaction(async (tx) => { …; await appendEvent(tx, event) })`): the event exists
 * exactly when the change commits. Returns the event id (the AMQP messageId).
 */
export async function appendEvent(tx: DbTx, event: DomainEvent): Promise<string> {
  const row = await tx.outboxEvent.create({ data: toRow(event), select: { eventId: true } });
  return row.eventId;
}

/** Records several events in one statement (same transaction rules as appendEvent). */
export async function appendEvents(tx: DbTx, events: DomainEvent[]): Promise<void> {
  if (events.length) await tx.outboxEvent.createMany({ data: events.map(toRow) });
}
