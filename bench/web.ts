/**
 * bench:web — the web dashboard under `next start` (production build) on a scratch PostgreSQL
 * database (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server):
 *   1. server response time of GET /today and GET /week (the whole HTML answer, read to the end),
 *      N sequential requests each after a warm-up, signed in as a user with 200 blocks in the
 *      current week plus a few tasks and habits: p50 / p95 / p99 (budget p50 ≤ 150 ms);
 *   2. first-load JavaScript per dashboard page: every `<script src="/_next/static/…">` the page's
 *      HTML loads, read from .next/static and gzipped at level 9 (as Next's own size report does),
 *      summed (budget ≤ 250 kB, 1 kB = 1,000 bytes). A page that answers 404 is reported as missing
 *      and is not a failure: the bench exits non-zero only when a budget is missed.
 * The user signs in through next-auth's credentials flow with plain fetch (CSRF token, then the
 * callback), as the sign-in form does, and keeps the session cookie. It is an admin, so
 * /operations is measured too. `.next` is rebuilt first when a source is newer than the build
 * (the rule of scripts/start.ts); since the build is shared, run it as
 * `flock /tmp/orbita-next.lock npm run bench:web`.
 * BENCH_WEB_REQUESTS / BENCH_WEB_WARMUP override 200 / 20.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createDb, type Db } from '../lib/db/client';
import { migrateUp } from '../lib/db/migrate';
import { createHabit } from '../lib/habits/service';
import { createUser } from '../lib/identity/users';
import { projectRoot } from '../lib/paths';
import { createTask } from '../lib/tasks/service';
import { freePort, machine as machineInfo, startNextServer } from './next-server';
import { runIfEntryPoint } from './run';
import { createScratchDatabase } from './scratch-database';
import { seedWeekOfBlocks } from './seed';

const requests = Number(process.env.BENCH_WEB_REQUESTS ?? 200);
const warmup = Number(process.env.BENCH_WEB_WARMUP ?? 20);
const latencyBudgetMs = 150;
const firstLoadBudgetBytes = 250_000;
const timedPages = ['/today', '/week'];
const dashboardPages = ['/today', '/week', '/tasks', '/habits', '/meetings', '/settings', '/billing', '/operations'];

const zone = 'Europe/Berlin';
const email = 'bench-web@example.com';
const password = 'a-good-long-bench-password';

/** An admin with a password, 200 blocks in the current week (Monday–Sunday in their zone), 10 tasks and 3 habits. */
async function seed(db: Db): Promise<void> {
  const user = await createUser(db, { email, password, name: 'Bench Web', timeZone: zone });
  await db.user.update({ where: { id: user.id }, data: { isAdmin: true } });
  const ctx = { db, userId: user.id, now: () => new Date() };
  for (let i = 0; i < 10; i++) await createTask(ctx, { title: `Task ${i}`, priority: (['none', 'low', 'medium', 'high', 'urgent'] as const)[i % 5] });
  for (const name of ['Read', 'Stretch', 'Journal']) await createHabit(ctx, { name });
  await seedWeekOfBlocks(db, user.id, zone, 200);
}

/** Signs in as the form does: CSRF token (and its cookie), then the credentials callback; answers the session cookie. */
async function signIn(base: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const callback = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  const session = callback.headers.getSetCookie().find((c) => /^(__Secure-)?next-auth\.session-token=/.test(c));
  if (!session) throw new Error(`sign-in failed: HTTP ${callback.status}, no session cookie`);
  return session.split(';')[0];
}

/** GET a page as the signed-in user; a redirect is an error (it would mean the session was lost). */
async function getPage(base: string, cookie: string, page: string): Promise<{ status: number; html: string }> {
  const response = await fetch(`${base}${page}`, { headers: { cookie }, redirect: 'manual' });
  const html = await response.text();
  if (response.status >= 300 && response.status < 400) throw new Error(`${page} redirected to ${response.headers.get('location')}: not signed in?`);
  return { status: response.status, html };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Timing {
  page: string;
  status: 'measured' | 'missing';
  /** Seeded blocks whose title the page shows: proof the page was measured with its data on it. */
  blocksShown?: number;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
  withinBudget: boolean;
}

async function timePage(base: string, cookie: string, page: string): Promise<Timing> {
  const first = await getPage(base, cookie, page);
  if (first.status === 404) return { page, status: 'missing', withinBudget: true };
  const blocksShown = new Set(first.html.match(/Block \d+\b/g)).size;
  for (let i = 0; i < warmup; i++) await getPage(base, cookie, page);
  const latencies: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const { status } = await getPage(base, cookie, page);
    latencies.push(performance.now() - started);
    if (status !== 200) throw new Error(`${page}: HTTP ${status}`);
  }
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const p50 = percentile(latencies, 50);
  return { page, status: 'measured', blocksShown, p50: round(p50), p95: round(percentile(latencies, 95)), p99: round(percentile(latencies, 99)), max: round(latencies[latencies.length - 1]), withinBudget: p50 <= latencyBudgetMs };
}

