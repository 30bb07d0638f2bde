import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { rejectCrossOriginCookieRequest } from '@/lib/http/origin';
import { authenticateBearer } from '@/lib/identity/tokens';
import { logger } from '@/lib/logger';
import { createMcpServer } from '@/mcp/server';
import { StatelessJsonTransport } from '@/mcp/stateless-transport';

/**
 * The MCP tools over Streamable HTTP (stateless, JSON responses) inside the Next.js app, for hosted
 * use (SPEC §9). Same auth as the standalone server: `Authorization: Bearer <MCP_AUTH_TOKEN or a
 * personal access token>`; the session cookie is not accepted here.
 */
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });

const unauthorized = (message: string) => json(401, { error: { code: 'unauthorized', message } }, { 'www-authenticate': 'Bearer' });

const rpcError = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
  json(status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);

export async function POST(req: Request): Promise<Response> {
  // The session cookie is never accepted here; a browser request that carries it anyway must still
  // be same-origin (the same rule proxy.ts applies; lib/http/origin.ts).
  const crossOrigin = rejectCrossOriginCookieRequest(req, '/api/mcp');
  if (crossOrigin) return crossOrigin;
  try {
    const header = req.headers.get('authorization');
    if (header === null) return unauthorized('missing Authorization header: send `Authorization: Bearer <token>`');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return unauthorized('the Authorization header must be `Bearer <token>`');
    const c = config();
    const principal = await authenticateBearer(db(), match[1], { mcpAuthToken: c.MCP_AUTH_TOKEN, orbitaUserId: c.ORBITA_USER_ID });
    if (!principal) return unauthorized('invalid, expired or revoked token');

    let body: unknown;
    try {
      body = JSON.parse(await req.text());
    } catch {
      return rpcError(400, -32700, 'Parse error: the request body is not valid JSON');
    }
    const server = createMcpServer(principal, db(), undefined, { request: body });
    const transport = new StatelessJsonTransport();
    // Not closed afterwards: the pair is garbage once the reply exists (see mcp/http.ts).
    await server.connect(transport);
    const reply = await transport.handle((name) => req.headers.get(name) ?? undefined, body);
    return reply.body === null
      ? new Response(null, { status: reply.status })
      : new Response(reply.body, { status: reply.status, headers: { 'content-type': 'application/json' } });
  } catch (error) {
    logger.error({ err: error }, 'mcp request failed');
    return json(500, { error: { code: 'internal_error', message: 'something went wrong on our side' } });
  }
}

const notAllowed = () =>
  rpcError(405, -32000, 'method not allowed: use POST /api/mcp (stateless Streamable HTTP; no server-sent event stream)', { allow: 'POST' });

export const GET = notAllowed;
export const DELETE = notAllowed;
