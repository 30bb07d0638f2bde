import fc from 'fast-check';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { resetConfig } from '../../lib/config';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { errorCodes } from '../../lib/errors';
import { openApiDocument } from '../../lib/http/openapi';
import { allTools } from '../../mcp/tools';
import { startFakeGoogle, type FakeGoogle } from '../fakes/google/server';
import { connectGoogle, useFakeGoogleEnv } from '../helpers/calendar';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import {
  anyString,
  authorization,
  bodyFor,
  contentType,
  extraHeaders,
  headerString,
  type JsonSchema,
  junk,
  nastyString,
  nearValid,
  objectFor,
  queryFor,
  rawBody,
  serializeEntries,
} from './arbitraries';
import { fillPath, type HttpMethod, openApiPath, restRoutes, type RestRoute } from './doors';
import { type SeededUser, seedUser, snapshot } from './seed';

/**
 * Issue 10, part 2 — fuzzing. fast-check generates bodies, query strings, path params and headers
 * for every REST route (every `app/api/**\/route.ts`, called in-process) and every MCP tool (JSON-RPC
 * `tools/call` through `POST /api/mcp`, plus malformed envelopes). Every answer must be < 500; a
 * REST 4xx must be `{ error: { code, message } }` with a known code; MCP must answer a JSON-RPC
 * error or a tool result (isError with a known code for failures) — never a crash; and nothing may
 * end in an unhandled rejection. The caller is user B; user A's rows must not change.
 *
 * FUZZ_SEED (default 20261128) and FUZZ_RUNS (total requests, default 11000) override the run;
 * FUZZ_SHRINK=1 shrinks a failure to a minimal input (slower).
 */

const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock('next-auth', async (importOriginal) => {
  const original = await importOriginal<typeof import('next-auth')>();
  return { ...original, getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null) };
});
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ host: 'localhost:3000' }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false, set: () => {}, delete: () => {} }),
}));

const seed = Number(process.env.FUZZ_SEED ?? 20261128);
const totalRuns = Number(process.env.FUZZ_RUNS ?? 11_000);
const shrink = process.env.FUZZ_SHRINK === '1';
/** Share of the requests that go to REST routes (the rest go to MCP). */
const restShare = 0.7;

const envNames = ['DATABASE_URL', 'ORBITA_USER_ID', 'OUTBOX_PROCESSOR_ENABLED', 'STRIPE_API_KEY', 'STRIPE_WEBHOOK_SECRET', 'MCP_AUTH_TOKEN'];
const savedEnv = Object.fromEntries(envNames.map((name) => [name, process.env[name]]));
const knownCodes = new Set<string>(errorCodes);

