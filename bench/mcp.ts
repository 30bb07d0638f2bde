/**
 * bench:mcp — `tools/call` of a read tool over Streamable HTTP against the standalone MCP server:
 * 20 concurrent clients for 20 s, each calling as fast as answers come back. Prints calls/s, p50,
 * p99 (target p99 ≤ 50 ms). The server runs in its own process (as in production) on a scratch
 * PostgreSQL database (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server), with a
 * user holding 50 open tasks, calling with a personal access token (checked through the server's
 * 5 s auth cache). Each call lists 20 pending tasks.
 *
 * The clients are plain keep-alive HTTP connections speaking MCP (initialize, then tools/call with
 * the negotiated MCP-Protocol-Version), every answer parsed and checked: on a 2-core machine the
 * load generator shares the CPU with the server and PostgreSQL, so it should cost as little as
 * possible. BENCH_MCP_CLIENT=sdk uses the SDK's Client + StreamableHTTPClientTransport instead
 * (heavier per call; the tests cover that path).
 *
 * BENCH_MCP_CLIENTS / BENCH_MCP_SECONDS override 20 / 20; BENCH_MCP_TOOL another read tool without
 * arguments (e.g. `health`); BENCH_MCP_PROFILE=<dir> writes the server's CPU profile there.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { createDb } from '../lib/db/client';
import { migrateUp } from '../lib/db/migrate';
import { createAccessToken } from '../lib/identity/tokens';
import { createUser } from '../lib/identity/users';
import { createTask } from '../lib/tasks/service';
import { startMcpHttpServer } from '../mcp/http';
import { allTools } from '../mcp/tools';
import { createScratchDatabase } from './scratch-database';

const readToolName = process.env.BENCH_MCP_TOOL ?? 'task_list';

/** Child mode: serve on 127.0.0.1:0 and print the URL as one JSON line. */
async function serve(databaseUrl: string): Promise<void> {
  const db = createDb(databaseUrl, { max: 10 });
  const running = await startMcpHttpServer({ db, host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({ url: running.url }));
  process.once('SIGTERM', () => {
    void running.close(1000).then(() => db.$disconnect()).then(() => process.exit(0));
  });
}

interface BenchClient {
  /** Calls the tool; true when the answer is a tool error. */
  call(name: string, args: Record<string, unknown>): Promise<boolean>;
  close(): Promise<void>;
}

/** An SDK client (BENCH_MCP_CLIENT=sdk). */
async function sdkClient(url: string, token: string): Promise<BenchClient> {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return {
    call: async (name, args) => Boolean((await client.callTool({ name, arguments: args })).isError),
    close: () => client.close(),
  };
}

/** One keep-alive connection speaking JSON-RPC over Streamable HTTP, as an MCP client does. */
async function httpClient(url: string, token: string): Promise<BenchClient> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let nextId = 0;
  const session: { protocolVersion?: string } = {};
  const post = (message: Record<string, unknown>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...message });
      const headers: http.OutgoingHttpHeaders = {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'content-length': Buffer.byteLength(body),
        ...(session.protocolVersion ? { 'mcp-protocol-version': session.protocolVersion } : {}),
      };
      const req = http.request(`${url}/mcp`, { method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const request = async (method: string, params: Record<string, unknown>) => {
    const id = ++nextId;
    const { status, body } = await post({ id, method, params });
    const answer = JSON.parse(body) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
    if (status !== 200 || answer.id !== id || !answer.result) throw new Error(`${method}: HTTP ${status} ${answer.error?.message ?? body.slice(0, 200)}`);
    return answer.result;
  };
  const init = await request('initialize', { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'bench', version: '1.0.0' } });
  session.protocolVersion = String(init.protocolVersion);
  const initialized = await post({ method: 'notifications/initialized' });
  if (initialized.status !== 202) throw new Error(`notifications/initialized: HTTP ${initialized.status}`);
  return {
    call: async (name, args) => {
      const result = await request('tools/call', { name, arguments: args });
      if (!Array.isArray(result.content) || typeof result.structuredContent !== 'object') throw new Error(`tools/call: not a tool result: ${JSON.stringify(result).slice(0, 200)}`);
      return result.isError === true;
    },
    close: async () => agent.destroy(),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function main(): Promise<void> {
  const clients = Number(process.env.BENCH_MCP_CLIENTS ?? 20);
  const seconds = Number(process.env.BENCH_MCP_SECONDS ?? 20);
  console.log(`# bench:mcp — ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), node ${process.version}`);

  const scratch = await createScratchDatabase('mcp');
  const databaseUrl = scratch.url;
  const db = createDb(databaseUrl, { max: 2 });
  const child = spawn(process.execPath, [...(process.env.BENCH_MCP_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_MCP_PROFILE}`] : []), '--import', 'tsx', path.resolve(import.meta.dirname, 'mcp.ts'), '--serve'], {
    env: { ...process.env, BENCH_MCP_DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await migrateUp(databaseUrl);
    const user = await createUser(db, { name: 'Bench', timeZone: 'Europe/Berlin' });
    const ctx = { db, userId: user.id, now: () => new Date() };
    for (let i = 0; i < 50; i++) await createTask(ctx, { title: `Task ${i}`, priority: (['none', 'low', 'medium', 'high', 'urgent'] as const)[i % 5] });
    const { token } = await createAccessToken(ctx, { name: 'bench' });

    const started = await new Promise<{ url: string }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk;
        const line = out.split('\n').find((l) => l.startsWith('{"url"'));
        if (line) resolve(JSON.parse(line));
      });
      child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
    });
    const kind = process.env.BENCH_MCP_CLIENT === 'sdk' ? 'sdk' : 'http';
    console.log(`server ${started.url} (separate process) · tool ${readToolName} (all ${allTools.length} tools registered) · ${clients} ${kind === 'sdk' ? 'SDK' : 'HTTP'} clients · ${seconds} s`);

    const connected = await Promise.all(Array.from({ length: clients }, () => (kind === 'sdk' ? sdkClient : httpClient)(started.url, token)));
    const args = readToolName === 'task_list' ? { status: ['pending'], limit: 20 } : {};
    // Warm-up: JIT, connection pool, prepared statements.
    for (let i = 0; i < 3; i++) await Promise.all(connected.map((c) => c.call(readToolName, args)));

    const latencies: number[] = [];
    let errors = 0;
    const deadline = performance.now() + seconds * 1000;
    const begin = performance.now();
    await Promise.all(
      connected.map(async (client) => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          const isError = await client.call(readToolName, args);
          latencies.push(performance.now() - t0);
          if (isError) errors++;
        }
      }),
    );
    const elapsed = (performance.now() - begin) / 1000;
    await Promise.all(connected.map((c) => c.close()));
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(`\n## tools/call ${readToolName} over Streamable HTTP, ${clients} concurrent ${kind === 'sdk' ? 'SDK' : 'HTTP'} clients, ${elapsed.toFixed(1)} s`);
    console.log(
      `${latencies.length} calls · ${(latencies.length / elapsed).toFixed(0)} calls/s · p50 ${p50.toFixed(1)} ms · p99 ${p99.toFixed(1)} ms · max ${latencies[latencies.length - 1].toFixed(1)} ms · errors ${errors} (target p99 ≤ 50 ms: ${p99 <= 50 ? 'met' : 'MISSED'})`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    await db.$disconnect();
    await scratch.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const run = process.argv.includes('--serve') ? serve(process.env.BENCH_MCP_DATABASE_URL ?? '') : main();
  run.catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
