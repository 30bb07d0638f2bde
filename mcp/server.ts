import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { type CallToolResult, ErrorCode, McpError, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ServiceContext } from '../lib/context';
import type { DbTx } from '../lib/db/client';
import { toAppError } from '../lib/http/errors';
import { logger } from '../lib/logger';
import { scheduleDay } from '../lib/scheduling/blocks';
import { listTasks } from '../lib/tasks/service';
import type { ToolDefinition } from './registry';
import { allTools } from './tools';

/** Who is calling: the user a Bearer token resolved to and the token's scopes (`read`, `write`). */
export interface McpPrincipal {
  userId: string;
  scopes: readonly string[];
  /** The user's zone as read when the token was checked; read-only tools use it (see ServiceContext.timeZone). */
  timeZone?: string;
}

export const serverInfo = { name: 'orbita', title: 'Orbita', version: '0.1.0' } as const;

// The SDK builds an Ajv instance per server unless given one (it is only used for elicitation);
// sharing one keeps a server per request cheap.
const jsonSchemaValidator = new AjvJsonSchemaValidator();

const instructions = [
  'Orbita plans tasks, habits and 1:1 meetings into time blocks on the user\'s calendar.',
  'Tools are grouped by prefix (task_*, habit_*, meeting_*, schedule_*, calendar_*, billing_*, …).',
  'Every time is ISO-8601 with the user\'s UTC offset; dates are YYYY-MM-DD in the user\'s time zone.',
  'Errors come back as tool results with isError and a code such as validation_error, not_found, conflict or module_not_enabled: read the message, fix the input and retry.',
  'Resources: orbita://schedule/today (today\'s blocks) and orbita://tasks/open (open tasks). Prompts: daily_planning, weekly_review.',
].join(' ');

/** Readonly tools need the `read` scope, every other tool `write` (as REST: GET needs read, writes need write). */
export function toolsFor(principal: McpPrincipal, tools: readonly ToolDefinition[] = allTools): ToolDefinition[] {
  return tools.filter((tool) => principal.scopes.includes(tool.annotations.readOnlyHint ? 'read' : 'write'));
}

/**
 * A tool's return value as text plus structuredContent (which must be a JSON object: Dates become
 * ISO strings, anything else is wrapped as `{ result }`). The text is compact JSON: cheaper to
 * build on every call and fewer tokens for the model than an indented copy.
 */
export function toolResult(result: unknown): CallToolResult {
  let text = JSON.stringify(result ?? null);
  let content: unknown = JSON.parse(text);
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    content = { result: content };
    text = JSON.stringify(content);
  }
  return { content: [{ type: 'text', text }], structuredContent: content as Record<string, unknown> };
}

/** Any failure as a tool result with isError and the domain error code; never a stack trace. */
export function toolError(error: unknown, tool: string): CallToolResult {
  const appError = toAppError(error);
  const body = appError
    ? appError.toJSON()
    : { code: 'internal_error', message: 'something went wrong on our side' };
  if (!appError) logger.error({ err: error, tool }, 'mcp tool failed');
  return {
    isError: true,
    content: [{ type: 'text', text: `${body.code}: ${body.message}` }],
    structuredContent: { error: body },
  };
}

/** A resource/prompt failure as a JSON-RPC error (resources have no isError result). */
function rpcError(error: unknown, what: string): McpError {
  const appError = toAppError(error);
  if (appError) return new McpError(appError.code === 'validation_error' ? ErrorCode.InvalidParams : ErrorCode.InvalidRequest, `${appError.code}: ${appError.message}`, appError.toJSON());
  logger.error({ err: error, what }, 'mcp request failed');
  return new McpError(ErrorCode.InternalError, 'internal_error: something went wrong on our side');
}

/** The first of `candidates` that is a registered tool name, e.g. for prompts; else the prefix. */
function pick(names: Set<string>, ...candidates: string[]): string {
  return candidates.find((name) => names.has(name)) ?? `${candidates[0].split('_')[0]}_* tools`;
}

function jsonResource(uri: URL, value: unknown): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] };
}

function registerTools(server: McpServer, tools: readonly ToolDefinition[], ctx: (readOnly: boolean) => ServiceContext) {
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: { title: tool.title, ...tool.annotations } },
      (async (input: unknown) => {
        try {
          return toolResult(await tool.run(ctx(tool.annotations.readOnlyHint), input as never));
        } catch (error) {
          return toolError(error, tool.name);
        }
      }) as never,
    );
  }
}

/** The tool a lone JSON-RPC `tools/call` names, if that is what `body` is. */
function calledTool(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const { method, params } = body as { method?: unknown; params?: { name?: unknown } };
  return method === 'tools/call' && typeof params?.name === 'string' ? params.name : undefined;
}

