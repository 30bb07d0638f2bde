import type { Db } from '../lib/db/client';
import { addDays, atLocalMinute, localDate, mondayOf } from '../lib/time';

/**
 * `count` blocks titled "Block <i>" in the current week (Monday–Sunday in `zone`): 20 minutes every
 * 30 from 06:00 local, 29 a day (the last ends 20:20), Monday first, types in turn.
 */
export async function seedWeekOfBlocks(db: Db, userId: string, zone: string, count: number): Promise<void> {
  const monday = mondayOf(localDate(new Date(), zone));
  const perDay = 29;
  const types = ['task', 'focus', 'habit', 'meeting', 'break'] as const;
  await db.scheduleBlock.createMany({
    data: Array.from({ length: count }, (_, i) => {
      const start = atLocalMinute(addDays(monday, Math.floor(i / perDay)), 6 * 60 + (i % perDay) * 30, zone);
      return { userId, type: types[i % types.length], title: `Block ${i}`, startAt: start, endAt: new Date(start.getTime() + 20 * 60_000) };
    }),
  });
}
