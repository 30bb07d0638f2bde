import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as mcpRoute from '../../app/api/mcp/route';
import { GET as listTasksRoute } from '../../app/api/v1/tasks/route';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { createAccessToken, revokeAccessToken } from '../../lib/identity/tokens';
import { createTaskSchema, listTasksSchema } from '../../lib/tasks/schemas';
import { createTask, listTasks } from '../../lib/tasks/service';
import { type RunningMcpServer, startMcpHttpServer } from '../../mcp/http';
import { defineTool, type ToolDefinition } from '../../mcp/registry';
import { createMcpServer } from '../../mcp/server';
import { allTools } from '../../mcp/tools';
import { callRoute } from '../helpers/api';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { freePort } from '../helpers/process';
import { type TestUser, userWithToken } from '../helpers/users';

/**
 * The transports and auth, independent of the real tool list (mcp/tools): a few tools over
 * lib/tasks, plus one that fails with an unexpected error.
 */
const testTools: ToolDefinition[] = [
  defineTool({
    name: 'test_task_list',
    title: 'List tasks',
    description: 'Lists the user\'s tasks.',
    input: listTasksSchema,
    annotations: { readOnlyHint: true, idempotentHint: true },
    run: (ctx, input) => listTasks(ctx, input),
  }),
  defineTool({
    name: 'test_task_create',
    title: 'Create a task',
    description: 'Creates one task.',
    input: createTaskSchema,
    annotations: { readOnlyHint: false, destructiveHint: false },
    run: (ctx, input) => createTask(ctx, input),
  }),
  defineTool({
    name: 'test_echo',
    title: 'Echo',
    description: 'Returns its input; a number comes back wrapped as { result }.',
    input: z.object({ value: z.union([z.string(), z.number()]).describe('anything') }).strict(),
    annotations: { readOnlyHint: true },
    run: async (_ctx, input) => input.value,
  }),
  defineTool({
    name: 'test_crash',
    title: 'Crash',
    description: 'Fails with an unexpected error.',
    input: z.object({}),
    annotations: { readOnlyHint: true },
    run: async () => {
      throw new Error('connection to 10.0.0.7 refused: password=hunter2');
    },
  }),
];

const mcpSecret = 'mcp-secret-for-tests-0123456789';
let database: TestDatabase;
let server: RunningMcpServer;
let alice: TestUser;
let bob: TestUser;
let aliceReadOnly: string;
let revoked: string;

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  alice = await userWithToken(database.db, 'Alice', 'Europe/Berlin');
  bob = await userWithToken(database.db, 'Bob', 'America/New_York');
  const aliceCtx = { db: database.db, userId: alice.id, now: () => new Date() };
  aliceReadOnly = (await createAccessToken(aliceCtx, { name: 'read only', scopes: ['read'] })).token;
  const toRevoke = await createAccessToken(aliceCtx, { name: 'revoked' });
  await revokeAccessToken(aliceCtx, toRevoke.summary.id);
  revoked = toRevoke.token;
  server = await startMcpHttpServer({
    db: database.db,
    host: '127.0.0.1',
    port: await freePort(),
    mcpAuthToken: mcpSecret,
    orbitaUserId: alice.id,
    tools: testTools,
  });
});

afterAll(async () => {
  await server?.close(1000);
  await disconnectDb();
  await database?.drop();
});

async function connect(kind: 'streamable' | 'sse', token: string): Promise<Client> {
  const client = new Client({ name: 'orbita-test', version: '1.0.0' });
  const requestInit = { headers: { authorization: `Bearer ${token}` } };
  const transport =
    kind === 'streamable'
      ? new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit })
      : new SSEClientTransport(new URL(`${server.url}/mcp/sse`), { requestInit });
  await client.connect(transport);
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;