/**
 * An MCP server for one principal: every tool the principal's scopes allow (a `read`-only token sees
 * only readOnlyHint tools; calling another is "tool not found"), the two resources and two prompts.
 * The stateless HTTP transports build one per request and pass the request's JSON-RPC body: a lone
 * `tools/call` then gets a server with just that tool, which is what makes a call cheap (registering
 * every tool, resource and prompt costs more than many a tool's own work). A name that is not one of
 * the principal's tools still gets the full server, so the answer stays the SDK's "tool not found".
 */
export function createMcpServer(
  principal: McpPrincipal,
  db: DbTx,
  tools: readonly ToolDefinition[] = allTools,
  options: { request?: unknown } = {},
): McpServer {
  const server = new McpServer(serverInfo, { instructions, jsonSchemaValidator });
  const ctx = (readOnly = false): ServiceContext => ({
    db,
    userId: principal.userId,
    now: () => new Date(),
    ...(readOnly && principal.timeZone ? { timeZone: principal.timeZone } : {}),
  });
  const visible = toolsFor(principal, tools);
  const called = calledTool(options.request);
  const only = called === undefined ? [] : visible.filter((tool) => tool.name === called);
  if (only.length > 0) {
    registerTools(server, only, ctx);
    return server;
  }
  registerTools(server, visible, ctx);
  if (principal.scopes.includes('read')) {
    server.registerResource(
      'schedule_today',
      'orbita://schedule/today',
      {
        title: 'Today\'s schedule',
        description: 'Today\'s time blocks (Orbita and imported calendar events), working hours and planned/free minutes, in the user\'s time zone.',
        mimeType: 'application/json',
      },
      async (uri) => {
        try {
          return jsonResource(uri, await scheduleDay(ctx(true)));
        } catch (error) {
          throw rpcError(error, 'orbita://schedule/today');
        }
      },
    );
    server.registerResource(
      'tasks_open',
      'orbita://tasks/open',
      {
        title: 'Open tasks',
        description: 'Pending and in-progress tasks, most urgent first (up to 100).',
        mimeType: 'application/json',
      },
      async (uri) => {
        try {
          return jsonResource(uri, await listTasks(ctx(true), { status: ['pending', 'in_progress'], sort: 'priority', limit: 100 }));
        } catch (error) {
          throw rpcError(error, 'orbita://tasks/open');
        }
      },
    );
  }

  const names = new Set(visible.map((tool) => tool.name));
  const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').optional();
  server.registerPrompt(
    'daily_planning',
    {
      title: 'Plan my day',
      description: 'Walks through today: what is scheduled, what is open and due, then plans the free time.',
      argsSchema: { date: date.describe('The day to plan (YYYY-MM-DD); default today in the user\'s time zone') },
    },
    ({ date: day }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: [
              `Help me plan ${day ? `my day on ${day}` : 'my day today'} with Orbita.`,
              `1. Read the schedule with ${pick(names, 'schedule_day', 'schedule_show')} (or the orbita://schedule/today resource) and the free time with ${pick(names, 'schedule_free_slots')}.`,
              `2. Look at open work: ${pick(names, 'task_list')} (overdue and due-today first), the habits due with ${pick(names, 'habit_list')} and the 1:1s with ${pick(names, 'meeting_list')}.`,
              `3. Propose a plan: what fits in the free slots, what should move, what to drop. Ask me before changing anything.`,
              `4. After I agree, apply it with ${pick(names, 'schedule_auto')} (automatic placement) or ${pick(names, 'schedule_add')} / ${pick(names, 'schedule_move')} for single blocks, then show the final day.`,
              'Quote times in my time zone; every tool answers with ISO-8601 times with offsets.',
            ].join('\n'),
          },
        },
      ],
    }),
  );
  server.registerPrompt(
    'weekly_review',
    {
      title: 'Weekly review',
      description: 'Reviews the past week (done, missed, habits) and sets up the next one.',
      argsSchema: { weekOf: date.describe('Any date in the week to review (YYYY-MM-DD); default this week') },
    },
    ({ weekOf }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: [
              `Run my weekly review in Orbita for the week ${weekOf ? `containing ${weekOf}` : 'so far'}.`,
              `1. Show the week with ${pick(names, 'schedule_week')}: planned versus free minutes, completed and missed blocks.`,
              `2. Review tasks with ${pick(names, 'task_list')}: what was completed, what is overdue, what has no due date; suggest what to archive or re-prioritise.`,
              `3. Review habits (${pick(names, 'habit_list')}, streaks) and 1:1s (${pick(names, 'meeting_list')}); note anything skipped.`,
              `4. Suggest adjustments (${pick(names, 'adapt', 'adapt_run')} can adapt habit frequencies and meeting cadences) and, when I agree, plan next week with ${pick(names, 'schedule_auto')}.`,
              'Summarise in a short list: wins, slips, changes for next week. Ask before any change.',
            ].join('\n'),
          },
        },
      ],
    }),
  );

  return server;
}
