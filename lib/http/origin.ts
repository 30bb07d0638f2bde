/**
 * CSRF defence for cookie-authenticated requests: a state-changing request that rides on the
 * session cookie must come from a page of this app, which the browser proves with `Origin` (sent
 * on every cross-origin and every POST request by current browsers) or, failing that, `Referer`.
 *
 * - Bearer-token requests are exempt: the token is not an ambient credential a third-party page
 *   can make the browser attach.
 * - The Stripe webhook is exempt: it has no cookie and is authenticated by its signature.
 * - Server actions are checked by Next.js itself (Origin against Host / X-Forwarded-Host;
 *   `serverActions.allowedOrigins` in next.config.js for extra public hosts).
 * - next-auth's own POST routes carry its double-submit CSRF token.
 *
 * The app's own origins: NEXTAUTH_URL's origin (the canonical public URL), plus the origin the
 * request was addressed to: `X-Forwarded-Proto`/`X-Forwarded-Host` as set by a proxy (or by
 * Next.js from the socket), else `Host` with the request URL's scheme.
 */

const mutatingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const isMutating = (method: string) => mutatingMethods.has(method.toUpperCase());

/** The paths whose cookie-authenticated mutating requests must be same-origin. */
export const originCheckedPaths = [/^\/api\/v1(\/|$)/, /^\/api\/mcp(\/|$)/, /^\/api\/calendar(\/|$)/];

export const isOriginCheckedPath = (pathname: string) => originCheckedPaths.some((pattern) => pattern.test(pathname));

const first = (value: string | null) => value?.split(',')[0]?.trim() || null;

function originOf(value: string | null | undefined): string | null {
  if (!value || value === 'null') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** Every origin this request may legitimately come from (see the module comment). */
export function appOrigins(req: Request, appUrl: string | undefined = process.env.NEXTAUTH_URL): Set<string> {
  const origins = new Set<string>();
  const canonical = originOf(appUrl);
  if (canonical) origins.add(canonical);
  let requestUrl: URL | null = null;
  try {
    requestUrl = new URL(req.url);
  } catch {
    requestUrl = null;
  }
  const scheme = (first(req.headers.get('x-forwarded-proto')) ?? requestUrl?.protocol.replace(/:$/, '') ?? 'http').toLowerCase();
  for (const host of [first(req.headers.get('x-forwarded-host')), req.headers.get('host'), requestUrl?.host]) {
    const origin = host ? originOf(`${scheme}://${host}`) : null;
    if (origin) origins.add(origin);
  }
  return origins;
}

/** The origin the browser says the request came from: `Origin`, else `Referer`'s origin; null if neither. */
export function requestSourceOrigin(req: Request): string | null {
  const origin = req.headers.get('origin');
  if (origin !== null) return origin === 'null' ? 'null' : (originOf(origin) ?? 'invalid');
  return originOf(req.headers.get('referer'));
}

/** True when the request carries `Authorization: Bearer …` (exempt: not an ambient credential). */
export const hasBearer = (req: Request) => /^Bearer\s+\S/i.test(req.headers.get('authorization') ?? '');

/** Why a cookie-authenticated mutating request is refused, or null when it is same-origin. */
export function crossOriginReason(req: Request, appUrl?: string): string | null {
  if (!isMutating(req.method)) return null;
  const source = requestSourceOrigin(req);
  if (source === null) return 'a request made with the session cookie must carry an Origin or Referer header from this site';
  if (!appOrigins(req, appUrl).has(source)) return 'cross-origin request refused: the Origin is not this site';
  return null;
}

/** The 403 answered to a cross-origin (or origin-less) cookie-authenticated mutating request. */
export function crossOriginResponse(reason: string): Response {
  return Response.json({ error: { code: 'forbidden', message: reason } }, { status: 403, headers: { 'Cache-Control': 'no-store' } });
}

/** The session cookie's name, plain or with the `__Secure-` prefix next-auth uses over https. */
export const hasSessionCookie = (req: Request) => /(?:^|;\s*)(?:__Secure-)?next-auth\.session-token(?:\.\d+)?=/.test(req.headers.get('cookie') ?? '');

/**
 * The check proxy.ts runs before the routes: a mutating request to /api/v1, /api/mcp or
 * /api/calendar that carries a session cookie and no Bearer token must be same-origin.
 */
export function rejectCrossOriginCookieRequest(req: Request, pathname: string, appUrl?: string): Response | null {
  if (!isMutating(req.method) || !isOriginCheckedPath(pathname) || hasBearer(req) || !hasSessionCookie(req)) return null;
  const reason = crossOriginReason(req, appUrl);
  return reason ? crossOriginResponse(reason) : null;
}