/** A tool result's text, or the JSON-RPC error's message when the SDK raised one. */
async function callOutcome(client: Client, name: string, args: Record<string, unknown>): Promise<{ isError: boolean; text: string }> {
  try {
    const result = await call(client, name, args);
    return { isError: !!result.isError, text: result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n') };
  } catch (error) {
    return { isError: true, text: (error as Error).message };
  }
}

describe.each(['streamable', 'sse'] as const)('MCP over %s', (kind) => {
  it('initializes, lists the tools, calls a read and a write tool; the change shows through REST', async () => {
    const client = await connect(kind, alice.token);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'orbita' });
      expect(client.getInstructions()).toContain('Orbita');
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(testTools.map((t) => t.name));
      const create = tools.find((t) => t.name === 'test_task_create');
      expect(create?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
      expect(create?.inputSchema).toMatchObject({ type: 'object', required: ['title'] });

      const title = `Write the ${kind} report`;
      const created = await call(client, 'test_task_create', { title, priority: 'high' });
      expect(created.isError).toBeFalsy();
      expect(created.structuredContent).toMatchObject({ title, priority: 'high', status: 'pending' });
      expect(JSON.parse((created.content[0] as { text: string }).text)).toEqual(created.structuredContent);

      const listed = await call(client, 'test_task_list', { status: ['pending'] });
      expect((listed.structuredContent as { items: { title: string }[] }).items.map((t) => t.title)).toContain(title);

      const rest = await callRoute(listTasksRoute, { token: alice.token, path: '/api/v1/tasks' });
      expect(rest.status).toBe(200);
      expect(rest.body.items.map((t: { title: string }) => t.title)).toContain(title);

      // A non-object result is wrapped, so structuredContent is always an object.
      expect((await call(client, 'test_echo', { value: 42 })).structuredContent).toEqual({ result: 42 });
    } finally {
      await client.close();
    }
  });

  it('answers invalid input with an error naming the field, and hides unexpected errors', async () => {
    const client = await connect(kind, alice.token);
    try {
      const invalid = await callOutcome(client, 'test_task_create', { title: 7 });
      expect(invalid.isError).toBe(true);
      expect(invalid.text).toMatch(/title/);
      const unknownField = await callOutcome(client, 'test_task_create', { title: 'ok', colour: 'red' });
      expect(unknownField).toMatchObject({ isError: true, text: expect.stringMatching(/colour/) });

      // A domain error from the service is an isError result carrying its code.
      const domain = await call(client, 'test_task_list', { cursor: 'not-a-cursor' });
      expect(domain.isError).toBe(true);
      expect(domain.structuredContent).toMatchObject({ error: { code: expect.stringMatching(/validation_error|not_found/) } });

      const crash = await call(client, 'test_crash');
      expect(crash).toMatchObject({ isError: true, structuredContent: { error: { code: 'internal_error' } } });
      expect(JSON.stringify(crash)).not.toMatch(/hunter2|10\.0\.0\.7|at /);

      // The server still answers after all of that.
      expect((await client.listTools()).tools.length).toBe(testTools.length);
    } finally {
      await client.close();
    }
  });
});

