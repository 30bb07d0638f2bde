import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncCalendar } from '../../lib/calendar/sync';
import type { ServiceContext } from '../../lib/context';
import { calendarSyncEvents, calendarSyncFailures, calendarSyncs, schedulerDuration, schedulerPlanDuration } from '../../lib/metrics';
import { autoSchedule } from '../../lib/scheduling/auto';
import { createTask } from '../../lib/tasks/service';
import { addDays, atLocalMinute, localDate } from '../../lib/time';
import { type FakeGoogle, startFakeGoogle } from '../fakes/google/server';
import { connectGoogle, useFakeGoogleEnv } from '../helpers/calendar';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { userWithToken } from '../helpers/users';

const zone = 'Europe/Berlin';
let database: TestDatabase;
let fake: FakeGoogle;
let restoreEnv: () => void;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeGoogle();
  restoreEnv = useFakeGoogleEnv(fake);
});
afterAll(async () => {
  restoreEnv?.();
  await fake?.close();
  await database?.drop();
});

async function userCtx(name: string): Promise<ServiceContext> {
  const user = await userWithToken(database.db, name, zone);
  return { db: database.db, userId: user.id, now: () => new Date() };
}

describe('orbita_scheduler_duration_seconds', () => {
  it('times every schedule auto run (ok and error) and the pure planner inside it', async () => {
    const ctx = await userCtx('Planner');
    await createTask(ctx, { title: 'Write the report', durationMinutes: 60 });
    const ok = schedulerDuration.snapshot({ operation: 'auto', outcome: 'ok' });
    const failed = schedulerDuration.snapshot({ operation: 'auto', outcome: 'error' });
    const planned = schedulerPlanDuration.snapshot({ operation: 'auto' });

    await autoSchedule(ctx, { days: 2 });
    await expect(autoSchedule(ctx, { days: 99 })).rejects.toThrow();

    const okAfter = schedulerDuration.snapshot({ operation: 'auto', outcome: 'ok' });
    expect(okAfter.count - ok.count).toBe(1);
    expect(okAfter.sum).toBeGreaterThan(ok.sum);
    expect(schedulerDuration.snapshot({ operation: 'auto', outcome: 'error' }).count - failed.count).toBe(1);
    expect(schedulerPlanDuration.snapshot({ operation: 'auto' }).count - planned.count).toBe(1);
  });
});

describe('orbita_calendar_sync_total / orbita_calendar_sync_failures_total', () => {
  it('counts a clean sync, a sync with failed events and a sync that stopped', async () => {
    const ctx = await userCtx('Syncer');
    await connectGoogle(database.db, ctx.userId, fake);
    const start = atLocalMinute(addDays(localDate(new Date(), zone), 1), 9 * 60, zone);
    for (let i = 0; i < 2; i++) {
      const startAt = new Date(start.getTime() + i * 3_600_000);
      await database.db.scheduleBlock.create({ data: { userId: ctx.userId, type: 'focus', title: `Block ${i}`, startAt, endAt: new Date(startAt.getTime() + 1_800_000) } });
    }
    const total = calendarSyncs.value();
    const partial = calendarSyncFailures.value({ reason: 'events_failed' });
    const created = calendarSyncEvents.value({ outcome: 'created' });

    const clean = await syncCalendar(ctx, { days: 3 });
    expect(clean.created).toBe(2);
    expect(calendarSyncs.value() - total).toBe(1);
    expect(calendarSyncEvents.value({ outcome: 'created' }) - created).toBe(2);

    // One event rejected (a 400 is not retried): the sync finishes, with a failure.
    await database.db.scheduleBlock.create({
      data: { userId: ctx.userId, type: 'focus', title: 'Rejected', startAt: new Date(start.getTime() + 4 * 3_600_000), endAt: new Date(start.getTime() + 5 * 3_600_000) },
    });
    fake.fail({ method: 'POST', path: /\/events/ }, { status: 400, times: 1 });
    const withFailure = await syncCalendar(ctx, { days: 3 }, { retry: { baseMs: 1, capMs: 5 } });
    expect(withFailure.failed).toBe(1);
    expect(calendarSyncs.value() - total).toBe(2);
    expect(calendarSyncFailures.value({ reason: 'events_failed' }) - partial).toBe(1);

    // A user who never connected: the sync stops (unauthorized / not_found), counted with its code.
    const stranger = await userCtx('Stranger');
    const stoppedBefore = ['not_found', 'unauthorized'].reduce((n, reason) => n + calendarSyncFailures.value({ reason }), 0);
    await expect(syncCalendar(stranger, { days: 3 })).rejects.toThrow();
    const stoppedAfter = ['not_found', 'unauthorized'].reduce((n, reason) => n + calendarSyncFailures.value({ reason }), 0);
    expect(stoppedAfter - stoppedBefore).toBe(1);
    expect(calendarSyncs.value() - total).toBe(3);
  });
});
