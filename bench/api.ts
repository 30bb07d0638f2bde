/**
 * bench:api — the REST API under load: autocannon against `next start` (production build) on a
 * scratch PostgreSQL database (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server).
 *   1. GET /livez, the trivial handler (no database, no auth): the ceiling of this machine's Next.js;
 *   2. GET /api/v1/schedule/day with a personal access token, as a user with 200 blocks this week:
 *      50 connections for 20 s; targets ≥ 500 req/s and p99 ≤ 150 ms, and the ratio to the trivial
 *      handler (goal ≥ 0.4);
 *   3. POST /api/v1/tasks at 200 req/s for 20 s, each with its own title: no errors and no non-2xx,
 *      and afterwards every acknowledged task is stored exactly once (with its outbox event).
 * The web server runs without its embedded outbox processor (production runs the worker).
 * Run it alone (the CPU is the measure) and, since the .next build is shared,
 * as `flock /tmp/orbita-next.lock npm run bench:api`. BENCH_API_DURATION (s) shortens every phase.
 */
import autocannon from 'autocannon';
import { createDb, type Db } from '../lib/db/client';
import { migrateUp } from '../lib/db/migrate';
import { createAccessToken } from '../lib/identity/tokens';
import { createUser } from '../lib/identity/users';
import { freePort, machine as machineInfo, startNextServer } from './next-server';
import { runIfEntryPoint } from './run';
import { createScratchDatabase } from './scratch-database';
import { seedWeekOfBlocks } from './seed';

const duration = Number(process.env.BENCH_API_DURATION ?? 20);
const connections = 50;
const targets = { requestsPerSecond: 500, p99Ms: 150, ratioGoal: 0.4, postRate: 200 };
const zone = 'Europe/Berlin';

interface Phase {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

function summarise(name: string, result: autocannon.Result): Phase {
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** A user in Berlin with a read+write token and 200 blocks this week. */
async function seed(db: Db): Promise<{ userId: string; token: string }> {
  const user = await createUser(db, { name: 'Bench API', timeZone: zone });
  const { token } = await createAccessToken({ db, userId: user.id, now: () => new Date() }, { name: 'bench', scopes: ['read', 'write'] });
  await seedWeekOfBlocks(db, user.id, zone, 200);
  return { userId: user.id, token };
}

export async function main(): Promise<boolean> {
  const machine = await machineInfo();
  console.log(`# bench:api — ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), node ${machine.node}`);
  const scratch = await createScratchDatabase('api');
  const db = createDb(scratch.url, { max: 2 });
  let server: { stop(): Promise<void> } | null = null;
  try {
    await migrateUp(scratch.url);
    const { userId, token } = await seed(db);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = await startNextServer(
      {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: scratch.url,
        NEXTAUTH_SECRET: 'bench-api-secret-not-for-production',
        NEXTAUTH_URL: base,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        OUTBOX_PROCESSOR_ENABLED: 'false',
      },
      base,
    );
    const auth = { authorization: `Bearer ${token}` };
    const day = await fetch(`${base}/api/v1/schedule/day`, { headers: auth });
    const dayBody = (await day.json()) as { blocks?: unknown[] };
    if (day.status !== 200) throw new Error(`GET /api/v1/schedule/day answered ${day.status}: ${JSON.stringify(dayBody)}`);
    console.log(`next start on ${base} · user with 200 blocks this week (${dayBody.blocks?.length ?? '?'} today) · ${connections} connections × ${duration} s per phase`);

    // Warm-up: JIT, route compilation caches, the database pool.
    await run({ url: `${base}/livez`, connections: 10, duration: 2 });
    await run({ url: `${base}/api/v1/schedule/day`, connections: 10, duration: 3, headers: auth });

    const trivial = summarise('GET /livez (trivial)', await run({ url: `${base}/livez`, connections, duration }));
    const api = summarise('GET /api/v1/schedule/day', await run({ url: `${base}/api/v1/schedule/day`, connections, duration, headers: auth }));

    let next = 0;
    const sentTitles = new Set<string>();
    const writes = summarise(
      `POST /api/v1/tasks @ ${targets.postRate}/s`,
      await run({
        url: `${base}/api/v1/tasks`,
        method: 'POST',
        connections: 20,
        overallRate: targets.postRate,
        duration,
        headers: { ...auth, 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (request) => {
              const title = `load-${(next += 1)}`;
              sentTitles.add(title);
              return { ...request, body: JSON.stringify({ title, durationMinutes: 30 }) };
            },
          },
        ],
      }),
    );
    const stored = await db.$queryRawUnsafe<{ tasks: number; distinct_titles: number; events: number }[]>(
      `SELECT count(*)::int AS tasks, count(DISTINCT title)::int AS distinct_titles,
              (SELECT count(*)::int FROM outbox_events WHERE event_type = 'core.task.created') AS events
         FROM tasks WHERE user_id = $1::uuid AND title LIKE 'load-%'`,
      userId,
    );
    const { tasks, distinct_titles: distinctTitles, events } = stored[0];

    const phases = [trivial, api, writes];
    console.log('\n| phase | req/s | p50 | p99 | max | requests | 2xx | non-2xx | errors | timeouts |\n|---|---|---|---|---|---|---|---|---|---|');
    for (const p of phases) console.log(`| ${p.name} | ${p.requestsPerSecond} | ${p.p50} ms | ${p.p99} ms | ${p.max} ms | ${p.total} | ${p.ok} | ${p.non2xx} | ${p.errors} | ${p.timeouts} |`);
    const ratio = Math.round((api.requestsPerSecond / trivial.requestsPerSecond) * 100) / 100;
    const checks = {
      apiThroughput: api.requestsPerSecond >= targets.requestsPerSecond,
      apiP99: api.p99 <= targets.p99Ms,
      apiClean: api.non2xx === 0 && api.errors === 0 && api.timeouts === 0,
      ratioGoal: ratio >= targets.ratioGoal,
      writesClean: writes.non2xx === 0 && writes.errors === 0 && writes.timeouts === 0,
      writesRate: writes.requestsPerSecond >= targets.postRate * 0.95,
      // Requests still in flight when autocannon's time is up are not counted as answered, but the
      // server finishes them: so stored ≥ acknowledged, and never more than were sent.
      everyTaskStoredOnce: tasks >= writes.ok && tasks <= sentTitles.size && distinctTitles === tasks && events === tasks,
    };
    console.log(`\nday view vs trivial handler: ${ratio} (goal ≥ ${targets.ratioGoal})`);
    console.log(`writes: ${sentTitles.size} sent, ${writes.ok} answered 2xx in time, ${tasks} stored (${distinctTitles} distinct titles), ${events} task.created events`);
    for (const [name, ok] of Object.entries(checks)) console.log(`${ok ? 'met   ' : 'MISSED'} ${name}`);
    const met = Object.values(checks).every(Boolean);
    const report = { bench: 'api', date: new Date().toISOString(), machine, command: 'flock /tmp/orbita-next.lock npm run bench:api', duration, connections, phases, ratio, stored: { tasks, distinctTitles, events }, checks, targetsMet: met };
    console.log(`\n${JSON.stringify(report)}`);
    console.log(`\ntargets: ${met ? 'met' : 'MISSED'}`);
    return met;
  } finally {
    await server?.stop();
    await db.$disconnect();
    await scratch.drop();
  }
}

runIfEntryPoint(import.meta.url, main);
