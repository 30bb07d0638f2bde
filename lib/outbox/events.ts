/** Every domain event type (= AMQP routing key), by context (SPEC §2–8). */
export const eventTypes = [
  'core.task.created',
  'core.task.updated',
  'core.task.started',
  'core.task.completed',
  'core.task.archived',
  'habits.habit.created',
  'habits.habit.completed',
  'habits.habit.archived',
  'habits.habit.frequency_changed',
  'meetings.meeting.created',
  'meetings.meeting.updated',
  'meetings.meeting.held',
  'meetings.meeting.archived',
  'meetings.smart1to1.frequency_changed',
  'scheduling.block.scheduled',
  'scheduling.block.rescheduled',
  'scheduling.block.completed',
  'scheduling.block.removed',
  'scheduling.block.missed',
  'billing.subscription.updated',
  'billing.entitlement.changed',
] as const;
export type EventType = (typeof eventTypes)[number];

/** The durable topic exchange every event is published to; routing key = event type. */
export const exchangeName = 'orbita.domain.events';

/** What a service appends inside its transaction. */
export interface DomainEvent {
  aggregateType: string;
  aggregateId: string;
  eventType: EventType;
  payload: Record<string, unknown>;
  /** The acting user (copied into metadata and the AMQP headers). */
  userId?: string;
  correlationId?: string;
}

/** An outbox row as the processor sees it. */
export interface OutboxRow {
  sequence: string;
  eventId: string;
  aggregateType: string;
  aggregateId: string;
  eventType: string;
  payload: unknown;
  metadata: { userId?: string; correlationId?: string } & Record<string, unknown>;
  createdAt: Date;
  retryCount: number;
}