interface FirstLoad {
  page: string;
  status: 'measured' | 'missing';
  scripts?: number;
  gzipBytes?: number;
  withinBudget: boolean;
}

/** The gzipped size of every /_next/static script the page's HTML loads, summed. */
async function firstLoadJs(base: string, cookie: string, page: string): Promise<FirstLoad> {
  const { status, html } = await getPage(base, cookie, page);
  if (status === 404) return { page, status: 'missing', withinBudget: true };
  if (status !== 200) throw new Error(`${page}: HTTP ${status}`);
  // noModule scripts (legacy polyfills) are skipped by every browser the dashboard supports.
  const tags = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]).filter((tag) => !/\snomodule\b/i.test(tag));
  const sources = new Set(tags.flatMap((tag) => /\ssrc="\/_next\/static\/([^"?]+)/.exec(tag)?.[1] ?? []));
  let gzipBytes = 0;
  for (const source of sources) {
    const file = path.join(projectRoot, '.next', 'static', decodeURIComponent(source));
    gzipBytes += zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
  }
  return { page, status: 'measured', scripts: sources.size, gzipBytes, withinBudget: gzipBytes <= firstLoadBudgetBytes };
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

export async function main(): Promise<boolean> {
  const machine = await machineInfo();
  console.log(`# bench:web — ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), node ${machine.node}`);

  const scratch = await createScratchDatabase('web');
  const db = createDb(scratch.url, { max: 2 });
  let server: { stop(): Promise<void> } | null = null;
  try {
    await migrateUp(scratch.url);
    await seed(db);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: scratch.url,
      NEXTAUTH_SECRET: 'bench-web-secret-not-for-production',
      NEXTAUTH_URL: base,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      // Production runs the standalone worker; the bench measures the web server alone.
      OUTBOX_PROCESSOR_ENABLED: 'false',
    };
    server = await startNextServer(env, base);
    const cookie = await signIn(base);
    console.log(`next start on ${base} · user with 200 blocks this week, 10 tasks, 3 habits · ${warmup} warm-up + ${requests} sequential requests per page`);

    const timings: Timing[] = [];
    for (const page of timedPages) timings.push(await timePage(base, cookie, page));
    console.log(`\n## Server response time (full HTML), budget p50 ≤ ${latencyBudgetMs} ms`);
    console.log('| page | blocks shown | p50 | p95 | p99 | max | budget |\n|---|---|---|---|---|---|---|');
    for (const t of timings) {
      console.log(t.status === 'missing' ? `| ${t.page} | — | — | — | — | — | missing |` : `| ${t.page} | ${t.blocksShown} | ${t.p50} ms | ${t.p95} ms | ${t.p99} ms | ${t.max} ms | ${t.withinBudget ? 'met' : 'MISSED'} |`);
    }

    const bundles: FirstLoad[] = [];
    for (const page of dashboardPages) bundles.push(await firstLoadJs(base, cookie, page));
    console.log(`\n## First-load JS per page (gzip -9 of every /_next/static script in the HTML), budget ≤ ${kB(firstLoadBudgetBytes)}`);
    console.log('| page | scripts | first-load JS (gzip) | budget |\n|---|---|---|---|');
    for (const b of bundles) {
      console.log(b.status === 'missing' ? `| ${b.page} | — | — | missing |` : `| ${b.page} | ${b.scripts} | ${kB(b.gzipBytes ?? 0)} | ${b.withinBudget ? 'met' : 'MISSED'} |`);
    }

    const met = [...timings, ...bundles].every((r) => r.withinBudget);
    const report = { bench: 'web', date: new Date().toISOString(), machine, command: 'flock /tmp/orbita-next.lock npm run bench:web', requests, warmup, timings, firstLoadJs: bundles, budgetsMet: met };
    console.log(`\n${JSON.stringify(report)}`);
    console.log(`\nbudgets: ${met ? 'met' : 'MISSED'}`);
    return met;
  } finally {
    await server?.stop();
    await db.$disconnect();
    await scratch.drop();
  }
}

runIfEntryPoint(import.meta.url, main);