let database: TestDatabase;
let alice: SeededUser;
let bob: SeededUser;
let google: FakeGoogle;
let restoreGoogleEnv: () => void;
let aliceBefore: Record<string, unknown[]>;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => void rejections.push(reason);
const counts = { rest: 0, mcp: 0 };
/** Answers by status (REST) and by kind (MCP), printed so a run shows how deep the inputs got. */
const answers = { rest: new Map<string, number>(), mcp: new Map<string, number>() };
const tally = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
const histogram = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`).join(', ');

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  database = await createTestDatabase();
  delete process.env.STRIPE_API_KEY;
  delete process.env.STRIPE_WEBHOOK_SECRET;
  delete process.env.MCP_AUTH_TOKEN;
  process.env.DATABASE_URL = database.url;
  process.env.OUTBOX_PROCESSOR_ENABLED = 'false';
  resetConfig();
  connectDatabase(database.url);
  alice = await seedUser(database.db, 'Alice');
  bob = await seedUser(database.db, 'Bob');
  google = await startFakeGoogle();
  restoreGoogleEnv = useFakeGoogleEnv(google);
  await connectGoogle(database.db, bob.id, google);
  aliceBefore = await snapshot(database.db, alice);
  console.info(`fuzz: seed ${seed} (FUZZ_SEED), ${totalRuns} requests (FUZZ_RUNS)`);
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  restoreGoogleEnv?.();
  await google?.close();
  await disconnectDb();
  await database?.drop();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfig();
});

interface Failure {
  door: string;
  problem: string;
  input: string;
  replay: string;
}

/** What is wrong with a REST answer (null: nothing). */
function restProblem(route: RestRoute, status: number, contentTypeHeader: string | null, text: string): string | null {
  if (status >= 500) return `status ${status}: ${text.slice(0, 300)}`;
  // The MCP endpoint speaks JSON-RPC (fuzzed as the MCP door below); its HTTP answers follow those rules.
  if (route.path === '/api/mcp') return status >= 400 ? mcpProblem(status, text) : null;
  if (status >= 400) {
    // The ICS feed answers calendar apps in text/plain (its 404 is "not found", like a bad token).
    if (route.path === '/api/ics/[file]') return status === 404 && text === 'not found\n' ? null : `ICS feed answered ${status}: ${text.slice(0, 200)}`;
    if (!contentTypeHeader?.includes('application/json')) return `${status} is not JSON (${contentTypeHeader}): ${text.slice(0, 200)}`;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return `${status} body is not JSON: ${text.slice(0, 200)}`;
    }
    const error = (body as { error?: Record<string, unknown> })?.error;
    if (!error || Object.keys(body as object).length !== 1) return `${status} body is not { error }: ${text.slice(0, 200)}`;
    if (typeof error.code !== 'string' || !knownCodes.has(error.code)) return `${status} has an unknown error code: ${text.slice(0, 200)}`;
    if (typeof error.message !== 'string' || !error.message) return `${status} has no message: ${text.slice(0, 200)}`;
    const extra = Object.keys(error).filter((key) => !['code', 'message', 'details'].includes(key));
    if (extra.length) return `${status} error has extra keys ${extra.join(', ')}`;
    return null;
  }
  if (contentTypeHeader?.includes('application/json') && text) {
    try {
      JSON.parse(text);
    } catch {
      return `${status} claims JSON but is not: ${text.slice(0, 200)}`;
    }
  }
  return null;
}

/** `200 result`, `200 isError validation_error`, `200 rpc -32602`, `401`, … */
function mcpKind(status: number, text: string): string {
  try {
    const body = JSON.parse(text);
    const first = Array.isArray(body) ? body[0] : body;
    if (first?.error) return `${status} rpc ${first.error.code}`;
    if (first?.result?.isError) return `${status} isError ${first.result.structuredContent?.error?.code ?? 'schema'}`;
    return `${status} result`;
  } catch {
    return String(status);
  }
}

/** The problem with an MCP answer (null: nothing). */
function mcpProblem(status: number, text: string): string | null {
  if (status >= 500) return `status ${status}: ${text.slice(0, 300)}`;
  if (status === 202) return text === '' ? null : `202 with a body: ${text.slice(0, 200)}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${status} body is not JSON: ${text.slice(0, 200)}`;
  }
  // Refusals before any JSON-RPC is read (401, a cross-site cookie's 403, a rate limit's 429) use the REST error shape.
  const httpError = (body as { error?: { code?: unknown; message?: unknown } }).error;
  if (status >= 400 && typeof httpError?.code === 'string') {
    return knownCodes.has(httpError.code) && typeof httpError.message === 'string' ? null : `${status} with an unknown error: ${text.slice(0, 200)}`;
  }
  const messages = Array.isArray(body) ? body : [body];
  for (const message of messages as { jsonrpc?: string; result?: Record<string, unknown>; error?: { code?: unknown; message?: unknown } }[]) {
    if (message?.jsonrpc !== '2.0') return `${status} is not JSON-RPC: ${text.slice(0, 200)}`;
    if (message.error) {
      if (typeof message.error.code !== 'number' || typeof message.error.message !== 'string') return `malformed JSON-RPC error: ${text.slice(0, 200)}`;
      if (message.error.code === -32603) return `JSON-RPC internal error: ${text.slice(0, 300)}`;
      continue;
    }
    if (status >= 400) return `${status} without a JSON-RPC error: ${text.slice(0, 200)}`;
    const result = message.result;
    if (!result) return `neither result nor error: ${text.slice(0, 200)}`;
    if (result.isError) {
      const code = (result.structuredContent as { error?: { code?: string } } | undefined)?.error?.code;
      const content = JSON.stringify(result.content ?? '');
      if (code !== undefined) {
        if (!knownCodes.has(code)) return `tool error with code ${code}: ${content.slice(0, 300)}`;
      } else if (!/MCP error -32602|Input validation error|not found/i.test(content)) {
        return `tool error without a code: ${content.slice(0, 300)}`;
      }
    }
  }
  return null;
}

/** Runs `property` `runs` times; a failure is recorded (with the seed to replay it), not thrown. */
async function fuzz<T>(door: string, arbitrary: fc.Arbitrary<T>, runs: number, check: (input: T) => Promise<string | null>, failures: Failure[]) {
  let last: T | undefined;
  let problem: string | null = null;
  const result = await fc.check(
    fc.asyncProperty(arbitrary, async (input) => {
      last = input;
      problem = await check(input);
      return problem === null;
    }),
    { seed, numRuns: runs, endOnFailure: !shrink },
  );
  if (result.failed) {
    const input = JSON.stringify(result.counterexample?.[0] ?? last, (_k, v) => (typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}…(${v.length} chars)` : v));
    failures.push({
      door,
      problem: problem ?? String(result.errorInstance ?? 'property failed'),
      input: input?.slice(0, 600) ?? '',
      replay: `FUZZ_SEED=${seed} (fast-check seed ${result.seed}, path ${result.counterexamplePath})`,
    });
  }
}

