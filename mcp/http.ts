/**
 * The standalone MCP HTTP server (SPEC §9): Streamable HTTP at POST /mcp (stateless: a fresh MCP
 * server per request), the legacy HTTP+SSE transport at GET /mcp/sse + POST /mcp/messages, and
 * GET /health. Every MCP endpoint needs `Authorization: Bearer <MCP_AUTH_TOKEN or a personal access
 * token>`; anything else is 401 with `WWW-Authenticate: Bearer`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { Logger } from 'pino';
import type { DbTx } from '../lib/db/client';
import { isAppError } from '../lib/errors';
import { authenticateBearer, hashToken } from '../lib/identity/tokens';
import { userZone } from '../lib/identity/users';
import { logger as defaultLogger } from '../lib/logger';
import type { ToolDefinition } from './registry';
import { createMcpServer, type McpPrincipal } from './server';
import { StatelessJsonTransport } from './stateless-transport';
import { allTools } from './tools';

export interface McpHttpOptions {
  db: DbTx;
  /** MCP_AUTH_TOKEN: when set (with orbitaUserId), it acts as that user with every scope. */
  mcpAuthToken?: string;
  /** The user MCP_AUTH_TOKEN acts as (ORBITA_USER_ID, or the CLI's local user). */
  orbitaUserId?: string;
  tools?: readonly ToolDefinition[];
  logger?: Logger;
  /** Largest accepted JSON-RPC body (default 4 MB). */
  maxBodyBytes?: number;
  /** Interval of the `: ping` comments that keep idle SSE streams open through proxies (default 25 s). */
  sseKeepAliveMs?: number;
  /**
   * How long an accepted token is remembered (default 5 s; 0 = look up every request). Only
   * successes are cached: a token revoked (or expiring) meanwhile stops working within this time.
   * It saves a database round trip on each JSON-RPC POST of a busy client; the user's time zone is
   * remembered with it, so read-only tools skip their zone lookup too.
   */
  authCacheMs?: number;
}

export interface RunningMcpServer {
  server: http.Server;
  /** `http://host:port` (an unspecified host shows as 127.0.0.1). */
  url: string;
  address: AddressInfo;
  /** Stops accepting, ends SSE streams, waits (bounded) for requests in flight. */
  close(graceMs?: number): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const sendJson = (res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) => {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
};

const sendError = (res: http.ServerResponse, status: number, code: string, message: string, headers: http.OutgoingHttpHeaders = {}) =>
  sendJson(res, status, { error: { code, message } }, headers);

/** A JSON-RPC error with no request id (the body could not be read, or the method is wrong). */
const sendRpcError = (res: http.ServerResponse, status: number, code: number, message: string, headers: http.OutgoingHttpHeaders = {}) =>
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);

