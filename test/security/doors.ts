/**
 * Every door of the app, enumerated at test time so a new route file, tool, command or server
 * action is covered by the security tests without editing them:
 *
 * - REST: every `app/api/**\/route.ts`, imported, with its exported GET/POST/PUT/PATCH/DELETE
 *   handlers and the dynamic params of its path (`[id]`, `[file]`, `[...nextauth]`).
 * - MCP: the tool registry (`mcp/tools`), called through the Next.js door `POST /api/mcp`.
 * - CLI: the commander tree built from every `cli/commands/*.ts` register function.
 * - Server actions: every exported async function of `app/(dashboard)/**\/*actions.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { answersMethodNotAllowed } from '../../lib/http/method-not-allowed';
import { projectRoot } from '../../lib/paths';

export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof httpMethods)[number];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any route's params
export type RouteHandler = (req: Request, route: { params: Promise<any> }) => Promise<Response> | Response;

export interface RestRoute {
  /** `app/api/v1/tasks/[id]/route.ts`, relative to the project root. */
  file: string;
  /** `/api/v1/tasks/[id]`. */
  path: string;
  /** Dynamic segments in order: `{ name: 'id', catchAll: false, after: 'tasks' }`. */
  params: { name: string; catchAll: boolean; after: string }[];
  handlers: Partial<Record<HttpMethod, RouteHandler>>;
}

function walk(dir: string, match: (name: string) => boolean, found: string[] = []): string[] {
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, match, found);
    else if (match(entry.name)) found.push(full);
  }
  return found.sort();
}

const importFile = (file: string) => import(/* @vite-ignore */ pathToFileURL(file).href) as Promise<Record<string, unknown>>;

/** Every route file under app/api, imported. */
export async function restRoutes(): Promise<RestRoute[]> {
  const apiRoot = path.join(projectRoot, 'app', 'api');
  const routes: RestRoute[] = [];
  for (const file of walk(apiRoot, (name) => name === 'route.ts')) {
    const segments = path.relative(path.join(projectRoot, 'app'), path.dirname(file)).split(path.sep);
    const params: RestRoute['params'] = [];
    segments.forEach((segment, index) => {
      const dynamic = /^\[(\.\.\.)?(\w+)\]$/.exec(segment);
      if (dynamic) params.push({ name: dynamic[2], catchAll: Boolean(dynamic[1]), after: segments[index - 1] ?? '' });
    });
    const mod = await importFile(file);
    const handlers: RestRoute['handlers'] = {};
    for (const method of httpMethods) {
      const handler = mod[method];
      // A method the route does not serve answers 405 (lib/http/method-not-allowed.ts): not a door.
      if (typeof handler === 'function' && !(answersMethodNotAllowed in handler)) handlers[method] = handler as RouteHandler;
    }
    routes.push({ file: path.relative(projectRoot, file), path: `/${segments.join('/')}`, params, handlers });
  }
  return routes;
}

/** The URL path of `route` with its params filled in (`/api/v1/tasks/3f9c…`). */
export function fillPath(route: RestRoute, values: Record<string, string | string[]>): string {
  return route.path.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_m, name: string) => {
    const value = values[name];
    return Array.isArray(value) ? value.map(encodeURIComponent).join('/') : encodeURIComponent(value ?? '');
  });
}

/** `/api/v1/tasks/[id]` → `/tasks/{id}` (the OpenAPI document's path), or null outside /api/v1. */
export function openApiPath(route: RestRoute): string | null {
  if (!route.path.startsWith('/api/v1/')) return null;
  return route.path.slice('/api/v1'.length).replace(/\[(\w+)\]/g, '{$1}');
}

export interface CliCommand {
  /** `['task', 'show']`. */
  path: string[];
  command: Command;
  /** Positional argument names (`id`, `habit-id`, `prefix`, …). */
  args: string[];
  /** Options that take a value: `{ flag: '--ref', valueName: 'id' }`. */
  valueOptions: { flag: string; valueName: string }[];
}

