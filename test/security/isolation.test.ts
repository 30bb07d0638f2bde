import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { resetConfig } from '../../lib/config';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { toAppError } from '../../lib/http/errors';
import { operations } from '../../lib/http/openapi';
import { encodeCursor } from '../../lib/shared/pagination';
import { allTools } from '../../mcp/tools';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { classifyCliArgument, classifyCliOption, classifyField, classifyPathParam, type IdSlot, idLikeField, pathOwner, toolOwner } from './classify';
import { buildCliProgram, cliCommands, fillPath, type HttpMethod, openApiPath, restRoutes, serverActions } from './doors';
import { type Entity, secretsOf, type SeededUser, seedUser, snapshot, zone } from './seed';

/**
 * Issue 10, part 1 — the isolation matrix. User A (Alice) owns one of everything; user B (Bob)
 * calls every REST route, MCP tool, CLI command and dashboard server action that takes an id with
 * A's ids (full uuid and a unique prefix) and must get "not found" — and A's rows must be exactly
 * as they were. The doors are enumerated at run time (doors.ts), so new ones are covered.
 */

// Server actions and cookie-authenticated routes ask next-auth for the session; here it is B's.
// (This mocks the door's session lookup, not the code under test.)
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock('next-auth', async (importOriginal) => {
  const original = await importOriginal<typeof import('next-auth')>();
  return { ...original, getServerSession: async () => (session.userId ? { user: { id: session.userId } } : null) };
});
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock('next/headers', () => ({
  headers: async () => new Headers({ host: 'localhost:3000' }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock('next/navigation', () => ({
  redirect: (url: string) => {
    throw new Error(`NEXT_REDIRECT ${url}`);
  },
  notFound: () => {
    throw new Error('NEXT_NOT_FOUND');
  },
}));

const envNames = ['DATABASE_URL', 'ORBITA_USER_ID', 'OUTBOX_PROCESSOR_ENABLED', 'STRIPE_API_KEY', 'STRIPE_WEBHOOK_SECRET', 'MCP_AUTH_TOKEN'];
const savedEnv = Object.fromEntries(envNames.map((name) => [name, process.env[name]]));

let database: TestDatabase;
let alice: SeededUser;
let bob: SeededUser;
let before: Record<string, unknown[]>;
const tomorrow = () => DateTime.now().setZone(zone).plus({ days: 1 }).toISODate()!;

beforeAll(async () => {
  database = await createTestDatabase();
  delete process.env.STRIPE_API_KEY; // self-hosted: every module on, so module gates never answer first
  delete process.env.MCP_AUTH_TOKEN;
  process.env.DATABASE_URL = database.url; // the CLI (in-process) and db() use it
  process.env.OUTBOX_PROCESSOR_ENABLED = 'false';
  resetConfig();
  connectDatabase(database.url);
  alice = await seedUser(database.db, 'Alice');
  bob = await seedUser(database.db, 'Bob');
  before = await snapshot(database.db, alice);
});

afterAll(async () => {
  await disconnectDb();
  await database?.drop();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfig();
});

/** A's id of `entity` as a door receives it: the full uuid, a unique prefix, or a list cursor. */
function variants(slot: IdSlot, entity: Entity): { label: string; value: string }[] {
  const id = alice.ids[entity];
  if (slot.expect === 'validation_error') return [{ label: `cursor of ${entity}`, value: encodeCursor(id) }];
  const out = [{ label: `${entity} uuid`, value: id }];
  if (slot.prefixes) out.push({ label: `${entity} prefix`, value: id.slice(0, 8) }, { label: `${entity} PREFIX`, value: id.slice(0, 13).toUpperCase() });
  return out;
}

/** A body that is valid apart from the id, so the answer is about the id and not the rest. */
const validBodies: Record<string, unknown> = {
  'PATCH /api/v1/tasks/[id]': { title: 'hacked' },
  'PATCH /api/v1/habits/[id]': { name: 'hacked' },
  'PATCH /api/v1/meetings/[id]': { name: 'hacked' },
  'PATCH /api/v1/schedule/blocks/[id]': { start: '12:00', end: '13:00' },
};

/** Input beside an id field (REST bodies without a path id, tool arguments), by door and entity. */
function inputBeside(door: string, field: string, entity: Entity): Record<string, unknown> {
  if (field === 'referenceId') return { type: entity, title: 'hijack', date: tomorrow(), start: '14:00', end: '15:00' };
  const byDoor: Record<string, Record<string, unknown>> = {
    task_update: { title: 'hacked' },
    habit_update: { name: 'hacked' },
    meeting_update: { name: 'hacked' },
    schedule_move: { start: '12:00', end: '13:00' },
  };
  return byDoor[door] ?? {};
}

const cliExtras = (): Record<string, string[]> => ({
  'task update': ['--title', 'hacked'],
  'habit update': ['--name', 'hacked'],
  'meeting update': ['--name', 'hacked'],
  'schedule move': ['--start', '12:00', '--end', '13:00'],
  'schedule add': ['--title', 'hijack', '--date', tomorrow(), '--start', '14:00', '--end', '15:00'],
});

/** Arguments after the id (default: 1 for a `version`, `{}` for anything else). */
const actionExtras: Record<string, unknown[]> = {
  moveBlockAction: [{ start: '12:00', end: '13:00' }],
  updateTaskAction: [1, { title: 'hacked' }],
  updateMeetingAction: [{ cadence: 'monthly', intervalDays: '', durationMinutes: '45' }],
};

interface Outcome {
  door: string;
  expect: IdSlot['expect'];
  /** The error code the door answered with (null: it succeeded). */
  code: string | null;
  text: string;
}

/** Fails listing every attempt that did not answer as expected, or leaked A's data. */
function expectIsolated(outcomes: Outcome[], minimum: number) {
  const secrets = secretsOf(alice, 'Alice');
  const wrong = outcomes
    .filter((o) => o.code !== o.expect || secrets.some((secret) => o.text.includes(secret)))
    .map((o) => `${o.door} → ${o.code ?? 'success'}: ${o.text.slice(0, 200)}`);
  expect(wrong, `B reached A's data through:\n${wrong.join('\n')}`).toEqual([]);
  expect(outcomes.length).toBeGreaterThanOrEqual(minimum);
}

/** How many answers show some of `user`'s data. */
const shows = (answers: { text: string }[], user: SeededUser, name: string) => answers.filter((a) => secretsOf(user, name).some((secret) => a.text.includes(secret))).length;

/** Answers that contain any of A's data (names, titles, notes). */
function leaksIn(answers: { door: string; text: string }[]): string[] {
  const secrets = secretsOf(alice, 'Alice');
  return answers.filter((a) => secrets.some((secret) => a.text.includes(secret))).map((a) => `${a.door} showed A's data: ${a.text.slice(0, 200)}`);
}

async function expectAliceUnchanged() {
  expect(await snapshot(database.db, alice)).toEqual(before);
}

/** A JSON body as text, or `undefined` for methods without one. */
const bodyFor = (method: HttpMethod, body: unknown) => (method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(body ?? {}));

describe('isolation matrix', () => {
  it('REST: every route taking an id answers 404 (or 400 for a cursor) to another user, and changes nothing', async () => {
    const routes = await restRoutes();
    const unknown: string[] = [];
    const outcomes: Outcome[] = [];
    const exempt: string[] = [];
    const controls: { door: string; code: string | null; text: string }[] = [];
    const reads: { door: string; code: string | null; text: string }[] = [];

    const call = async (method: HttpMethod, route: (typeof routes)[number], params: Record<string, string>, body: unknown, query = '') => {
      const handler = route.handlers[method]!;
      const url = `http://localhost${fillPath(route, params)}${query}`;
      const response = await handler(
        new Request(url, { method, headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' }, body: bodyFor(method, body) }),
        { params: Promise.resolve(params) },
      );
      const text = await response.text();
      let code: string | null = null;
      try {
        code = response.status >= 400 ? (JSON.parse(text).error?.code ?? `status ${response.status}`) : null;
      } catch {
        code = `status ${response.status} (not JSON)`;
      }
      return { code, text };
    };

    for (const route of routes) {
      // 1. Path params.
      const slots: { name: string; slot: IdSlot }[] = [];
      let skip = false;
      for (const param of route.params) {
        const c = classifyPathParam(param, route.path);
        if ('unknown' in c) unknown.push(c.unknown);
        else if ('exempt' in c) {
          exempt.push(`${route.path} [${param.name}]: ${c.exempt}`);
          skip = true;
        } else slots.push({ name: param.name, slot: c.slot });
      }
      if (!skip && slots.length) {
        if (slots.length > 1) unknown.push(`${route.path}: several id params — extend the REST matrix in test/security/isolation.test.ts`);
        const [{ name, slot }] = slots;
        for (const method of Object.keys(route.handlers) as HttpMethod[]) {
          // Control: the same read with B's own row succeeds, so a 404 above is about the owner.
          if (method === 'GET') controls.push({ door: `GET ${route.path} (B's own)`, ...(await call(method, route, { [name]: bob.ids[slot.entities[0]].slice(0, 8) }, undefined)) });
          for (const entity of slot.entities) {
            for (const variant of variants(slot, entity)) {
              const result = await call(method, route, { [name]: variant.value }, validBodies[`${method} ${route.path}`] ?? {});
              outcomes.push({ door: `${method} ${route.path} (${variant.label})`, expect: slot.expect, ...result });
            }
          }
        }
      }

      // Lists and views (GET without an id) show B nothing of A's.
      if (route.params.length === 0 && route.handlers.GET) {
        const seen = await call('GET', route, {}, undefined);
        reads.push({ door: `GET ${route.path}`, ...seen });
      }

      // 2. Id-like fields in the documented body and query of each operation (OpenAPI table).
      const documented = openApiPath(route);
      for (const method of Object.keys(route.handlers) as HttpMethod[]) {
        const op = operations.find((o) => o.path === documented && o.method === method.toLowerCase());
        if (!op) continue;
        for (const [kind, schema] of [['body', op.body], ['query', op.query]] as const) {
          if (!schema) continue;
          const properties = Object.keys((z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: object }).properties ?? {});
          for (const field of properties.filter((f) => idLikeField.test(f))) {
            const where = `${method} ${route.path} ${kind}.${field}`;
            const c = classifyField(field, pathOwner(route.path), where);
            if ('unknown' in c) unknown.push(c.unknown);
            else if ('exempt' in c) exempt.push(`${where}: ${c.exempt}`);
            else {
              // B's own row in the path (e.g. B's habit for /habits/{id}/completions?cursor=…).
              const ownParams = Object.fromEntries(
                route.params.map((p) => {
                  const own = classifyPathParam(p, route.path);
                  return [p.name, 'slot' in own ? bob.ids[own.slot.entities[0]] : 'x'];
                }),
              );
              for (const entity of c.slot.entities) {
                for (const variant of variants(c.slot, entity)) {
                  const result =
                    kind === 'query'
                      ? await call(method, route, ownParams, undefined, `?${field}=${encodeURIComponent(variant.value)}`)
                      : await call(method, route, ownParams, { ...inputBeside(`${method} ${route.path}`, field, entity), [field]: variant.value });
                  outcomes.push({ door: `${where} (${variant.label})`, expect: c.slot.expect, ...result });
                }
              }
            }
          }
        }
      }
    }
    console.info(`isolation REST: ${outcomes.length} attempts over ${routes.length} route files; exempt: ${[...new Set(exempt)].join('; ')}`);
    expect(unknown, `the isolation matrix cannot classify:\n${unknown.join('\n')}`).toEqual([]);
    expect(controls.filter((c) => c.code !== null).map((c) => `${c.door} → ${c.code}: ${c.text.slice(0, 200)}`)).toEqual([]);
    expect(controls.length).toBeGreaterThanOrEqual(5);
    expect(leaksIn(reads)).toEqual([]);
    expect(shows(reads, bob, 'Bob'), 'the reads show B\'s own data (so they would show a leak)').toBeGreaterThanOrEqual(3);
    expectIsolated(outcomes, 40);
    await expectAliceUnchanged();
  });

  it('MCP: every tool taking an id answers not_found to another user through POST /api/mcp, and changes nothing', async () => {
    const mcpRoute = await import('../../app/api/mcp/route');
    const unknown: string[] = [];
    const outcomes: Outcome[] = [];
    const controls: { door: string; code: string | null; text: string }[] = [];
    let rpcId = 0;
    const callTool = async (name: string, args: Record<string, unknown>) => {
      const response = await mcpRoute.POST(
        new Request('http://localhost/api/mcp', {
          method: 'POST',
          headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method: 'tools/call', params: { name, arguments: args } }),
        }),
      );
      const text = await response.text();
      const body = JSON.parse(text);
      const code: string | null = body.result?.isError ? (body.result.structuredContent?.error?.code ?? 'isError') : body.error ? `rpc ${body.error.code}` : null;
      return { code, text };
    };
    const reads: { door: string; code: string | null; text: string }[] = [];
    for (const tool of allTools) {
      const properties = Object.keys((z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as { properties?: object }).properties ?? {});
      // Read-only tools without an id (lists, the schedule, exports) show B nothing of A's.
      if (tool.annotations.readOnlyHint && !properties.some((f) => idLikeField.test(f) && f !== 'cursor')) reads.push({ door: tool.name, ...(await callTool(tool.name, {})) });
      for (const field of properties.filter((f) => idLikeField.test(f))) {
        const c = classifyField(field, toolOwner(tool.name), `tool ${tool.name}.${field}`);
        if ('unknown' in c) unknown.push(c.unknown);
        if (!('slot' in c)) continue;
        const own = field === 'cursor' && tool.name === 'habit_completions' ? { id: bob.ids.habit } : {};
        if (tool.annotations.readOnlyHint && c.slot.expect === 'not_found') {
          controls.push({ door: `${tool.name} (B's own)`, ...(await callTool(tool.name, { ...inputBeside(tool.name, field, c.slot.entities[0]), [field]: bob.ids[c.slot.entities[0]] })) });
        }
        for (const entity of c.slot.entities) {
          for (const variant of variants(c.slot, entity)) {
            const result = await callTool(tool.name, { ...inputBeside(tool.name, field, entity), ...own, [field]: variant.value });
            outcomes.push({ door: `${tool.name}.${field} (${variant.label})`, expect: c.slot.expect, ...result });
          }
        }
      }
    }
    console.info(`isolation MCP: ${outcomes.length} attempts over ${allTools.length} tools`);
    expect(unknown, `the isolation matrix cannot classify:\n${unknown.join('\n')}`).toEqual([]);
    expect(controls.filter((c) => c.code !== null).map((c) => `${c.door} → ${c.code}: ${c.text.slice(0, 200)}`)).toEqual([]);
    expect(controls.length).toBeGreaterThanOrEqual(3);
    expect(leaksIn(reads)).toEqual([]);
    expect(shows(reads, bob, 'Bob'), 'the reads show B\'s own data (so they would show a leak)').toBeGreaterThanOrEqual(3);
    expect(reads.length).toBeGreaterThanOrEqual(5);
    expectIsolated(outcomes, 30);
    await expectAliceUnchanged();
  });

  it('CLI: every command taking an id exits "not found" (4) for another user (ORBITA_USER_ID), and changes nothing', { timeout: 120_000 }, async () => {
    process.env.ORBITA_USER_ID = bob.id;
    resetConfig();
    const unknown: string[] = [];
    const outcomes: Outcome[] = [];
    const controls: { door: string; code: string | null; text: string }[] = [];
    const run = async (argv: string[]) => {
      const program = await buildCliProgram();
      const printed: string[] = [];
      const capture = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
      const log = vi.spyOn(console, 'log').mockImplementation(capture);
      const error = vi.spyOn(console, 'error').mockImplementation(capture);
      const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true));
      let code: string | null = null;
      let exit = 0;
      try {
        await program.parseAsync(['node', 'orbita', ...argv]);
      } catch (failure) {
        const appError = toAppError(failure);
        code = appError?.code ?? `crash: ${(failure as Error)?.message}`;
        exit = appError?.exitCode ?? 1;
      } finally {
        log.mockRestore();
        error.mockRestore();
        write.mockRestore();
      }
      return { code, exit, text: printed.join('\n') };
    };
    try {
      const commands = cliCommands(await buildCliProgram());
      for (const command of commands) {
        const name = command.path.join(' ');
        const base = [...command.path];
        // Positional ids (`task show <id>`, `done <prefix>`), then options with ids (`schedule add --ref <id>`).
        const argSlots = command.args.map((arg) => classifyCliArgument(arg, command.path));
        for (const c of argSlots) if ('unknown' in c) unknown.push(c.unknown);
        const idArg = argSlots.findIndex((c) => 'slot' in c);
        if (idArg >= 0) {
          const { slot } = argSlots[idArg] as { slot: IdSlot };
          if (command.path[command.path.length - 1] === 'show') {
            const own = await run([...base, ...command.args.map((_arg, i) => (i === idArg ? bob.ids[slot.entities[0]] : 'x'))]);
            controls.push({ door: `orbita ${name} (B's own)`, ...own });
          }
          for (const entity of slot.entities) {
            for (const variant of variants(slot, entity)) {
              const args = command.args.map((arg, i) => (i === idArg ? variant.value : 'x'));
              const result = await run([...base, ...args, ...(cliExtras()[name] ?? [])]);
              outcomes.push({ door: `orbita ${name} ${variant.value} (${variant.label}, exit ${result.exit})`, expect: slot.expect, ...result });
              if (result.code === 'not_found') expect(result.exit).toBe(4);
            }
          }
        }
        for (const option of command.valueOptions) {
          const c = classifyCliOption(option.flag, option.valueName, command.path);
          if ('unknown' in c) unknown.push(c.unknown);
          if (!('slot' in c)) continue;
          for (const entity of c.slot.entities) {
            for (const variant of variants(c.slot, entity)) {
              const result = await run([...base, ...(cliExtras()[name] ?? []), '--type', entity, option.flag, variant.value]);
              outcomes.push({ door: `orbita ${name} ${option.flag} ${variant.value} (${variant.label}, exit ${result.exit})`, expect: c.slot.expect, ...result });
            }
          }
        }
      }
      console.info(`isolation CLI: ${outcomes.length} attempts over ${commands.length} commands`);
    } finally {
      delete process.env.ORBITA_USER_ID;
      resetConfig();
    }
    expect(unknown, `the isolation matrix cannot classify:\n${unknown.join('\n')}`).toEqual([]);
    expect(controls.filter((c) => c.code !== null).map((c) => `${c.door} → ${c.code}: ${c.text.slice(0, 200)}`)).toEqual([]);
    expect(controls.length).toBeGreaterThanOrEqual(3);
    expectIsolated(outcomes, 30);
    await expectAliceUnchanged();
  });

  it('server actions: every dashboard action taking an id answers not_found under another user\'s session, and changes nothing', async () => {
    session.userId = bob.id;
    const unknown: string[] = [];
    const outcomes: Outcome[] = [];
    const skipped: string[] = [];
    const actions = await serverActions();
    try {
      for (const action of actions) {
        const shortName = action.name.split('#')[1];
        const idParam = action.params.findIndex((p) => /^(id|\w+Id)$/.test(p));
        const formField = action.formFields.find((f) => /^(id|\w+Id)$/.test(f));
        const entityOf = (name: string): Entity | undefined => {
          const stem = name.replace(/Id$/, '').toLowerCase();
          return (['task', 'habit', 'meeting', 'block', 'token', 'event'] as Entity[]).find((e) => e === stem);
        };
        if (idParam < 0 && !formField) {
          skipped.push(shortName);
          continue;
        }
        const idName = idParam >= 0 ? action.params[idParam] : formField!;
        const entity = entityOf(idName);
        if (!entity) {
          unknown.push(`${action.name}: cannot tell which entity "${idName}" is — name it taskId, habitId, meetingId, blockId, tokenId or eventId, or extend entityOf in test/security/isolation.test.ts`);
          continue;
        }
        // Outbox events belong to no user: the operator actions must refuse a non-admin outright.
        const slot: IdSlot = { entities: [entity], prefixes: entity !== 'event', expect: entity === 'event' ? 'forbidden' : 'not_found' };
        for (const variant of variants(slot, entity)) {
          const args: unknown[] = action.params.map((p) => (/^_?prev/.test(p) ? {} : undefined));
          if (idParam >= 0) {
            args[idParam] = variant.value;
            action.params.slice(idParam + 1).forEach((p, i) => (args[idParam + 1 + i] = /version/i.test(p) ? 1 : {}));
            (actionExtras[shortName] ?? []).forEach((extra, i) => (args[idParam + 1 + i] = extra));
          } else {
            const form = new FormData();
            form.set(formField!, variant.value);
            args[action.params.findIndex((p) => /form/i.test(p))] = form;
          }
          let code: string | null = null;
          let text = '';
          try {
            const result = (await action.fn(...args)) as { ok?: boolean; error?: unknown };
            text = JSON.stringify(result);
            const error = result?.error;
            if (result?.ok === false) code = (error as { code?: string })?.code ?? 'error';
            else if (typeof error === 'string') code = /not found/.test(error) ? 'not_found' : `error: ${error}`;
          } catch (failure) {
            code = `threw (if the arguments after the id are wrong, add valid ones to actionExtras in test/security/isolation.test.ts): ${(failure as Error)?.message}`;
          }
          outcomes.push({ door: `${action.name}(${variant.label})`, expect: slot.expect, code, text });
        }
      }
    } finally {
      session.userId = null;
    }
    console.info(`isolation server actions: ${outcomes.length} attempts over ${actions.length} actions (no id: ${skipped.join(', ')})`);
    expect(unknown, `the isolation matrix cannot classify:\n${unknown.join('\n')}`).toEqual([]);
    expectIsolated(outcomes, 4);
    await expectAliceUnchanged();
  });
});