describe('auth', () => {
  const post = (headers: Record<string, string>, body: unknown = { jsonrpc: '2.0', id: 1, method: 'tools/list' }) =>
    fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['a wrong personal access token', { authorization: 'Bearer orb_pat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }],
    ['an empty Bearer token', { authorization: 'Bearer ' }],
    ['another scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
  ])('POST /mcp with %s is 401 with WWW-Authenticate: Bearer', async (_name, headers) => {
    const response = await post(headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('rejects a revoked personal access token on every MCP endpoint', async () => {
    expect((await post({ authorization: `Bearer ${revoked}` })).status).toBe(401);
    const sse = await fetch(`${server.url}/mcp/sse`, { headers: { authorization: `Bearer ${revoked}` } });
    expect(sse.status).toBe(401);
    expect(sse.headers.get('www-authenticate')).toBe('Bearer');
    const message = await fetch(`${server.url}/mcp/messages?sessionId=x`, { method: 'POST', headers: { authorization: `Bearer ${revoked}` }, body: '{}' });
    expect(message.status).toBe(401);
  });

  it('a token revoked while in use stops working once the short auth cache lapses', async () => {
    const cached = await startMcpHttpServer({ db: database.db, host: '127.0.0.1', port: 0, tools: testTools, authCacheMs: 300 });
    try {
      const aliceCtx = { db: database.db, userId: alice.id, now: () => new Date() };
      const { token, summary } = await createAccessToken(aliceCtx, { name: 'soon revoked' });
      const list = () =>
        fetch(`${cached.url}/mcp`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
        });
      expect((await list()).status).toBe(200);
      await revokeAccessToken(aliceCtx, summary.id);
      await new Promise((resolve) => setTimeout(resolve, 350));
      const after = await list();
      expect(after.status).toBe(401);
      expect(after.headers.get('www-authenticate')).toBe('Bearer');
    } finally {
      await cached.close(500);
    }
  });

  it('GET /mcp/sse without a token is 401; GET /health needs none', async () => {
    const sse = await fetch(`${server.url}/mcp/sse`);
    expect(sse.status).toBe(401);
    expect(sse.headers.get('www-authenticate')).toBe('Bearer');
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('MCP_AUTH_TOKEN acts as ORBITA_USER_ID with every scope', async () => {
    await createTask({ db: database.db, userId: alice.id, now: () => new Date() }, { title: 'Alice via the deployment token' });
    const client = await connect('streamable', mcpSecret);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('test_task_create');
      const listed = await call(client, 'test_task_list');
      expect((listed.structuredContent as { items: { title: string }[] }).items.map((t) => t.title)).toContain('Alice via the deployment token');
    } finally {
      await client.close();
    }
  });

  it('isolates users: Bob\'s token never sees Alice\'s tasks, nor her SSE session', async () => {
    await createTask({ db: database.db, userId: alice.id, now: () => new Date() }, { title: 'Alice only' });
    const client = await connect('streamable', bob.token);
    try {
      const listed = await call(client, 'test_task_list');
      const titles = (listed.structuredContent as { items: { title: string }[] }).items.map((t) => t.title);
      expect(titles).not.toContain('Alice only');
      const resource = await client.readResource({ uri: 'orbita://tasks/open' });
      expect((resource.contents[0] as { text: string }).text).not.toContain('Alice only');
    } finally {
      await client.close();
    }

    // Alice opens an SSE stream; Bob posting to her session id gets 404 as if it did not exist.
    const controller = new AbortController();
    const stream = await fetch(`${server.url}/mcp/sse`, { headers: { authorization: `Bearer ${alice.token}` }, signal: controller.signal });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let text = '';
    while (!/sessionId=[\w-]+/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const endpoint = /data: (\S+)/.exec(text)![1];
    const intrusion = await fetch(`${server.url}${endpoint}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(intrusion.status).toBe(404);
    controller.abort();
  });

  it('a read-scope token sees only read-only tools and cannot call a write tool', async () => {
    for (const kind of ['streamable', 'sse'] as const) {
      const client = await connect(kind, aliceReadOnly);
      try {
        const names = (await client.listTools()).tools.map((t) => t.name);
        expect(names).toEqual(testTools.filter((t) => t.annotations.readOnlyHint).map((t) => t.name));
        const outcome = await callOutcome(client, 'test_task_create', { title: 'Should not exist' });
        expect(outcome.isError).toBe(true);
        expect(outcome.text).toMatch(/not found/i);
      } finally {
        await client.close();
      }
    }
    const page = await listTasks({ db: database.db, userId: alice.id, now: () => new Date() }, { limit: 100 });
    expect(page.items.map((t) => t.title)).not.toContain('Should not exist');
  });
});

describe('HTTP edges', () => {
  const headers = { authorization: '', 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

  it('answers a body that is not JSON with a 400 JSON-RPC parse error', async () => {
    const response = await fetch(`${server.url}/mcp`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${alice.token}` }, body: '{"jsonrpc": ' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 }, id: null });
  });

  it('GET /mcp is 405 (stateless server), unknown paths 404 JSON', async () => {
    const get = await fetch(`${server.url}/mcp`, { headers: { authorization: `Bearer ${alice.token}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    const noSession = await fetch(`${server.url}/mcp/messages?sessionId=00000000-0000-0000-0000-000000000000`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${alice.token}` },
      body: '{}',
    });
    expect(noSession.status).toBe(404);
  });

  it('serves the resources and prompts', async () => {
    await createTask({ db: database.db, userId: alice.id, now: () => new Date() }, { title: 'Open for the resource' });
    const client = await connect('streamable', alice.token);
    try {
      const { resources } = await client.listResources();
      expect(resources.map((r) => r.uri).sort()).toEqual(['orbita://schedule/today', 'orbita://tasks/open']);
      const today = JSON.parse(((await client.readResource({ uri: 'orbita://schedule/today' })).contents[0] as { text: string }).text);
      expect(today).toMatchObject({ timeZone: 'Europe/Berlin', date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), blocks: expect.any(Array) });
      const open = JSON.parse(((await client.readResource({ uri: 'orbita://tasks/open' })).contents[0] as { text: string }).text);
      expect(open.items.map((t: { title: string }) => t.title)).toContain('Open for the resource');

      const { prompts } = await client.listPrompts();
      expect(prompts.map((p) => p.name).sort()).toEqual(['daily_planning', 'weekly_review']);
      const daily = await client.getPrompt({ name: 'daily_planning', arguments: { date: '2030-01-07' } });
      expect((daily.messages[0].content as { text: string }).text).toContain('2030-01-07');
      const weekly = await client.getPrompt({ name: 'weekly_review', arguments: {} });
      expect((weekly.messages[0].content as { text: string }).text).toMatch(/week/);
    } finally {
      await client.close();
    }
  });

  it('closes promptly with an SSE stream still open', async () => {
    const extra = await startMcpHttpServer({ db: database.db, host: '127.0.0.1', port: 0, tools: testTools });
    const client = new Client({ name: 'orbita-test', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(`${extra.url}/mcp/sse`), { requestInit: { headers: { authorization: `Bearer ${alice.token}` } } }));
    const started = Date.now();
    await extra.close(2000);
    expect(Date.now() - started).toBeLessThan(1500);
    await client.close().catch(() => {});
  });
});

describe('the real tool registry', () => {
  it('lists every tool of allTools for a read+write principal and only read-only ones for read', async () => {
    const { InMemoryTransport } = await import('@modelcontextprotocol/sdk/inMemory.js');
    for (const scopes of [['read', 'write'], ['read']]) {
      const mcp = createMcpServer({ userId: alice.id, scopes }, database.db);
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await mcp.connect(serverSide);
      const client = new Client({ name: 'orbita-test', version: '1.0.0' });
      await client.connect(clientSide);
      const expected = allTools.filter((t) => scopes.includes('write') || t.annotations.readOnlyHint).map((t) => t.name);
      if (expected.length) expect((await client.listTools()).tools.map((t) => t.name)).toEqual(expected);
      await client.close();
      await mcp.close();
    }
  });
});

describe('/api/mcp (Next.js)', () => {
  const request = (body: unknown, headers: Record<string, string> = {}) =>
    new Request('http://localhost/api/mcp', {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('initializes and lists the tools over Streamable HTTP with a Bearer token', async () => {
    const init = await mcpRoute.POST(
      request({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } } }),
    );
    expect(init.status).toBe(200);
    const initBody = await init.json();
    expect(initBody).toMatchObject({ jsonrpc: '2.0', id: 1, result: { serverInfo: { name: 'orbita' }, capabilities: { tools: {} } } });
    const version = initBody.result.protocolVersion as string;

    const list = await mcpRoute.POST(request({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { 'mcp-protocol-version': version }));
    expect(list.status).toBe(200);
    const listBody = await list.json();
    expect(listBody.result.tools.map((t: { name: string }) => t.name)).toEqual(allTools.map((t) => t.name));
  });

  it('is 401 without a valid token, 400 on bad JSON, 405 on GET', async () => {
    const missing = await mcpRoute.POST(request({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: 'Bearer ' }));
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await mcpRoute.POST(request({}, { authorization: `Bearer ${revoked}` }))).status).toBe(401);
    const bad = await mcpRoute.POST(request('nope'));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: -32700 } });
    expect(mcpRoute.GET().status).toBe(405);
  });
});

