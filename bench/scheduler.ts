/**
 * `npm run bench:scheduler`: the auto-scheduler.
 *   1. pure planning (lib/scheduling/plan.ts): 100 / 1,000 / 10,000 candidates over a 14-day horizon
 *      (Europe/Berlin, including the 2026-03-29 DST change) with 300 busy blocks; median and p95 ms.
 *      Targets (SPEC §5, issue 5): 1,000 candidates median ≤ 50 ms; 10,000 candidates ≤ 1 s.
 *   2. end to end on PostgreSQL: `schedule auto --days 7` for 200 open tasks (target ≤ 1.5 s).
 *   3. follow-the-source on PostgreSQL: a task update that renames, resizes or moves its block, for a
 *      user with 200 future blocks, against an update that touches no block (issue 20: at most 10 ms more).
 * Env: BENCH_RUNS (runs per size, default 21; 10,000 candidates use a third of them, at least 5).
 */
import { DateTime } from 'luxon';
import os from 'node:os';
import { createScratchDatabase } from './scratch-database';
import { createDb } from '../lib/db/client';
import { migrateUp } from '../lib/db/migrate';
import { createUser } from '../lib/identity/users';
import { autoSchedule } from '../lib/scheduling/auto';
import { addBlock } from '../lib/scheduling/blocks';
import { createTask, updateTask } from '../lib/tasks/service';
import { pathToFileURL } from 'node:url';
import { type Candidate, plan, type PlanInput } from '../lib/scheduling/plan';
import type { Interval, WeekdayHours } from '../lib/scheduling/windows';
import { minute } from '../lib/scheduling/windows';
import { addDays, atLocalMinute } from '../lib/time';

const runs = Number(process.env.BENCH_RUNS ?? 21);