const report = (failures: Failure[]) => failures.map((f) => `${f.door}: ${f.problem}\n  input: ${f.input}\n  replay: ${f.replay}`).join('\n\n');

/**
 * Routes the REST fuzzer leaves out, and why. next-auth's handler reads cookies through Next.js's
 * request scope (next/headers inside next-auth itself), which exists only under `next start`: the
 * Playwright suite covers sign-in; its own input handling is next-auth's.
 */
const notFuzzed: Record<string, string> = {
  '/api/auth/[...nextauth]': 'next-auth needs the Next.js request scope (covered by e2e sign-in)',
};

/** Lone surrogates replaced: a decoded URL never holds them. */
const wellFormed = (text: string) => text.replace(/[\uD800-\uDFFF]/gu, '\uFFFD');

interface RestInput {
  params: Record<string, string | string[]>;
  query: string;
  body: string;
  authorization: string | null;
  contentType: string | null;
  extra: Record<string, string>;
  withSession: boolean;
}

describe('fuzzing', () => {
  it(`REST: every route answers < 500 and every 4xx is { error: { code, message } }`, { timeout: 600_000 }, async () => {
    const routes = await restRoutes();
    const doc = openApiDocument() as { paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: JsonSchema } } }; parameters?: { name: string; in: string; schema?: JsonSchema }[] }>> };
    const handlers = routes
      .filter((route) => !notFuzzed[route.path])
      .flatMap((route) => (Object.keys(route.handlers) as HttpMethod[]).map((method) => ({ route, method })));
    const runsEach = Math.ceil((totalRuns * restShare) / handlers.length);
    const failures: Failure[] = [];
    const started = performance.now();

    const ids = [bob, alice].flatMap((user) => Object.values(user.ids).flatMap((id) => [id, id.slice(0, 8), id.slice(0, 1), id.toUpperCase()]));
    const paramValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.uuid() }, { weight: 2, arbitrary: anyString }, { weight: 1, arbitrary: nastyString });

    for (const { route, method } of handlers) {
      const operation = doc.paths[openApiPath(route) ?? '']?.[method.toLowerCase()];
      const bodySchema = operation?.requestBody?.content['application/json'].schema;
      const queryParameters = (operation?.parameters ?? []).filter((p) => p.in === 'query');
      const params = fc.record(
        Object.fromEntries(
          route.params.map((p) => [
            p.name,
            p.catchAll
              ? fc.array(fc.oneof(fc.constantFrom('signin', 'callback', 'session', 'csrf', 'providers', 'signout', 'credentials', 'google', 'error'), anyString), { minLength: 1, maxLength: 3 })
              : p.name === 'file'
                ? fc.oneof(paramValue.map((v) => `${v}.ics`), paramValue)
                : paramValue,
          ]),
        ) as Record<string, fc.Arbitrary<string | string[]>>,
      );
      const input: fc.Arbitrary<RestInput> = fc.record({
        params,
        query: queryFor(queryParameters),
        body: method === 'GET' || method === 'DELETE' ? fc.constant('') : bodyFor(bodySchema),
        authorization: authorization(bob.token, bob.readToken, alice.token),
        contentType,
        extra: extraHeaders,
        withSession: fc.boolean(),
      });
      const door = `${method} ${route.path}`;
      // The Stripe webhook only does work when Stripe is configured: fuzz it configured.
      const stripe = route.path === '/api/webhooks/stripe';
      if (stripe) {
        process.env.STRIPE_API_KEY = 'sk_test_fuzz';
        process.env.STRIPE_WEBHOOK_SECRET = 'whsec_fuzz';
        resetConfig();
      }
      try {
        await fuzz(
          door,
          input,
          runsEach,
          async (i) => {
            const headers = new Headers(i.extra);
            if (i.authorization !== null) headers.set('authorization', i.authorization);
            if (i.contentType !== null) headers.set('content-type', i.contentType);
            session.userId = i.withSession ? bob.id : null;
            // Next.js hands handlers a NextRequest and the decoded path params (always well-formed text).
            const params = Object.fromEntries(Object.entries(i.params).map(([k, v]) => [k, Array.isArray(v) ? v.map(wellFormed) : wellFormed(v)]));
            const request = new NextRequest(`http://localhost${fillPath(route, params)}${i.query}`, { method, headers, body: i.body === '' && (method === 'GET' || method === 'DELETE') ? undefined : i.body });
            counts.rest++;
            const response = await route.handlers[method]!(request, { params: Promise.resolve(params) });
            const text = await response.text();
            tally(answers.rest, String(response.status));
            return restProblem(route, response.status, response.headers.get('content-type'), text);
          },
          failures,
        );
      } finally {
        session.userId = null;
        if (stripe) {
          delete process.env.STRIPE_API_KEY;
          delete process.env.STRIPE_WEBHOOK_SECRET;
          resetConfig();
        }
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(`fuzz REST: ${counts.rest} requests over ${handlers.length} handlers of ${routes.length} route files (${runsEach} each) in ${seconds}s; statuses ${histogram(answers.rest)}; not fuzzed: ${Object.entries(notFuzzed).map(([path, why]) => `${path} (${why})`).join('; ')}`);
    expect(failures, `REST fuzzing found problems (replay with the seed shown):\n\n${report(failures)}`).toEqual([]);
    expect(rejections, 'unhandled rejections during REST fuzzing').toEqual([]);
  });

  it('MCP: every tool answers a JSON-RPC error or a tool result, never a crash', { timeout: 600_000 }, async () => {
    const mcpRoute = await import('../../app/api/mcp/route');
    const failures: Failure[] = [];
    const started = performance.now();
    const envelopes = Math.ceil(totalRuns * (1 - restShare) * 0.1);
    const runsEach = Math.ceil((totalRuns * (1 - restShare) - envelopes) / allTools.length);
    const accept = fc.oneof({ weight: 9, arbitrary: fc.constant('application/json, text/event-stream') }, { weight: 1, arbitrary: fc.constantFrom('application/json', '*/*', '', 'text/event-stream') });
    const protocol = fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('2025-06-18', '2025-03-26') }, { weight: 1, arbitrary: headerString(12) });
    const ids = [bob, alice].flatMap((user) => Object.values(user.ids).flatMap((id) => [id, id.slice(0, 8)]));

    interface McpInput {
      body: string;
      authorization: string | null;
      accept: string;
      contentType: string | null;
      protocol: string | null;
    }

    const send = async (i: McpInput) => {
      const headers = new Headers({ accept: i.accept });
      if (i.authorization !== null) headers.set('authorization', i.authorization);
      if (i.contentType !== null) headers.set('content-type', i.contentType);
      if (i.protocol !== null) headers.set('mcp-protocol-version', i.protocol);
      counts.mcp++;
      const response = await mcpRoute.POST(new Request('http://localhost/api/mcp', { method: 'POST', headers, body: i.body }));
      const text = await response.text();
      tally(answers.mcp, mcpKind(response.status, text));
      return mcpProblem(response.status, text);
    };
    const common = {
      authorization: authorization(bob.token, bob.readToken, alice.token),
      accept,
      contentType: fc.oneof({ weight: 9, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentType }),
      protocol,
    };

    for (const tool of allTools) {
      const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
      // Id fields get real ids (B's and A's, full and prefixes) as often as junk.
      const withIds: JsonSchema = {
        ...schema,
        properties: Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, property]) => [key, /^(id|referenceId|prefix)$/.test(key) ? { anyOf: [property, { enum: ids }] } : property])),
      };
      const args = fc.oneof({ weight: 4, arbitrary: nearValid(withIds).map(serializeEntries) }, { weight: 4, arbitrary: objectFor(withIds).map(serializeEntries) }, { weight: 1, arbitrary: rawBody.filter((text) => text.length < 200_000) }, { weight: 1, arbitrary: junk.map((v) => JSON.stringify(v) ?? 'null') });
      const body = fc.tuple(args, fc.oneof(fc.integer(), fc.string({ maxLength: 10 }))).map(([a, id]) => {
        const argsText = (() => {
          try {
            JSON.parse(a);
            return a;
          } catch {
            return JSON.stringify(a); // invalid JSON arguments travel as a string
          }
        })();
        return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"method":"tools/call","params":{"name":${JSON.stringify(tool.name)},"arguments":${argsText}}}`;
      });
      await fuzz(`tools/call ${tool.name}`, fc.record({ body, ...common }), runsEach, send, failures);
    }

    // Malformed envelopes: unknown methods and tools, odd ids, batches, params of the wrong type.
    const method = fc.constantFrom('tools/call', 'tools/list', 'initialize', 'ping', 'resources/read', 'resources/list', 'prompts/get', 'prompts/list', 'notifications/initialized', 'completion/complete', 'logging/setLevel', 'nope', '', '__proto__');
    const message = fc.record(
      {
        jsonrpc: fc.oneof({ weight: 9, arbitrary: fc.constant('2.0') }, { weight: 1, arbitrary: junk }),
        id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), junk),
        method,
        params: fc.oneof(
          junk,
          fc.record({ name: fc.oneof(fc.constantFrom(...allTools.map((t) => t.name), 'no_such_tool', '__proto__'), junk), arguments: junk }, { requiredKeys: [] }),
          fc.record({ uri: fc.oneof(fc.constantFrom('orbita://schedule/today', 'orbita://tasks/open', 'orbita://nope', 'file:///etc/passwd'), anyString) }),
          fc.record({ name: fc.constantFrom('daily_planning', 'weekly_review', 'nope'), arguments: fc.dictionary(fc.constantFrom('date', 'weekOf', '__proto__'), junk) }),
          fc.record({ protocolVersion: fc.oneof(fc.constantFrom('2025-06-18', '2024-11-05'), anyString), capabilities: junk, clientInfo: junk }, { requiredKeys: [] }),
        ),
      },
      { requiredKeys: ['jsonrpc', 'method'] },
    );
    const envelope = fc.oneof(
      { weight: 5, arbitrary: message.map((m) => JSON.stringify(m)) },
      { weight: 2, arbitrary: fc.array(message, { minLength: 1, maxLength: 5 }).map((m) => JSON.stringify(m)) },
      { weight: 1, arbitrary: rawBody.filter((text) => text.length < 200_000) },
    );
    await fuzz('JSON-RPC envelopes', fc.record({ body: envelope, ...common }), envelopes, send, failures);

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(`fuzz MCP: ${counts.mcp} requests over ${allTools.length} tools (${runsEach} each) + ${envelopes} envelopes in ${seconds}s; answers ${histogram(answers.mcp)}`);
    expect(failures, `MCP fuzzing found problems (replay with the seed shown):\n\n${report(failures)}`).toEqual([]);
    expect(rejections, 'unhandled rejections during MCP fuzzing').toEqual([]);
  });

  it('the inputs fuzzing found stay answered with 4xx / JSON-RPC errors (regressions)', async () => {
    const routes = await restRoutes();
    const rest = async (method: HttpMethod, path: string, url: string, body?: string) => {
      const route = routes.find((r) => r.path === path)!;
      const response = await route.handlers[method]!(
        new NextRequest(`http://localhost${url}`, { method, headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' }, body }),
        { params: Promise.resolve({}) },
      );
      const text = await response.text();
      return { status: response.status, problem: restProblem(route, response.status, response.headers.get('content-type'), text), text };
    };
    const mcpRoute = await import('../../app/api/mcp/route');
    const rpc = async (message: unknown) => {
      const response = await mcpRoute.POST(
        new Request('http://localhost/api/mcp', {
          method: 'POST',
          headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          body: JSON.stringify(message),
        }),
      );
      const text = await response.text();
      return { problem: mcpProblem(response.status, text), body: JSON.parse(text) };
    };
    // Years 0–1 and past 9999: the database cannot hold those instants (was a 500 / internal_error).
    for (const url of ['/api/v1/schedule/day?date=0000-01-01', '/api/v1/schedule/week?date=0001-01-01', '/api/v1/schedule/free?date=0001-01-01', '/api/v1/tasks?dueBefore=0001-01-01', '/api/v1/schedule/blocks?from=0001-01-01']) {
      const answer = await rest('GET', url.split('?')[0], url);
      expect({ url, status: answer.status, problem: answer.problem }).toEqual({ url, status: 400, problem: null });
      expect(answer.text).toMatch(/must be in the years 1000–9000/);
    }
    expect(await rest('POST', '/api/v1/tasks', '/api/v1/tasks', JSON.stringify({ title: 'x', due: '0001-01-01' }))).toMatchObject({ status: 400, problem: null });
    // A NUL character in any text (PostgreSQL cannot store it; was a 500).
    expect(await rest('POST', '/api/v1/habits', '/api/v1/habits', JSON.stringify({ name: 'a\u0000b' }))).toMatchObject({ status: 400, problem: null });
    // A calendar id that cannot go into Google's URLs (was 503 "Google unreachable"), and one Google does not know (was 502).
    for (const path of ['/api/v1/calendar/sync', '/api/v1/calendar/import']) {
      expect(await rest('POST', path, path, JSON.stringify({ calendar: '\ud800' }))).toMatchObject({ status: 400, problem: null });
    }
    expect(await rest('POST', '/api/v1/calendar/import', '/api/v1/calendar/import', JSON.stringify({ calendar: 'no-such-calendar@group.calendar.google.com' }))).toMatchObject({
      status: 400,
      problem: null,
    });
    const tool = (name: string, args: unknown) => rpc({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
    expect(await tool('schedule_export_ics', { from: '9999-12-31', days: 366 })).toMatchObject({ problem: null, body: { result: { isError: true, content: [{ text: expect.stringContaining('1000–9000') }] } } });
    expect(await tool('habit_create', { name: '\u0000' })).toMatchObject({ problem: null, body: { result: { isError: true, structuredContent: { error: { code: 'validation_error' } } } } });
    // Params that do not match the method's schema, and a resource uri that is not a URL: -32602, not -32603.
    expect(await tool('task_list', [])).toMatchObject({ problem: null, body: { error: { code: -32602, message: expect.stringContaining('params.arguments') } } });
    expect(await rpc({ jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'not a uri' } })).toMatchObject({ problem: null, body: { error: { code: -32602 } } });
  });

  it('made at least 10,000 requests in total, left user A\'s data alone and had no unhandled rejection', async () => {
    // Let late rejections surface before counting them.
    await new Promise((resolve) => setTimeout(resolve, 50));
    console.info(`fuzz total: ${counts.rest + counts.mcp} requests (REST ${counts.rest}, MCP ${counts.mcp}); seed ${seed}`);
    if (totalRuns >= 10_000) expect(counts.rest + counts.mcp).toBeGreaterThanOrEqual(10_000);
    expect(rejections).toEqual([]);
    expect(await snapshot(database.db, alice)).toEqual(aliceBefore);
  });
});
