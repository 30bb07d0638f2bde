/**
 * The embedded-database stress mix (test/db/embedded-server.test.ts and `npm run bench:embedded`):
 * clients that run simple queries, parameterized queries of several shapes (different parameter
 * counts and types, so interleaved statements cannot go unnoticed) and transactions, and check
 * every answer against what they asked. Two kinds of process run it:
 *
 * - `pool`: a web-like process, a pg.Pool shared by more workers than it has connections;
 * - `churn`: a CLI-like process whose workers each open a connection, run a few operations and
 *   close it, again and again.
 *
 * Transactions insert rows tagged with the worker's name and commit or roll back; `verifyRows`
 * then checks that exactly the committed rows exist.
 */
import pg from 'pg';

export type StressMode = 'pool' | 'churn';

export interface StressOptions {
  url: string;
  mode: StressMode;
  /** Connections: the pool's size, or how many churning workers (each with its own connection). */
  connections: number;
  /** Workers sharing the pool (pool mode); churn mode has one per connection. */
  workers?: number;
  operations: number;
  /** Names this process's rows and answers. */
  tag: string;
  seed?: number;
  /** Stop waiting after this long and report what finished (a server that stalls: the benchmark of the old one). */
  deadlineMs?: number;
}

export interface StressResult {
  tag: string;
  mode: StressMode;
  operations: number;
  /** Operations that finished (right, wrong or failed); less than `operations` when the deadline passed. */
  completed: number;
  stalled: boolean;
  /** When the last operation finished, from the start (the end of useful work when the server stalled). */
  lastCompletedMs: number;
  /** Answers that differed from what was asked (the first few, described). */
  wrong: string[];
  wrongCount: number;
  errors: string[];
  errorCount: number;
  /** Rows this process committed, per worker: `${worker}:${seq}` → payload. */
  committed: Record<string, string>;
  durationMs: number;
}

export const stressTable = 'stress_rows';

export async function createStressTable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS ${stressTable} (id serial PRIMARY KEY, worker text NOT NULL, seq int NOT NULL, payload text NOT NULL)`);
  } finally {
    await client.end();
  }
}

/** A small seeded PRNG (mulberry32), so a failing run can be repeated. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Queryable = Pick<pg.ClientBase, 'query'>;

interface Recorder {
  wrong(what: string): void;
  committed: Record<string, string>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function check(recorder: Recorder, label: string, actual: unknown, expected: unknown): void {
  if (!same(actual, expected)) recorder.wrong(`${label}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** One operation of the mix on `client`; `seq` makes every answer unique. */
async function operation(client: Queryable, worker: string, seq: number, next: () => number, recorder: Recorder, inTransaction: (fn: (tx: Queryable) => Promise<void>) => Promise<void>): Promise<void> {
  const n = Math.floor(next() * 1_000_000);
  const kind = Math.floor(next() * 7);
  if (kind === 0) {
    // Simple protocol (no parameters): the values are in the text.
    const { rows } = await client.query(`SELECT ${n}::int AS n, '${worker}:${seq}' AS tag`);
    check(recorder, 'simple', rows, [{ n, tag: `${worker}:${seq}` }]);
  } else if (kind === 1) {
    const { rows } = await client.query('SELECT $1::int AS a, $2::text AS b, $3::int + $1::int AS c', [n, `${worker}:${seq}`, seq]);
    check(recorder, 'three parameters', rows, [{ a: n, b: `${worker}:${seq}`, c: n + seq }]);
  } else if (kind === 2) {
    const { rows } = await client.query("SELECT $1::text || '-' || $2::text AS s, ($3::bigint * 2)::text AS d, $4::boolean AS f", [worker, String(seq), n, seq % 2 === 0]);
    check(recorder, 'four parameters', rows, [{ s: `${worker}-${seq}`, d: String(n * 2), f: seq % 2 === 0 }]);
  } else if (kind === 3) {
    const base = new Date(Date.UTC(2030, 0, 1));
    const { rows } = await client.query(
      "SELECT to_char(($1::timestamptz + $2::int * interval '1 minute') AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS t, $3::text AS k, $4::int AS i, $5::numeric::text AS m",
      [base.toISOString(), seq % 10_000, worker, n, `${seq}.5`],
    );
    const at = new Date(base.getTime() + (seq % 10_000) * 60_000).toISOString();
    check(recorder, 'five parameters', rows, [{ t: `${at.slice(0, 10)} ${at.slice(11, 16)}`, k: worker, i: n, m: `${seq}.5` }]);
  } else if (kind === 4) {
    const count = 1 + (seq % 20);
    const { rows } = await client.query('SELECT g AS g, $2::text AS tag FROM generate_series(1, $1::int) g', [count, `${worker}:${seq}`]);
    check(recorder, 'row set', rows, Array.from({ length: count }, (_, i) => ({ g: i + 1, tag: `${worker}:${seq}` })));
  } else {
    // A transaction: insert, read back, update, see the row count; commit four times in five.
    const commit = next() < 0.8;
    const payload = `${worker}:${seq}:${n}`;
    await inTransaction(async (tx) => {
      const inserted = await tx.query(`INSERT INTO ${stressTable} (worker, seq, payload) VALUES ($1, $2, $3) RETURNING id, payload`, [worker, seq, payload]);
      check(recorder, 'insert', inserted.rows[0]?.payload, payload);
      const updated = await tx.query(`UPDATE ${stressTable} SET payload = payload || $2 WHERE id = $1 RETURNING payload`, [inserted.rows[0]?.id, '+']);
      check(recorder, 'update', updated.rows, [{ payload: `${payload}+` }]);
      const mine = Object.keys(recorder.committed).filter((key) => key.startsWith(`${worker}:`)).length;
      const counted = await tx.query(`SELECT count(*)::int AS n FROM ${stressTable} WHERE worker = $1`, [worker]);
      check(recorder, 'own rows inside the transaction', counted.rows, [{ n: mine + 1 }]);
      await tx.query(commit ? 'COMMIT' : 'ROLLBACK');
    });
    if (commit) recorder.committed[`${worker}:${seq}`] = `${payload}+`;
  }
}