/** Deterministic PRNG (mulberry32) so every run plans the same workload. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A realistic workload: ~5% meetings, ~10% habits, the rest tasks (a third with due dates). */
export function workload(candidateCount: number, busyCount = 300, days = 14, seed = 42): PlanInput {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)];
  const zone = 'Europe/Berlin';
  const first = '2026-03-16'; // a Monday; the horizon includes the 2026-03-29 DST change
  const dates = Array.from({ length: days }, (_, i) => addDays(first, i));
  const workingHours: WeekdayHours[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 }));
  const at = (date: string, m: number) => atLocalMinute(date, m, zone).getTime();

  const busy: Interval[] = Array.from({ length: busyCount }, () => {
    // Meetings and imported events on any day, 07:00–20:55, 15–60 min: ~21 a day, a fragmented calendar.
    const date = pick(dates);
    const start = at(date, 420 + Math.floor(rand() * 168) * 5);
    return { start, end: start + (15 + Math.floor(rand() * 4) * 15) * minute };
  });
  const windows = [undefined, { startMinute: 360, endMinute: 720 }, { startMinute: 720, endMinute: 1020 }, { startMinute: 1020, endMinute: 1260 }];
  const priorities = ['none', 'low', 'medium', 'high', 'urgent'] as const;
  const candidates: Candidate[] = Array.from({ length: candidateCount }, (_, i) => {
    const r = rand();
    const createdAt = Date.UTC(2026, 0, 1) + Math.floor(rand() * 1e9);
    if (r < 0.05) {
      return { kind: 'meeting', refId: `m${i}`, title: `1:1 #${i}`, durationMinutes: pick([30, 45, 60]), createdAt, date: pick(dates), preferredStartMinute: 540 + Math.floor(rand() * 16) * 30 };
    }
    if (r < 0.15) {
      return { kind: 'habit', refId: `h${i}`, title: `habit #${i}`, durationMinutes: pick([10, 15, 20, 30]), createdAt, date: pick(dates), preferredWindow: pick(windows) };
    }
    const due = rand() < 0.33 ? at(pick(dates), 1020) : null;
    return { kind: 'task', refId: `t${i}`, title: `task #${i}`, durationMinutes: pick([15, 30, 30, 45, 60, 90, 120]), createdAt, priority: pick(priorities), dueAt: due };
  });
  return {
    candidates,
    busy,
    dates,
    zone,
    workingHours,
    personalHours: { startMinute: 420, endMinute: 1320 },
    now: at(first, 480),
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Section 1: pure planning. Returns the measured rows (also printed). */
export function benchPlanning(sizes = [100, 1_000, 10_000]) {
  const rows: { candidates: number; runs: number; medianMs: number; p95Ms: number; placed: number; failed: number; utilisation: number }[] = [];
  for (const size of sizes) {
    const input = workload(size);
    const count = size >= 10_000 ? Math.max(5, Math.ceil(runs / 3)) : runs;
    for (let i = 0; i < 3; i++) plan(input); // warm-up (JIT, luxon zone caches)
    const times: number[] = [];
    let last = plan(input);
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      last = plan(input);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    rows.push({
      candidates: size,
      runs: count,
      medianMs: Math.round(percentile(times, 50) * 100) / 100,
      p95Ms: Math.round(percentile(times, 95) * 100) / 100,
      placed: last.placements.length,
      failed: last.failures.length,
      utilisation: Math.round(last.utilisation * 1000) / 10,
    });
  }
  console.log('\n## Pure planning (14 days, 300 busy blocks, Europe/Berlin)');
  console.table(rows);
  return rows;
}

/** Further sections (e.g. end-to-end through the database), run in order after the pure part. */
export const sections: (() => Promise<void>)[] = [];

// ---- end-to-end sections: define them here and `sections.push(fn)` (above main and its call) ----

/**
 * End to end on PostgreSQL (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server):
 * `schedule auto --days 7` for a user with 200 open tasks — gather, plan, store the blocks and their
 * outbox events in one transaction. Target: ≤ 1.5 s. Each run starts from no blocks.
 */
async function benchEndToEnd(): Promise<void> {
  const scratch = await createScratchDatabase('sched');
  const db = createDb(scratch.url, { max: 4 });
  try {
    await migrateUp(scratch.url);
    const user = await createUser(db, { name: 'Bench', timeZone: 'Europe/Berlin' });
    const clock = DateTime.fromISO('2030-01-07T07:00', { zone: 'Europe/Berlin' }).toJSDate(); // a Monday morning
    const ctx = { db, userId: user.id, now: () => clock };
    const rnd = random(7);
    const priorities = ['none', 'low', 'medium', 'high', 'urgent'] as const;
    for (let i = 0; i < 200; i++) {
      await createTask(ctx, {
        title: `Task ${i}`,
        priority: priorities[Math.floor(rnd() * priorities.length)],
        durationMinutes: 15 + 15 * Math.floor(rnd() * 6),
        ...(rnd() < 0.3 ? { due: addDays('2030-01-07', 1 + Math.floor(rnd() * 10)) } : {}),
      });
    }
    const times: number[] = [];
    let placed = 0;
    for (let run = 0; run < 7; run++) {
      await db.scheduleBlock.deleteMany({ where: { userId: user.id } });
      const started = performance.now();
      const result = await autoSchedule(ctx, { date: '2030-01-07', days: 7 });
      times.push(performance.now() - started);
      placed = result.placed.length;
    }
    times.sort((a, b) => a - b);
    console.log(`\n## end to end: schedule auto --days 7, 200 open tasks, PostgreSQL (${times.length} runs)`);
    console.log(`placed ${placed} · median ${times[Math.floor(times.length / 2)].toFixed(1)} ms · max ${times[times.length - 1].toFixed(1)} ms (target ≤ 1,500 ms)`);
  } finally {
    await db.$disconnect();
    await scratch.drop();
  }
}
sections.push(benchEndToEnd);

/**
 * Follow-the-source (issue 20): the cost a task update pays for its blocks, for a user with 200
 * future blocks. Baseline: a priority change (no block to follow). Then a rename (its block renamed),
 * a resize that fits (its block resized) and one that does not (its block re-planned over 14 days
 * around the 200 others). Target: each at most 10 ms more than the baseline (median).
 */
async function benchFollow(): Promise<void> {
  const scratch = await createScratchDatabase('follow');
  const db = createDb(scratch.url, { max: 4 });
  try {
    await migrateUp(scratch.url);
    const user = await createUser(db, { name: 'Follow', timeZone: 'Europe/Berlin' });
    const clock = DateTime.fromISO('2030-01-07T07:00', { zone: 'Europe/Berlin' }).toJSDate(); // a Monday morning
    const ctx = { db, userId: user.id, now: () => clock };
    // 200 future blocks: 20 working days × 10 half-hour blocks, 09:00–13:30, leaving the afternoons free.
    const days = Array.from({ length: 28 }, (_, i) => addDays('2030-01-07', i)).filter((d) => new Date(`${d}T12:00:00Z`).getUTCDay() % 6 !== 0);
    for (const date of days.slice(0, 20)) {
      for (let slot = 0; slot < 10; slot++) {
        const start = 540 + slot * 30;
        const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        await addBlock(ctx, { type: 'focus', title: `Busy ${date} ${slot}`, date, start: hhmm(start), end: hhmm(start + 25) });
      }
    }
    const task = await createTask(ctx, { title: 'Followed', durationMinutes: 30 });
    const block = await addBlock(ctx, { type: 'task', referenceId: task.id, title: 'Followed', date: '2030-01-07', start: '16:00', end: '16:30' });
    await db.scheduleBlock.update({ where: { id: block.id }, data: { pinned: false } }); // as the planner leaves it
    const measure = async (label: string, change: (i: number) => Parameters<typeof updateTask>[2], reset?: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 25; i++) {
        await reset?.();
        const started = performance.now();
        await updateTask(ctx, task.id, change(i));
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      return { label, medianMs: Math.round(percentile(times, 50) * 100) / 100, p95Ms: Math.round(percentile(times, 95) * 100) / 100 };
    };
    const priorities = ['low', 'high'] as const;
    const backTo = (start: string, end: string) => () =>
      db.scheduleBlock.update({ where: { id: block.id }, data: { startAt: DateTime.fromISO(`2030-01-07T${start}`, { zone: 'Europe/Berlin' }).toJSDate(), endAt: DateTime.fromISO(`2030-01-07T${end}`, { zone: 'Europe/Berlin' }).toJSDate() } });
    await measure('warm-up', (i) => ({ priority: priorities[i % 2] }));
    const rows = [
      await measure('priority (no block to follow)', (i) => ({ priority: priorities[i % 2] })),
      await measure('rename (block renamed)', (i) => ({ title: `Followed ${i}` })),
      await measure('resize that fits (block resized)', (i) => ({ durationMinutes: i % 2 ? 30 : 45 })),
      // 90 minutes from 16:00 would end after working hours (17:00): re-planned around the 200 blocks (to 14:00 that day).
      await measure('resize that moves (re-planned)', () => ({ durationMinutes: 90 }), async () => {
        await db.task.update({ where: { id: task.id }, data: { durationMinutes: 30 } });
        await backTo('16:00', '16:30')();
      }),
    ];
    const base = rows[0].medianMs;
    console.log('\n## follow-the-source: a task update with 200 future blocks, PostgreSQL (25 runs each)');
    console.table(rows.map((r) => ({ ...r, addedMs: Math.round((r.medianMs - base) * 100) / 100 })));
    console.log('target: each at most 10 ms more than the priority update (median)');
  } finally {
    await db.$disconnect();
    await scratch.drop();
  }
}
sections.push(benchFollow);

export async function main() {
  console.log(`# bench:scheduler — ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), node ${process.version}`);
  benchPlanning();
  for (const section of sections) await section();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
