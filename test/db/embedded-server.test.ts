import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { EmbeddedSocketServer, type EmbeddedServerEvent } from '../../lib/db/embedded-server';
import { projectRoot } from '../../lib/paths';
import { createStressTable, stressTable, verifyRows, type StressOptions, type StressResult } from '../helpers/embedded-stress';

// The embedded database's socket server (lib/db/embedded-server.ts) under the load a newcomer's
// machine puts on it — the web app's pool and CLI commands at once — and under clients that die,
// stall or send garbage. Each test gets its own in-memory PGlite and server.

interface Served {
  url: string;
  server: EmbeddedSocketServer;
  events: EmbeddedServerEvent[];
  port: number;
  stop(): Promise<void>;
}

async function serve(options: { holdTimeoutMs?: number } = {}): Promise<Served> {
  const pglite = await PGlite.create({ extensions: { btree_gist } });
  const events: EmbeddedServerEvent[] = [];
  const server = new EmbeddedSocketServer({ db: pglite, holdTimeoutMs: options.holdTimeoutMs, onEvent: (event) => events.push(event) });
  const { host, port } = await server.start();
  const url = `postgres://postgres@${host}:${port}/postgres?sslmode=disable`;
  await createStressTable(url);
  return {
    url,
    server,
    events,
    port,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}

/** One process of the stress mix (test/helpers/embedded-stress-client.ts). */
function stressProcess(options: StressOptions): Promise<StressResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/helpers/embedded-stress-client.ts'), JSON.stringify(options)], {
      cwd: projectRoot,
      env: { NODE_ENV: 'test', PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as StressResult);
      else reject(new Error(`stress process ${options.tag} exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

// --- the raw protocol, for clients that misbehave ------------------------------------------

const cString = (text: string) => Buffer.from(`${text}\0`);
function frontend(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
function startupPacket(version = 196608): Buffer {
  const body = Buffer.concat([Buffer.alloc(4), cString('user'), cString('postgres'), cString('database'), cString('postgres'), Buffer.from([0])]);
  body.writeInt32BE(version, 0);
  const head = Buffer.alloc(4);
  head.writeInt32BE(body.length + 4, 0);
  return Buffer.concat([head, body]);
}
const parse = (sql: string) => frontend('P', Buffer.concat([cString(''), cString(sql), Buffer.from([0, 0])]));
const bind = () => frontend('B', Buffer.concat([cString(''), cString(''), Buffer.from([0, 0, 0, 0, 0, 0])]));

interface RawConnection {
  socket: net.Socket;
  received: () => Buffer;
  /** Resolves once the server has closed the connection. */
  closed: Promise<void>;
  /** Waits until what was received so far ends with ReadyForQuery. */
  ready(): Promise<void>;
}

function rawConnection(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = Buffer.alloc(0);
    const listeners = new Set<() => void>();
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      for (const listener of listeners) listener();
    });
    socket.on('error', () => {});
    const closed = new Promise<void>((done) => socket.on('close', () => done()));
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => data,
        closed,
        ready: () =>
          new Promise<void>((done) => {
            const check = () => {
              if (data.length >= 6 && data[data.length - 6] === 0x5a) {
                listeners.delete(check);
                done();
              }
            };
            listeners.add(check);
            check();
          }),
      }),
    );
    socket.once('error', reject);
  });
}

/** The SQLSTATE codes of the ErrorResponses in a backend byte stream. */
function errorCodes(data: Buffer): string[] {
  const codes: string[] = [];
  for (let at = 0; at + 5 <= data.length; ) {
    const length = data.readInt32BE(at + 1);
    if (data[at] === 0x45) {
      const fields = data.toString('utf8', at + 5, at + 1 + length).split('\0');
      codes.push(fields.find((field) => field.startsWith('C'))?.slice(1) ?? '?');
    }
    at += 1 + length;
  }
  return codes;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
    }),
  ]);
}

describe('embedded database server', () => {
  describe('sixteen clients from two processes', () => {
    let served: Served;
    beforeAll(async () => {
      served = await serve();
    });
    afterAll(async () => {
      await served.stop();
    });

    it('answers 21,000 mixed operations, each checked against what was asked: none wrong, no error, exactly the committed rows', async () => {
      // A web-like process (a pool of 8 shared by 16 workers) and a CLI-like one (8 workers,
      // each opening a connection for a few operations and closing it), at the same time.
      const results = await Promise.all([
        stressProcess({ url: served.url, mode: 'pool', connections: 8, workers: 16, operations: 14_000, tag: 'web', seed: 7 }),
        stressProcess({ url: served.url, mode: 'churn', connections: 8, operations: 7_000, tag: 'cli', seed: 11 }),
      ]);
      for (const result of results) {
        expect(result.wrong, `${result.tag}: wrong answers`).toEqual([]);
        expect(result.errors, `${result.tag}: errors`).toEqual([]);
        expect(result.wrongCount + result.errorCount).toBe(0);
      }
      expect(results.reduce((sum, result) => sum + result.operations, 0)).toBeGreaterThanOrEqual(20_000);
      expect(Object.keys(results[0].committed).length + Object.keys(results[1].committed).length).toBeGreaterThan(1000);
      expect(await verifyRows(served.url, results)).toEqual([]);
      expect(served.events).toEqual([]);
    });
  });

  describe('clients that die, stall or misbehave', () => {
    let served: Served;
    beforeAll(async () => {
      served = await serve({ holdTimeoutMs: 60_000 });
    });
    afterAll(async () => {
      await served.stop();
    });

    it('a client killed mid-transaction leaves no lock, no half-written row and no session state', async () => {
      // A separate process: BEGIN, session state of every kind, a row, a table lock — then SIGKILL.
      const script = `
        const pg = require('pg');
        const client = new pg.Client({ connectionString: process.argv[1] });
        (async () => {
          await client.connect();
          await client.query('BEGIN');
          await client.query("SET statement_timeout = '4321ms'");
          await client.query('PREPARE leftover AS SELECT 1');
          await client.query('CREATE TEMP TABLE scratch (a int)');
          await client.query("INSERT INTO ${stressTable} (worker, seq, payload) VALUES ('killed', 1, 'half-written')");
          await client.query('LOCK TABLE ${stressTable} IN ACCESS EXCLUSIVE MODE');
          console.log('ready');
        })();`;
      const child = spawn(process.execPath, ['-e', script, served.url], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()));
      child.kill('SIGKILL');

      // Well before the 60 s hold bound: the session was cleaned up when the socket closed.
      const state = await within(
        withClient(served.url, async (client) => ({
          rows: (await client.query(`SELECT count(*)::int AS n FROM ${stressTable} WHERE worker = 'killed'`)).rows[0].n,
          prepared: (await client.query('SELECT count(*)::int AS n FROM pg_prepared_statements')).rows[0].n,
          temp: (await client.query("SELECT to_regclass('pg_temp.scratch') AS t")).rows[0].t,
          timeout: (await client.query('SHOW statement_timeout')).rows[0].statement_timeout,
          inTransaction: (await client.query('SELECT now() = statement_timestamp() AS idle')).rows[0].idle,
          locked: await client
            .query('BEGIN')
            .then(() => client.query(`LOCK TABLE ${stressTable} IN ACCESS EXCLUSIVE MODE NOWAIT`))
            .then(() => client.query('ROLLBACK'))
            .then(() => false),
        })),
        10_000,
        'a client after the killed one',
      );
      expect(state).toEqual({ rows: 0, prepared: 0, temp: null, timeout: '0', inTransaction: true, locked: false });
      expect(served.events).toContainEqual(expect.objectContaining({ kind: 'owner-lost', inTransaction: true }));
    });

    it('a client that dies mid-batch (after an error, before Sync) does not leave the next one skipped', async () => {
      const raw = await rawConnection(served.port);
      raw.socket.write(startupPacket());
      await raw.ready();
      // Parse fails, so the backend skips everything until a Sync that never comes.
      raw.socket.write(Buffer.concat([parse('SELECT 1/0'), bind()]));
      await new Promise((resolve) => setTimeout(resolve, 200));
      raw.socket.destroy();
      const answer = await within(
        withClient(served.url, (client) => client.query('SELECT $1::int + 1 AS n', [41])),
        10_000,
        'the next client',
      );
      expect(answer.rows).toEqual([{ n: 42 }]);
    });

    it('garbage, broken messages and half messages get an error or are dropped, and every other connection keeps working', async () => {
      const healthy = new pg.Client({ connectionString: served.url });
      await healthy.connect();
      let stop = false;
      let answered = 0;
      const healthyFailures: string[] = [];
      const loop = (async () => {
        for (let i = 0; !stop; i++) {
          try {
            const { rows } = await healthy.query('SELECT $1::int AS i, $2::text AS t', [i, `h${i}`]);
            if (rows[0].i !== i || rows[0].t !== `h${i}`) healthyFailures.push(`wrong answer ${JSON.stringify(rows)}`);
            answered++;
          } catch (error) {
            healthyFailures.push((error as Error).message);
          }
        }
      })();

      const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
      const cases: { name: string; send: (raw: RawConnection) => Promise<void>; expectFatal: string | null }[] = [
        { name: 'random bytes', send: async (raw) => void raw.socket.write(random), expectFatal: '08P01' },
        { name: 'an HTTP request', send: async (raw) => void raw.socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'), expectFatal: '08P01' },
        { name: 'protocol 2.0', send: async (raw) => void raw.socket.write(startupPacket(131072)), expectFatal: '08P01' },
        {
          name: 'an unknown message type',
          send: async (raw) => {
            raw.socket.write(startupPacket());
            await raw.ready();
            raw.socket.write(frontend('y', Buffer.from([1, 2, 3])));
          },
          expectFatal: '08P01',
        },
        {
          name: 'a password message without authentication',
          send: async (raw) => {
            raw.socket.write(startupPacket());
            await raw.ready();
            raw.socket.write(frontend('p', cString('secret')));
          },
          expectFatal: '08P01',
        },
        {
          name: 'a 2 GB message length',
          send: async (raw) => {
            raw.socket.write(startupPacket());
            await raw.ready();
            raw.socket.write(Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff]));
          },
          expectFatal: '08P01',
        },
        {
          name: 'half a message, then gone',
          send: async (raw) => {
            raw.socket.write(startupPacket());
            await raw.ready();
            raw.socket.write(frontend('Q', cString('SELECT 1')).subarray(0, 7));
            raw.socket.end();
          },
          expectFatal: null,
        },
        { name: 'half a startup packet, then gone', send: async (raw) => void raw.socket.end(startupPacket().subarray(0, 12)), expectFatal: null },
        {
          name: 'a malformed Query, then gone',
          send: async (raw) => {
            raw.socket.write(startupPacket());
            await raw.ready();
            raw.socket.write(frontend('Q', Buffer.from('SELECT 1'))); // no terminator: PostgreSQL's ERROR, connection kept
            await raw.ready();
            raw.socket.end(frontend('X'));
          },
          expectFatal: null,
        },
      ];
      for (const testCase of cases) {
        const raw = await rawConnection(served.port);
        await testCase.send(raw);
        await within(raw.closed, 10_000, `${testCase.name}: the connection is closed`);
        if (testCase.expectFatal) expect(errorCodes(raw.received()), testCase.name).toContain(testCase.expectFatal);
      }

      // COPY FROM STDIN would take PGlite down: it is refused with a clear error, the connection lives on.
      await withClient(served.url, async (client) => {
        await expect(client.query(`COPY ${stressTable} FROM STDIN`)).rejects.toMatchObject({ code: '0A000', message: /COPY FROM STDIN is not supported by the embedded database/ });
        expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      });

      const before = answered;
      await within(
        (async () => {
          while (answered < before + 50) await new Promise((resolve) => setTimeout(resolve, 10));
        })(),
        10_000,
        'the healthy client goes on answering',
      );
      stop = true;
      await loop;
      await healthy.end();
      expect(healthyFailures).toEqual([]);
      expect(served.events.filter((event) => event.kind === 'protocol-violation')).toHaveLength(cases.filter((c) => c.expectFatal).length);
    });
  });

  it('cuts off a connection that holds the session idle in a transaction, with a clear error; the others go on', async () => {
    const served = await serve({ holdTimeoutMs: 1000 });
    try {
      const stuck = new pg.Client({ connectionString: served.url });
      const stuckErrors: Error[] = [];
      stuck.on('error', (error) => stuckErrors.push(error));
      await stuck.connect();
      await stuck.query('BEGIN');
      await stuck.query(`INSERT INTO ${stressTable} (worker, seq, payload) VALUES ('stuck', 1, 'never committed')`);

      // Another client waits for the session, and gets it once the bound cuts the stuck one off.
      const other = await within(
        withClient(served.url, (client) => client.query(`SELECT count(*)::int AS n FROM ${stressTable} WHERE worker = 'stuck'`)),
        15_000,
        'a waiting client',
      );
      expect(other.rows).toEqual([{ n: 0 }]);
      await expect(stuck.query('COMMIT')).rejects.toThrow();
      expect(stuckErrors.map((error) => error.message).join(' ')).toMatch(/held the embedded database for 1 s without finishing its transaction/);
      expect(served.events).toContainEqual(expect.objectContaining({ kind: 'hold-timeout' }));
      await stuck.end().catch(() => {});
    } finally {
      await served.stop();
    }
  });
});
