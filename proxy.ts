import { NextResponse, type NextRequest } from 'next/server';
import { rejectCrossOriginCookieRequest } from './lib/http/origin';
import { cameOverTls, formActionOrigins, newNonce, securityHeaders } from './lib/http/security-headers';

/**
 * Runs before every route (Next.js 16 calls middleware "proxy"): pages, route handlers, server
 * actions and static files.
 *
 * 1. CSRF: a cookie-authenticated POST/PUT/PATCH/DELETE to /api/v1, /api/mcp or /api/calendar
 *    must come from this site (lib/http/origin.ts) → else 403 `forbidden`. Bearer requests and
 *    the Stripe webhook are exempt; withUser checks the same again for session principals.
 * 2. Security headers (lib/http/security-headers.ts) on every response, with a fresh CSP nonce.
 *    The nonce also goes into the request's Content-Security-Policy header, where Next.js reads it
 *    while rendering and puts it on its scripts.
 *
 * The machine-facing JSON routes skip it (`config.matcher`): REST v1, /livez, /readyz, /metrics and
 * /api/health render no page, so they need no nonce, and running the proxy costs more than such a
 * request itself (bench:api: /livez 676 → 1,173 req/s without it, docs/BENCHMARKS.md runs 6–7).
 * They set the API security headers themselves (`secured`, also inside withUser), and withUser
 * does the CSRF check above for session principals.
 */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const headers = securityHeaders({
    nonce,
    tls: cameOverTls(request),
    formActionOrigins: formActionOrigins(),
    development: process.env.NODE_ENV === 'development',
  });

  const rejection = rejectCrossOriginCookieRequest(request, request.nextUrl.pathname);
  if (rejection) {
    for (const [name, value] of Object.entries(headers)) rejection.headers.set(name, value);
    return rejection;
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', headers['Content-Security-Policy']);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/**
 * Every path but the machine-facing routes above. test/security/web-security.test.ts runs Next.js's
 * own matcher compiler over this and lists which paths must and must not reach the proxy.
 */
export const config = {
  matcher: ['/((?!api/v1/|api/v1$|livez$|readyz$|metrics$|api/health$).*)'],
};
