import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url, OUTBOX_PROCESSOR_ENABLED: 'false' };
});
afterAll(async () => database?.drop());
beforeEach(async () => {
  await database.db.$executeRawUnsafe('TRUNCATE outbox_events');
  await database.db.$executeRawUnsafe(`
    INSERT INTO outbox_events (event_id, aggregate_type, aggregate_id, event_type, payload, created_at, published_at, dead_lettered_at, dead_letter_reason, retry_count) VALUES
      ('00000000-0000-4000-8000-000000000001', 't', '1', 'core.task.created', '{}', now() - interval '30 days', now() - interval '20 days', NULL, NULL, 0),
      ('00000000-0000-4000-8000-000000000002', 't', '2', 'core.task.created', '{}', now() - interval '90 seconds', NULL, NULL, NULL, 0),
      ('00000000-0000-4000-8000-000000000003', 't', '3', 'core.task.created', '{}', now() - interval '30 days', NULL, now(), 'the broker rejected the message (nack)', 5)`);
});

describe('orbita outbox', () => {
  it('stats: pending, dead_total and lag_seconds (age of the oldest waiting event)', async () => {
    const text = await runCli(['outbox', 'stats'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^pending 1 {2}dead_total 1 {2}lag_seconds 9\d\.\d+$/m);
    const json = JSON.parse((await runCli(['outbox', 'stats', '--json'], env)).stdout);
    expect(json).toMatchObject({ pending: 1, dead_total: 1 });
    expect(json.lag_seconds).toBeGreaterThanOrEqual(90);
  });

  it('dead lists dead letters with their reason; retry-dead re-queues them', async () => {
    const dead = JSON.parse((await runCli(['outbox', 'dead', '--json'], env)).stdout);
    expect(dead).toEqual([expect.objectContaining({ eventId: '00000000-0000-4000-8000-000000000003', retryCount: 5, reason: 'the broker rejected the message (nack)' })]);

    const bad = await runCli(['outbox', 'retry-dead', '--id', 'nope'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^orbita: --id must be an event id/);
    const missing = await runCli(['outbox', 'retry-dead', '--id', '00000000-0000-4000-8000-000000000002'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('orbita: no dead-lettered event with id 00000000-0000-4000-8000-000000000002');

    const retried = await runCli(['outbox', 'retry-dead', '--id', '00000000-0000-4000-8000-000000000003'], env);
    expect(retried.stdout.trim()).toBe('re-queued 1 dead-lettered event(s)');
    const row = await database.db.outboxEvent.findUniqueOrThrow({ where: { eventId: '00000000-0000-4000-8000-000000000003' } });
    expect(row).toMatchObject({ deadLetteredAt: null, retryCount: 0 });
  });

  it('cleanup deletes only published rows past the retention', async () => {
    expect((await runCli(['outbox', 'cleanup', '--older-than-days', '30'], env)).stdout.trim()).toBe('deleted 0 published event(s) older than 30 day(s)');
    expect((await runCli(['outbox', 'cleanup'], env)).stdout.trim()).toBe('deleted 1 published event(s) older than 14 day(s)');
    expect(await database.db.outboxEvent.count()).toBe(2);
    const bad = await runCli(['outbox', 'cleanup', '--older-than-days', 'soon'], env);
    expect(bad.code).toBe(2);
  });

  it('the CLI publishes events still waiting after a command unless OUTBOX_PROCESSOR_ENABLED=false', async () => {
    await runCli(['outbox', 'stats'], env);
    expect(await database.db.outboxEvent.count({ where: { publishedAt: null, deadLetteredAt: null } })).toBe(1);
    // Without RABBITMQ_URL the development log publisher takes them.
    const result = await runCli(['outbox', 'stats', '--json'], { DATABASE_URL: database.url, LOG_LEVEL: 'info' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ pending: 1 }); // logs never mix into --json output
    expect(result.stderr).toMatch(/LOGGED, NOT PUBLISHED/);
    expect(await database.db.outboxEvent.count({ where: { publishedAt: null, deadLetteredAt: null } })).toBe(0);
  });
});