async function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'payload_too_large', `the request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface SseSession {
  transport: SSEServerTransport;
  principal: McpPrincipal;
  keepAlive: NodeJS.Timeout;
}

/** userZone's "user not found" (the user was deleted after the token check) as no zone; anything else stays an error. */
const noZoneIfGone = (error: unknown): undefined => {
  if (isAppError(error) && error.code === 'not_found') return undefined;
  throw error;
};

export function createMcpHttpServer(options: McpHttpOptions): { server: http.Server; closeSessions(): Promise<void> } {
  const log = options.logger ?? defaultLogger;
  const tools = options.tools ?? allTools;
  const maxBody = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const sessions = new Map<string, SseSession>();
  const authCacheMs = options.authCacheMs ?? 5000;
  const authCache = new Map<string, { principal: McpPrincipal; until: number }>();

  /** The principal of a request's Bearer token; 401 for a missing, malformed, wrong, expired or revoked one. */
  async function authenticate(req: http.IncomingMessage): Promise<McpPrincipal> {
    const header = req.headers.authorization;
    if (header === undefined) throw new HttpError(401, 'unauthorized', 'missing Authorization header: send `Authorization: Bearer <token>`');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new HttpError(401, 'unauthorized', 'the Authorization header must be `Bearer <token>`');
    const key = authCacheMs > 0 ? hashToken(match[1]) : '';
    const cached = key ? authCache.get(key) : undefined;
    if (cached && cached.until > Date.now()) return cached.principal;
    const now = new Date();
    const found = await authenticateBearer(options.db, match[1], { mcpAuthToken: options.mcpAuthToken, orbitaUserId: options.orbitaUserId }, now);
    if (!found) {
      if (key) authCache.delete(key);
      throw new HttpError(401, 'unauthorized', 'invalid, expired or revoked token');
    }
    // The zone rides along with the remembered token so read-only calls skip a lookup each.
    // (A user deleted meanwhile just gets no zone here; their tools answer not found.)
    const timeZone = authCacheMs > 0 ? await userZone({ db: options.db, userId: found.userId, now: () => now }).catch(noZoneIfGone) : undefined;
    const principal: McpPrincipal = { userId: found.userId, scopes: found.scopes, ...(timeZone ? { timeZone } : {}) };
    if (key) {
      if (authCache.size >= 10_000) authCache.clear();
      authCache.set(key, { principal, until: now.getTime() + authCacheMs });
    }
    return principal;
  }

  /** Reads and parses a JSON-RPC body; a bad one is a 400 parse error, never a 500. */
  async function readJsonRpc(req: http.IncomingMessage, res: http.ServerResponse): Promise<{ ok: true; body: unknown } | { ok: false }> {
    let text: string;
    try {
      text = await readBody(req, maxBody);
    } catch (error) {
      if (error instanceof HttpError) sendRpcError(res, error.status, -32600, error.message);
      else sendRpcError(res, 400, -32600, 'could not read the request body');
      return { ok: false };
    }
    try {
      return { ok: true, body: JSON.parse(text) };
    } catch {
      sendRpcError(res, 400, -32700, 'Parse error: the request body is not valid JSON');
      return { ok: false };
    }
  }

  async function streamable(req: http.IncomingMessage, res: http.ServerResponse, principal: McpPrincipal) {
    const parsed = await readJsonRpc(req, res);
    if (!parsed.ok) return;
    const server = createMcpServer(principal, options.db, tools, { request: parsed.body });
    const transport = new StatelessJsonTransport();
    // The pair is garbage once the reply is written: nothing of it outlives the request, so it is
    // not closed (the SDK's close aborts each finished handler's controller and builds an error for
    // callers that no longer exist, a visible cost on every call).
    await server.connect(transport);
    const reply = await transport.handle((name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    }, parsed.body);
    if (reply.body === null) {
      res.writeHead(reply.status).end();
    } else {
      res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply.body) }).end(reply.body);
    }
  }

  async function openSse(res: http.ServerResponse, principal: McpPrincipal) {
    const transport = new SSEServerTransport('/mcp/messages', res);
    const server = createMcpServer(principal, options.db, tools);
    const keepAlive = setInterval(() => {
      if (!res.writableEnded) res.write(': ping\n\n');
    }, options.sseKeepAliveMs ?? 25_000);
    keepAlive.unref();
    const sessionId = transport.sessionId;
    sessions.set(sessionId, { transport, principal, keepAlive });
    // Set before connect(), which chains the server's own close handling after this one.
    transport.onclose = () => {
      clearInterval(keepAlive);
      sessions.delete(sessionId);
    };
    await server.connect(transport); // writes the `endpoint` event
    log.debug({ sessionId, userId: principal.userId }, 'mcp sse session opened');
  }

  async function sseMessage(req: http.IncomingMessage, res: http.ServerResponse, principal: McpPrincipal, url: URL) {
    const sessionId = url.searchParams.get('sessionId');
    const session = sessionId ? sessions.get(sessionId) : undefined;
    // Another user's token never reaches a session, not even to learn that it exists; nor does a
    // token with fewer scopes than the one that opened it (a read token cannot borrow a write session).
    if (!session || session.principal.userId !== principal.userId || !session.principal.scopes.every((scope) => principal.scopes.includes(scope))) {
      return sendError(res, 404, 'not_found', 'unknown or closed SSE session: open GET /mcp/sse again');
    }
    const parsed = await readJsonRpc(req, res);
    if (!parsed.ok) return;
    await session.transport.handlePostMessage(req, res, parsed.body);
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    try {
      if (path === '/health') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'method_not_allowed', 'use GET', { allow: 'GET, HEAD' });
        return sendJson(res, 200, { status: 'ok' });
      }
      const route =
        path === '/mcp' ? { methods: ['POST'] } : path === '/mcp/sse' ? { methods: ['GET'] } : path === '/mcp/messages' ? { methods: ['POST'] } : null;
      if (!route) return sendError(res, 404, 'not_found', 'not found: the MCP endpoints are POST /mcp, GET /mcp/sse and GET /health');
      const principal = await authenticate(req);
      if (!route.methods.includes(req.method ?? '')) {
        const hint = path === '/mcp' ? 'POST /mcp (this server is stateless; for a server-sent event stream use GET /mcp/sse)' : `${route.methods[0]} ${path}`;
        return sendRpcError(res, 405, -32000, `method not allowed: use ${hint}`, { allow: route.methods.join(', ') });
      }
      if (path === '/mcp') return await streamable(req, res, principal);
      if (path === '/mcp/sse') return await openSse(res, principal);
      return await sseMessage(req, res, principal, url);
    } catch (error) {
      if (error instanceof HttpError) {
        return sendError(res, error.status, error.code, error.message, error.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
      }
      log.error({ err: error, path, method: req.method }, 'mcp request failed');
      return sendError(res, 500, 'internal_error', 'something went wrong on our side');
    }
  });

  async function closeSessions() {
    const open = [...sessions.values()];
    sessions.clear();
    await Promise.all(
      open.map(async ({ transport, keepAlive }) => {
        clearInterval(keepAlive);
        await transport.close().catch(() => {});
      }),
    );
  }

  return { server, closeSessions };
}

/** Starts the server on host:port (port 0 picks a free one). */
export async function startMcpHttpServer(options: McpHttpOptions & { host: string; port: number }): Promise<RunningMcpServer> {
  const { server, closeSessions } = createMcpHttpServer(options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = ['0.0.0.0', '::', ''].includes(address.address) ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    address,
    url: `http://${shownHost}:${address.port}`,
    async close(graceMs = 5000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await closeSessions();
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