describe.each(['standalone /mcp', 'Next.js /api/mcp'] as const)('Streamable HTTP rules on %s', (door) => {
  const jsonHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

  /** POSTs `body` (a string is sent as is) and reads the status and the JSON answer (null when empty). */
  async function post(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
    const init = {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, ...jsonHeaders, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    };
    const response = door === 'standalone /mcp' ? await fetch(`${server.url}/mcp`, init) : await mcpRoute.POST(new Request('http://localhost/api/mcp', init));
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null };
  }
  const listCall = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/list' });

  it('needs an Accept of both JSON and event streams (406) and a JSON body type (415)', async () => {
    expect(await post(listCall(1), { accept: 'application/json' })).toMatchObject({ status: 406, json: { error: { code: -32000, message: expect.stringContaining('Not Acceptable') } } });
    expect(await post(listCall(1), { 'content-type': 'text/plain' })).toMatchObject({ status: 415, json: { error: { code: -32000 } } });
    expect((await post(listCall(1), { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it('answers a batch in request order, a notification with 202 and no body', async () => {
    const batch = await post([listCall(7), { jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', id: 'second', method: 'ping' }]);
    expect(batch.status).toBe(200);
    expect(batch.json).toMatchObject([{ id: 7, result: { tools: expect.any(Array) } }, { id: 'second', result: {} }]);
    expect(await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).toEqual({ status: 202, json: null });
  });

  it('rejects malformed JSON-RPC, oversized batches, repeated ids, initialize in a batch and unknown protocol versions', async () => {
    expect(await post({ hello: 'world' })).toMatchObject({ status: 400, json: { error: { code: -32700 }, id: null } });
    expect(await post(Array.from({ length: 101 }, (_, i) => listCall(i)))).toMatchObject({ status: 400, json: { error: { code: -32600 } } });
    expect(await post([listCall(1), listCall(1)])).toMatchObject({ status: 400, json: { error: { code: -32600, message: expect.stringContaining('unique') } } });
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
    expect(await post([initialize, listCall(2)])).toMatchObject({ status: 400, json: { error: { code: -32600 } } });
    expect(await post(listCall(1), { 'mcp-protocol-version': '1999-01-01' })).toMatchObject({ status: 400, json: { error: { message: expect.stringContaining('Unsupported protocol version') } } });
  });

  it('answers an unknown tool and an unknown method with JSON-RPC errors, never a crash', async () => {
    const unknownTool = await post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } });
    expect(unknownTool.status).toBe(200);
    expect(JSON.stringify(unknownTool.json)).toContain('no_such_tool');
    expect(await post({ jsonrpc: '2.0', id: 4, method: 'no/such/method' })).toMatchObject({ status: 200, json: { id: 4, error: { code: -32601 } } });
  });
});

describe('the time zone remembered with a token', () => {
  it('read-only tools may use it until the auth cache lapses; write tools always read the current zone', async () => {
    const zed = await userWithToken(database.db, 'Zed', 'Europe/Berlin');
    const cached = await startMcpHttpServer({ db: database.db, host: '127.0.0.1', port: 0, tools: testTools, authCacheMs: 300 });
    const client = new Client({ name: 'orbita-test', version: '1.0.0' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`${cached.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${zed.token}` } } }));
      // 1 January: Berlin is +01:00, New York −05:00.
      const created = await call(client, 'test_task_create', { title: 'Zoned', due: '2027-01-01T09:00' });
      expect((created.structuredContent as { due: string }).due).toBe('2027-01-01T09:00:00+01:00');

      await database.db.user.update({ where: { id: zed.id }, data: { timeZone: 'America/New_York' } });
      const written = await call(client, 'test_task_create', { title: 'After the move', due: '2027-01-01T09:00' });
      expect((written.structuredContent as { due: string }).due).toBe('2027-01-01T09:00:00-05:00');

      await new Promise((resolve) => setTimeout(resolve, 350));
      const listed = await call(client, 'test_task_list', { sort: 'created' });
      const dues = (listed.structuredContent as { items: { title: string; due: string }[] }).items.map((task) => `${task.title} ${task.due}`);
      expect(dues.sort()).toEqual(['After the move 2027-01-01T09:00:00-05:00', 'Zoned 2027-01-01T03:00:00-05:00']);
    } finally {
      await client.close();
      await cached.close(500);
    }
  });
});
