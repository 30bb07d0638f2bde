/**
 * bench:sync — `orbita sync` of 500 blocks to the loopback fake Google with 30 ms added to every
 * response (a realistic round trip), through the real googleapis client and OAuth2Client:
 *   1. initial sync: 500 inserts, 4 in flight (target ≤ 10 s);
 *   2. second run, nothing changed: requests and time (target ≤ 3 requests; expected 0);
 *   3. the same with delete-missing on (expected 1 request: the list of tagged events);
 *   4. 50 of the 500 blocks changed: 50 updates.
 * Scratch PostgreSQL database on BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server.
 * BENCH_SYNC_BLOCKS / BENCH_SYNC_LATENCY_MS override 500 / 30.
 */
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { createScratchDatabase } from './scratch-database';
import { createDb } from '../lib/db/client';
import { migrateUp } from '../lib/db/migrate';
import { syncCalendar } from '../lib/calendar/sync';
import { createUser } from '../lib/identity/users';
import { addDays, atLocalMinute, localDate } from '../lib/time';
import { startFakeGoogle } from '../test/fakes/google/server';
import { connectGoogle, applyFakeGoogleEnv } from '../test/helpers/calendar';

const blockCount = Number(process.env.BENCH_SYNC_BLOCKS ?? 500);
const latencyMs = Number(process.env.BENCH_SYNC_LATENCY_MS ?? 30);

export async function main() {
  console.log(`# bench:sync — ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), node ${process.version}`);
  const scratch = await createScratchDatabase('sync');
  const db = createDb(scratch.url, { max: 4 });
  const fake = await startFakeGoogle();
  const restoreEnv = applyFakeGoogleEnv(fake); // before the first config() read
  try {
    await migrateUp(scratch.url);
    const zone = 'Europe/Berlin';
    const user = await createUser(db, { name: 'Bench', timeZone: zone });
    const ctx = { db, userId: user.id, now: () => new Date() };
    await connectGoogle(db, user.id, fake);

    // 20-minute blocks every 30 minutes from tomorrow 00:00 local: 500 blocks span ~10.5 days.
    const first = atLocalMinute(addDays(localDate(new Date(), zone), 1), 0, zone).getTime();
    await db.scheduleBlock.createMany({
      data: Array.from({ length: blockCount }, (_, i) => ({
        userId: user.id,
        type: 'focus' as const,
        title: `Block ${i}`,
        startAt: new Date(first + i * 30 * 60_000),
        endAt: new Date(first + i * 30 * 60_000 + 20 * 60_000),
      })),
    });
    const days = Math.min(90, Math.ceil((blockCount * 30) / (24 * 60)) + 2);
    fake.latencyMs = latencyMs;

    const run = async (label: string, input: Parameters<typeof syncCalendar>[1]) => {
      const before = fake.requests.length;
      const started = performance.now();
      const result = await syncCalendar(ctx, input);
      const ms = performance.now() - started;
      const seen = fake.requests.length - before;
      console.log(
        `${label.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(6)} s · requests ${String(result.requests).padStart(3)} (fake saw ${seen}) · created ${result.created} · updated ${result.updated} · deleted ${result.deleted} · unchanged ${result.unchanged} · failed ${result.failed}`,
      );
      return { ms, result };
    };

    console.log(`\n## ${blockCount} blocks over ${days} days, fake Google latency ${latencyMs} ms, 4 in flight`);
    const initial = await run('1. initial sync', { days });
    await run('2. second run (no changes)', { days });
    await run('3. second run, delete-missing on', { days, deleteMissing: true });
    const changed = await db.scheduleBlock.findMany({ where: { userId: user.id }, orderBy: { startAt: 'asc' }, take: Math.round(blockCount / 10), select: { id: true } });
    await db.scheduleBlock.updateMany({ where: { id: { in: changed.map((b) => b.id) } }, data: { title: 'Changed' } });
    await run(`4. ${changed.length} blocks changed`, { days });
    console.log(`\ninitial sync ${(initial.ms / 1000).toFixed(2)} s (target ≤ 10 s): ${initial.ms <= 10_000 && initial.result.failed === 0 ? 'met' : 'MISSED'}`);
  } finally {
    restoreEnv();
    await fake.close();
    await db.$disconnect();
    await scratch.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