/**
 * The `orbita` program as cli/main.ts builds it, from the register functions of cli/commands/*.ts.
 * (cli/main.ts runs the program when imported, so it is not imported here.) A register function
 * that another command file imports is nested under that file's command (`schedule auto`), so only
 * the others are called on the program.
 */
export async function buildCliProgram(): Promise<Command> {
  const dir = path.join(projectRoot, 'cli', 'commands');
  const files = walk(dir, (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
  const sources = files.map((file) => fs.readFileSync(file, 'utf8'));
  const program = new Command('orbita').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  for (const [index, file] of files.entries()) {
    const base = path.basename(file, '.ts');
    const nested = sources.some((source, other) => other !== index && new RegExp(`from '\\./${base}'`).test(source));
    if (nested) continue;
    const mod = await importFile(file);
    const registers = Object.entries(mod).filter(([name, value]) => /^register[A-Z]/.test(name) && typeof value === 'function');
    if (registers.length === 0) throw new Error(`${path.relative(projectRoot, file)} exports no register* function: the security tests cannot find its commands`);
    for (const [, register] of registers) (register as (program: Command) => void)(program);
  }
  return program;
}

/** Every leaf command of `program` (a command with an action). */
export function cliCommands(program: Command): CliCommand[] {
  const found: CliCommand[] = [];
  const visit = (command: Command, prefix: string[]) => {
    for (const sub of command.commands) {
      const subPath = [...prefix, sub.name()];
      if (sub.commands.length) visit(sub, subPath);
      else {
        found.push({
          path: subPath,
          command: sub,
          args: sub.registeredArguments.map((arg) => arg.name()),
          valueOptions: sub.options
            .filter((option) => option.required || option.optional)
            .map((option) => ({ flag: option.long ?? option.short ?? option.flags, valueName: /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? '' })),
        });
      }
    }
  };
  visit(program, []);
  return found;
}

export interface ServerAction {
  /** `app/(dashboard)/schedule-actions.ts#moveBlockAction`. */
  name: string;
  fn: (...args: unknown[]) => Promise<unknown>;
  /** Parameter names as written in the source. */
  params: string[];
  /** `form.get('tokenId')` field names the function reads. */
  formFields: string[];
}

/** Parameter names of a function, from its source text (TypeScript types are stripped by then). */
export function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const source = fn.toString();
  const open = source.indexOf('(');
  let depth = 0;
  let close = open;
  for (let i = open; i < source.length; i++) {
    if (source[i] === '(') depth++;
    else if (source[i] === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  const inner = source.slice(open + 1, close);
  const names: string[] = [];
  let level = 0;
  let current = '';
  for (const char of inner) {
    if ('([{'.includes(char)) level++;
    if (')]}'.includes(char)) level--;
    if (char === ',' && level === 0) {
      names.push(current);
      current = '';
    } else current += char;
  }
  if (current.trim()) names.push(current);
  return names.map((part) => part.trim().split('=')[0].trim()).filter(Boolean);
}

/** Every exported async function of the dashboard's `*actions.ts` files (they are `'use server'` modules). */
export async function serverActions(): Promise<ServerAction[]> {
  const dir = path.join(projectRoot, 'app', '(dashboard)');
  const actions: ServerAction[] = [];
  for (const file of walk(dir, (name) => name.endsWith('actions.ts') && !name.endsWith('.test.ts'))) {
    const source = fs.readFileSync(file, 'utf8');
    if (!/^\s*['"]use server['"]/m.test(source)) continue;
    const mod = await importFile(file);
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== 'function') continue;
      const fn = value as (...args: unknown[]) => Promise<unknown>;
      const text = fn.toString();
      actions.push({
        name: `${path.relative(projectRoot, file)}#${name}`,
        fn,
        params: parameterNames(fn),
        formFields: [...text.matchAll(/\.get(?:All)?\(\s*['"](\w+)['"]\s*\)/g)].map((m) => m[1]),
      });
    }
  }
  return actions;
}