export async function runStress(options: StressOptions): Promise<StressResult> {
  const wrong: string[] = [];
  const errors: string[] = [];
  let wrongCount = 0;
  let errorCount = 0;
  const recorder: Recorder = {
    committed: {},
    wrong(what) {
      wrongCount++;
      if (wrong.length < 20) wrong.push(what);
    },
  };
  const failed = (error: unknown) => {
    errorCount++;
    if (errors.length < 20) errors.push((error as Error).message);
  };
  let remaining = options.operations;
  let completed = 0;
  let stalled = false;
  let lastCompletedAt = 0;
  const take = () => !stalled && remaining-- > 0;
  const finished = () => {
    completed++;
    lastCompletedAt = performance.now();
  };
  const started = performance.now();
  const seed = options.seed ?? 1;

  /** BEGIN … (the body ends it) on one client; a failure rolls back. */
  const transactionOn = (client: Queryable) => async (fn: (tx: Queryable) => Promise<void>) => {
    await client.query('BEGIN');
    try {
      await fn(client);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  };

  const work = async () => {
    if (options.mode === 'pool') {
      const pool = new pg.Pool({ connectionString: options.url, max: options.connections });
      pool.on('error', failed);
      const workers = options.workers ?? options.connections * 2;
      await Promise.all(
        Array.from({ length: workers }, async (_, index) => {
          const worker = `${options.tag}-w${index}`;
          const next = random(seed * 1000 + index);
          for (let seq = 0; take(); seq++) {
            try {
              await operation(pool, worker, seq, next, recorder, async (fn) => {
                const client = await pool.connect();
                let broken: Error | undefined;
                try {
                  await transactionOn(client)(fn);
                } catch (error) {
                  broken = error as Error;
                  throw error;
                } finally {
                  client.release(broken);
                }
              });
            } catch (error) {
              failed(error);
            }
            finished();
          }
        }),
      );
      await pool.end();
    } else {
      await Promise.all(
        Array.from({ length: options.connections }, async (_, index) => {
          const worker = `${options.tag}-c${index}`;
          const next = random(seed * 1000 + 500 + index);
          let seq = 0;
          // Each connection: connect, a burst of 1–10 operations, close. A failure ends the burst
          // (its connection may be broken) and counts as that operation's error.
          while (take()) {
            const burst = 1 + Math.floor(next() * 10);
            const client = new pg.Client({ connectionString: options.url });
            client.on('error', failed);
            try {
              await client.connect();
              for (let i = 0; ; i++) {
                await operation(client, worker, seq++, next, recorder, transactionOn(client));
                finished();
                if (i + 1 >= burst || !take()) break;
              }
            } catch (error) {
              failed(error);
              finished();
            } finally {
              await client.end().catch(() => {});
            }
          }
        }),
      );
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    if (options.deadlineMs) timer = setTimeout(() => resolve(), options.deadlineMs);
  });
  await Promise.race([work(), deadline]);
  clearTimeout(timer);
  stalled = completed < options.operations;
  return {
    tag: options.tag,
    mode: options.mode,
    operations: options.operations,
    completed,
    stalled,
    lastCompletedMs: Math.round(lastCompletedAt - started),
    wrong,
    wrongCount,
    errors,
    errorCount,
    committed: recorder.committed,
    durationMs: Math.round(performance.now() - started),
  };
}

/** Differences between the table and what the processes committed (empty when they agree). */
export async function verifyRows(url: string, results: StressResult[]): Promise<string[]> {
  const expected = new Map<string, string>();
  for (const result of results) for (const [key, payload] of Object.entries(result.committed)) expected.set(key, payload);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string; payload: string; copies: number }>(
      `SELECT worker || ':' || seq AS key, min(payload) AS payload, count(*)::int AS copies FROM ${stressTable} GROUP BY worker, seq`,
    );
    const problems: string[] = [];
    for (const row of rows) {
      if (row.copies !== 1) problems.push(`${row.key} stored ${row.copies} times`);
      if (!expected.has(row.key)) problems.push(`${row.key} stored but never committed (${row.payload})`);
      else if (expected.get(row.key) !== row.payload) problems.push(`${row.key} stored as ${row.payload}, committed as ${expected.get(row.key)}`);
      expected.delete(row.key);
    }
    for (const key of expected.keys()) problems.push(`${key} committed but missing`);
    return problems;
  } finally {
    await client.end();
  }
}
