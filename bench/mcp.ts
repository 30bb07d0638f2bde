/**
 * bench:mcp — `tools/call` of a read tool over Streamable HTTP against the standalone MCP server:
 * 20 concurrent SDK clients for 20 s, each calling as fast as answers come back. Prints calls/s,
 * p50, p99 (target p99 ≤ 50 ms). The server runs in its own process (as in production) on a scratch
 * PostgreSQL database (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server), with a
 * user holding 50 open tasks, calling with a personal access token (checked on every request,
 * through the server's 5 s auth cache). Each call lists 20 pending tasks.
 *
 * BENCH_MCP_CLIENTS / BENCH_MCP_SECONDS override 20 / 20; BENCH_MCP_PROFILE=<dir> writes the server's
 * CPU profile (node --cpu-prof) there.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import pg from 'pg';
import { createDb } from '../lib/db/client';
import { migrateUp } from '../lib/db/migrate';
import { createAccessToken } from '../lib/identity/tokens';
import { createUser } from '../lib/identity/users';
import { listTasksSchema } from '../lib/tasks/schemas';
import { createTask, listTasks } from '../lib/tasks/service';
import { startMcpHttpServer } from '../mcp/http';
import { defineTool, type ToolDefinition } from '../mcp/registry';
import { allTools } from '../mcp/tools';

const readToolName = 'task_list';

/** The registry's task_list, or (before the registry has it) an equivalent over lib/tasks. */
function benchTools(): ToolDefinition[] {
  const real = allTools.find((tool) => tool.name === readToolName);
  if (real) return [real];
  return [
    defineTool({
      name: readToolName,
      title: 'List tasks',
      description: 'Lists tasks (bench stand-in until mcp/tools provides task_list).',
      input: listTasksSchema,
      annotations: { readOnlyHint: true, idempotentHint: true },
      run: (ctx, input) => listTasks(ctx, input),
    }),
  ];
}

/** Child mode: serve on 127.0.0.1:0 and print the URL as one JSON line. */
async function serve(databaseUrl: string): Promise<void> {
  const db = createDb(databaseUrl, { max: 10 });
  const running = await startMcpHttpServer({ db, host: '127.0.0.1', port: 0, tools: benchTools() });
  console.log(JSON.stringify({ url: running.url, real: allTools.some((t) => t.name === readToolName) }));
  process.once('SIGTERM', () => {
    void running.close(1000).then(() => db.$disconnect()).then(() => process.exit(0));
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function main(): Promise<void> {
  const clients = Number(process.env.BENCH_MCP_CLIENTS ?? 20);
  const seconds = Number(process.env.BENCH_MCP_SECONDS ?? 20);
  console.log(`# bench:mcp — ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), node ${process.version}`);

  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `orbita_bench_mcp_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
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

    const started = await new Promise<{ url: string; real: boolean }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk;
        const line = out.split('\n').find((l) => l.startsWith('{"url"'));
        if (line) resolve(JSON.parse(line));
      });
      child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
    });
    console.log(`server ${started.url} (separate process) · tool ${readToolName}${started.real ? '' : ' (stand-in: mcp/tools has no task_list yet)'} · ${clients} clients · ${seconds} s`);

    const connected = await Promise.all(
      Array.from({ length: clients }, async () => {
        const client = new Client({ name: 'bench', version: '1.0.0' });
        await client.connect(new StreamableHTTPClientTransport(new URL(`${started.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
        return client;
      }),
    );
    const args = { status: ['pending'], limit: 20 };
    // Warm-up: JIT, connection pool, prepared statements.
    for (let i = 0; i < 3; i++) await Promise.all(connected.map((c) => c.callTool({ name: readToolName, arguments: args })));

    const latencies: number[] = [];
    let errors = 0;
    const deadline = performance.now() + seconds * 1000;
    const begin = performance.now();
    await Promise.all(
      connected.map(async (client) => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          const result = await client.callTool({ name: readToolName, arguments: args });
          latencies.push(performance.now() - t0);
          if (result.isError) errors++;
        }
      }),
    );
    const elapsed = (performance.now() - begin) / 1000;
    await Promise.all(connected.map((c) => c.close()));
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.log(`\n## tools/call ${readToolName} over Streamable HTTP, ${clients} concurrent clients, ${elapsed.toFixed(1)} s`);
    console.log(
      `${latencies.length} calls · ${(latencies.length / elapsed).toFixed(0)} calls/s · p50 ${p50.toFixed(1)} ms · p99 ${p99.toFixed(1)} ms · max ${latencies[latencies.length - 1].toFixed(1)} ms · errors ${errors} (target p99 ≤ 50 ms: ${p99 <= 50 ? 'met' : 'MISSED'})`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    await db.$disconnect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const run = process.argv.includes('--serve') ? serve(process.env.BENCH_MCP_DATABASE_URL ?? '') : main();
  run.catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
