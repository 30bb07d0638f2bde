import type { Db } from '../../lib/db/client';

/** The outbox event types recorded for one aggregate, oldest first. */
export async function outboxEventTypes(db: Db, aggregateId: string): Promise<string[]> {
  return (await db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { sequence: 'asc' } })).map((e) => e.eventType);
}
