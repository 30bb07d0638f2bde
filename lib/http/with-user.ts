import { getServerSession } from 'next-auth';
import type { ZodType } from 'zod';
import { requireModule, type ModuleName } from '../billing/modules';
import { config } from '../config';
import { systemClock, type ServiceContext } from '../context';
import { db } from '../db/client';
import { AppError, forbidden, unauthorized, validationError } from '../errors';
import { authOptions } from '../identity/auth-options';
import type { TokenScope } from '../identity/schemas';
import { authenticateBearer } from '../identity/tokens';
import { observeHttpRequest, routePattern } from '../metrics';
import { errorResponse } from './errors';
import { crossOriginReason } from './origin';
import { secured } from './security-headers';

export interface Principal {
  userId: string;
  via: 'session' | 'token';
  scopes: TokenScope[];
}

export interface WithUserOptions {
  /** Scopes a token needs. Default: `read` for GET/HEAD, `write` for anything else. */
  scopes?: TokenScope[];
  /** The module the route is gated behind. */
  module?: ModuleName;
}

export interface HandlerArgs<P> {
  ctx: ServiceContext;
  principal: Principal;
  params: P;
}

type RouteContext<P> = { params: Promise<P> };

const bearerChallenge = { 'WWW-Authenticate': 'Bearer' };

/**
 * Resolves the caller: a Bearer token when an Authorization header is present (a bad one is 401,
 * never a fallback to the cookie), else the next-auth session cookie.
 */
export async function resolvePrincipal(req: Request): Promise<Principal> {
  const header = req.headers.get('authorization');
  if (header !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized('the Authorization header must be `Bearer <token>`');
    const c = config();
    const principal = await authenticateBearer(db(), match[1], { mcpAuthToken: c.MCP_AUTH_TOKEN, orbitaUserId: c.ORBITA_USER_ID });
    if (!principal) throw unauthorized('invalid, expired or revoked token');
    return { userId: principal.userId, via: 'token', scopes: principal.scopes };
  }
  const session = await getServerSession(authOptions());
  if (!session?.user?.id) throw unauthorized();
  return { userId: session.user.id, via: 'session', scopes: ['read', 'write'] };
}

/**
 * Times a route handler into orbita_http_request_duration_seconds{method, route, status}, with the
 * route pattern (`/api/v1/tasks/[id]`) rebuilt from the path and the route's params, never the raw path.
 */
export function timed<P>(handler: (req: Request, route?: RouteContext<P>) => Promise<Response>) {
  return async (req: Request, route?: RouteContext<P>): Promise<Response> => {
    const started = performance.now();
    let status = 500;
    try {
      const response = await handler(req, route);
      status = response.status;
      return response;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      try {
        const params = route ? ((await route.params) as Record<string, unknown>) : undefined;
        observeHttpRequest(req.method, routePattern(new URL(req.url).pathname, params), status, seconds);
      } catch {
        // Metrics never fail a request.
      }
    }
  };
}

/**
 * The one wrapper around every authenticated route handler (ARCHITECTURE rule 4): timed, with the
 * API security headers (REST v1 skips proxy.ts), and CSRF-checked here for session principals.
 */
export function withUser<P = Record<string, never>>(
  handler: (req: Request, args: HandlerArgs<P>) => Promise<unknown>,
  options: WithUserOptions = {},
) {
  return timed<P>(secured(async (req: Request, route?: RouteContext<P>): Promise<Response> => {
    try {
      const principal = await resolvePrincipal(req);
      // CSRF: a write riding on the session cookie must come from this site (lib/http/origin.ts).
      const crossOrigin = principal.via === 'session' ? crossOriginReason(req) : null;
      if (crossOrigin) throw forbidden(crossOrigin);
      const needed = options.scopes ?? (req.method === 'GET' || req.method === 'HEAD' ? ['read'] : ['write']);
      const missing = needed.filter((scope) => !principal.scopes.includes(scope));
      if (missing.length) throw forbidden(`this token lacks the ${missing.join(', ')} scope`);
      const ctx: ServiceContext = { db: db(), userId: principal.userId, now: systemClock };
      if (options.module) await requireModule(ctx, options.module);
      const params = (route ? await route.params : {}) as P;
      const result = await handler(req, { ctx, principal, params });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      const challenge = error instanceof AppError && error.code === 'unauthorized' ? bearerChallenge : undefined;
      return errorResponse(error, challenge);
    }
  }));
}

/** Parses a JSON request body with an operation's zod schema. */
export async function readJson<T>(req: Request, schema: ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw validationError('the request body must be JSON');
  }
  return schema.parse(body);
}

/**
 * A JSON request body, typed as the operation's input but NOT validated here: every service parses
 * its input with its operation's schema, whichever door it came through.
 */
export async function readBody<T = unknown>(req: Request): Promise<T> {
  const text = await req.text();
  if (!text.trim()) return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw validationError('the request body must be JSON');
  }
}

/** The query string as an object; a repeated key becomes an array (`?status=a&status=b`). */
export function readQuery<T = Record<string, string | string[]>>(req: Request): T {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(req.url).searchParams) {
    const seen = query[key];
    query[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query as T;
}

/** 201 Created with the new resource as the body. */
export const created = (body: unknown) => Response.json(body, { status: 201 });
