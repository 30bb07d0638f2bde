import { describe, expect, it } from 'vitest';
import { listDeadLetters, outboxOverview, redriveAllDeadLetters, redriveDeadLetter } from '../../lib/outbox/operations';
import { insertEvents, outboxFixture } from '../helpers/outbox';

const fixture = outboxFixture();

/** Marks the first `count` events (by sequence) dead after `attempts` failures. */
async function killEvents(count: number, attempts = 5) {
  const { rows } = await fixture.pool.query<{ event_id: string }>(
    `UPDATE outbox_events SET dead_lettered_at = now(), dead_letter_reason = 'broker said no', last_error = 'broker said no', retry_count = $2
      WHERE sequence IN (SELECT sequence FROM outbox_events ORDER BY sequence LIMIT $1) RETURNING event_id`,
    [count, attempts],
  );
  return rows.map((r) => r.event_id);
}

describe('outbox operations (the Operations page)', () => {
  it('counts pending, dead and published events and measures the lag of the oldest waiting one', async () => {
    await insertEvents(fixture.pool, 'ops', 5, 2);
    await fixture.pool.query(`UPDATE outbox_events SET created_at = now() - interval '90 seconds' WHERE sequence = (SELECT min(sequence) FROM outbox_events)`);
    await fixture.pool.query(`UPDATE outbox_events SET published_at = now() WHERE sequence = (SELECT max(sequence) FROM outbox_events)`);
    await killEvents(1);
    const overview = await outboxOverview(fixture.pool);
    expect(overview).toMatchObject({ pending: 3, dead: 1, publishedKept: 1 });
    expect(overview.lagSeconds).toBeGreaterThan(0);
    expect(overview.lagSeconds).toBeLessThan(90); // the 90-second-old event is dead, not waiting
  });

  it('lists dead letters with attempts, last error and creation time, and re-drives one or all', async () => {
    await insertEvents(fixture.pool, 'ops', 3, 1);
    const [first, second] = await killEvents(2, 7);
    const dead = await listDeadLetters(10, fixture.pool);
    expect(dead.map((d) => d.eventId).sort()).toEqual([first, second].sort());
    expect(dead[0]).toMatchObject({ eventType: 'ops.task.updated', aggregateType: 'task', aggregateId: 'agg-0', retryCount: 7, lastError: 'broker said no' });
    expect(dead[0].createdAt).toBeInstanceOf(Date);

    await redriveDeadLetter(first, fixture.pool);
    expect((await listDeadLetters(10, fixture.pool)).map((d) => d.eventId)).toEqual([second]);
    const { rows } = await fixture.pool.query('SELECT retry_count, dead_lettered_at FROM outbox_events WHERE event_id = $1', [first]);
    expect(rows[0]).toEqual({ retry_count: 0, dead_lettered_at: null });
    await expect(redriveDeadLetter(first, fixture.pool)).rejects.toMatchObject({ code: 'not_found' });

    expect(await redriveAllDeadLetters(fixture.pool)).toBe(1);
    expect(await listDeadLetters(10, fixture.pool)).toEqual([]);
    expect((await outboxOverview(fixture.pool)).pending).toBe(3);
  });
});
