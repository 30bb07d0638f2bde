import { DateTime } from 'luxon';
import type { ServiceContext } from '../../lib/context';
import type { Db } from '../../lib/db/client';
import { createHabit, logHabit } from '../../lib/habits/service';
import { createAccessToken } from '../../lib/identity/tokens';
import { createMeeting, markMeetingHeld } from '../../lib/meetings/service';
import { addBlock } from '../../lib/scheduling/blocks';
import { enableIcsFeed } from '../../lib/scheduling/ics-feed';
import { createTask } from '../../lib/tasks/service';
import { type TestUser, userWithToken } from '../helpers/users';

/** The entities a door can address by id (or id prefix), plus personal access tokens. */
/** …plus a habit completion and an outbox event (operators' business: only admins may touch them). */
export type Entity = 'task' | 'habit' | 'meeting' | 'block' | 'token' | 'completion' | 'event';

export interface SeededUser extends TestUser {
  /** One id of each entity the user owns. */
  ids: Record<Entity, string>;
  /** A token with the read scope only. */
  readToken: string;
}

export const zone = 'Europe/Berlin';

/** A user with one of everything: a task, a habit with a completion, a held 1:1, a block, tokens, an ICS feed. */
export async function seedUser(db: Db, name: string): Promise<SeededUser> {
  const user = await userWithToken(db, name, zone);
  const ctx: ServiceContext = { db, userId: user.id, now: () => new Date() };
  const yesterday = DateTime.now().setZone(zone).minus({ days: 1 }).toISODate()!;
  const tomorrow = DateTime.now().setZone(zone).plus({ days: 1 }).toISODate()!;
  const task = await createTask(ctx, { title: `${name}'s private task`, priority: 'high', durationMinutes: 30 });
  const habit = await createHabit(ctx, { name: `${name}'s private habit`, frequency: 'daily' });
  const { completion } = await logHabit(ctx, habit.id, { date: yesterday, notes: `${name}'s note` });
  const meeting = await createMeeting(ctx, { name: `${name}'s 1:1 partner`, cadence: 'weekly' });
  await markMeetingHeld(ctx, meeting.id, { date: yesterday });
  const block = await addBlock(ctx, { type: 'task', referenceId: task.id, title: `${name}'s block`, date: tomorrow, start: '10:00', end: '11:00' });
  const { summary } = await createAccessToken(ctx, { name: `${name}'s spare token` });
  const read = await createAccessToken(ctx, { name: `${name}'s read token`, scopes: ['read'] });
  await enableIcsFeed(ctx);
  const event = await db.outboxEvent.findFirstOrThrow({ where: { aggregateId: task.id }, select: { eventId: true } });
  return {
    ...user,
    readToken: read.token,
    ids: { task: task.id, habit: habit.id, meeting: meeting.id, block: block.id, token: summary.id, completion: completion.id, event: event.eventId },
  };
}

/**
 * Everything the database holds about `user`: the user row, every row of every table with a
 * user_id column (found in the catalog, so a new table is covered), and the outbox events about
 * the user's rows. Two snapshots are equal when nothing of the user's changed.
 */
export async function snapshot(db: Db, user: SeededUser): Promise<Record<string, unknown[]>> {
  const tables = await db.$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_name = 'user_id' ORDER BY table_name`,
  );
  const result: Record<string, unknown[]> = {};
  result.users = await db.$queryRawUnsafe(`SELECT * FROM users WHERE id = $1::uuid`, user.id);
  for (const { table_name: table } of tables) {
    result[table] = await db.$queryRawUnsafe(`SELECT * FROM "${table}" WHERE user_id = $1::uuid ORDER BY 1`, user.id);
  }
  result.outbox_events = await db.$queryRawUnsafe(
    `SELECT event_id, aggregate_type, aggregate_id, event_type, payload FROM outbox_events
      WHERE aggregate_id = ANY($1::text[]) OR payload->>'userId' = $2 ORDER BY sequence`,
    [user.id, ...Object.values(user.ids)],
    user.id,
  );
  return JSON.parse(JSON.stringify(result, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)));
}

/** Strings of `user`'s data that must never appear in another user's answers (not ids: an error may echo the id it was given). */
export function secretsOf(user: SeededUser, name: string): string[] {
  return [`${name}'s private task`, `${name}'s private habit`, `${name}'s 1:1 partner`, `${name}'s block`, `${name}'s note`];
}
