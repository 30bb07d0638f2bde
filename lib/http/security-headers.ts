/**
 * The security headers of every response, in one place. proxy.ts applies them to pages, server
 * actions, static files and the browser-facing routes; the machine-facing JSON routes (REST v1,
 * the probes, /metrics) skip the proxy, whose per-request cost is most of a simple API request's,
 * and set theirs with `secured` (apiSecurityHeaders).
 *
 * CSP: scripts need a per-request nonce. Every page of the app is dynamically rendered (the
 * dashboard layout and the auth pages read the session), so Next.js finds the nonce in the
 * request's Content-Security-Policy header set by proxy.ts and puts it on its own inline and chunk
 * scripts; 'strict-dynamic' lets those load the rest of the bundle. No 'unsafe-inline' for scripts.
 * Styles keep 'unsafe-inline' (React and Tailwind write style attributes; a style nonce would
 * disable 'unsafe-inline'). Development adds 'unsafe-eval', which React needs there for its
 * debugging stacks. `form-action` lists, besides 'self', the hosts a form post is redirected to:
 * the OAuth consent page (Connect Google Calendar) and Stripe Checkout / billing portal.
 */

export interface SecurityHeaderOptions {
  /** The per-request script nonce (base64). */
  nonce: string;
  /** The request came over TLS (directly or per `X-Forwarded-Proto`), or the public URL is https. */
  tls: boolean;
  /** Extra `form-action` sources (origins). */
  formActionOrigins?: string[];
  /** `next dev`: adds 'unsafe-eval' for React's debugging. */
  development?: boolean;
}

export const hstsValue = 'max-age=31536000; includeSubDomains';

export const permissionsPolicy = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()';

/** The headers that do not depend on the request. */
export const staticSecurityHeaders: Record<string, string> = {
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': permissionsPolicy,
  'Cross-Origin-Opener-Policy': 'same-origin',
};

const originOf = (value: string | undefined): string | null => {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
};

/**
 * The origins forms may be redirected to, from the environment: the OAuth consent page
 * (OAUTH_AUTH_URL, else Google's) and Stripe (STRIPE_API_BASE_URL's origin when a fake or proxy
 * serves it, else checkout.stripe.com and billing.stripe.com).
 */
export function formActionOrigins(env: Record<string, string | undefined> = process.env): string[] {
  const origins = new Set<string>();
  if (env.OAUTH_PROVIDER || env.OAUTH_CLIENT_ID) origins.add(originOf(env.OAUTH_AUTH_URL) ?? 'https://accounts.google.com');
  if (env.STRIPE_API_KEY) {
    const stripe = originOf(env.STRIPE_API_BASE_URL);
    if (stripe) origins.add(stripe);
    else {
      origins.add('https://checkout.stripe.com');
      origins.add('https://billing.stripe.com');
    }
  }
  return [...origins];
}

export function contentSecurityPolicy({ nonce, tls, formActionOrigins: formOrigins = [], development = false }: SecurityHeaderOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `form-action ${["'self'", ...formOrigins].join(' ')}`,
    "frame-ancestors 'none'",
    ...(tls ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** True when the request came over TLS: `X-Forwarded-Proto: https`, an https URL, or an https public URL. */
export function cameOverTls(req: Request, appUrl: string | undefined = process.env.NEXTAUTH_URL): boolean {
  const proto = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https' || req.url.startsWith('https:') || (appUrl ?? '').startsWith('https:');
}

/** A fresh nonce for one response (128 random bits, base64). */
export const newNonce = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));

/** Every security header for one response. HSTS only over TLS (a browser ignores it over http anyway). */
export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    ...staticSecurityHeaders,
    'Content-Security-Policy': contentSecurityPolicy(options),
    ...(options.tls ? { 'Strict-Transport-Security': hstsValue } : {}),
  };
}

/**
 * The CSP of a machine-facing response (JSON, Prometheus text): it loads nothing, runs nothing and
 * may not be framed — the policy OWASP recommends for APIs, stricter than a page's.
 */
export const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

const apiHeaders: Record<string, string> = { ...staticSecurityHeaders, 'Content-Security-Policy': apiContentSecurityPolicy };
const apiHeadersOverTls: Record<string, string> = { ...apiHeaders, 'Strict-Transport-Security': hstsValue };

/** Every security header for a machine-facing response; HSTS only over TLS, as for pages. */
export function apiSecurityHeaders(req: Request): Record<string, string> {
  return cameOverTls(req) ? apiHeadersOverTls : apiHeaders;
}

/** `response` with the API security headers (on a copy when its headers are immutable, as a fetched response's are). */
export function withApiSecurityHeaders(req: Request, response: Response): Response {
  const headers = Object.entries(apiSecurityHeaders(req));
  try {
    for (const [name, value] of headers) response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [name, value] of headers) copy.headers.set(name, value);
    return copy;
  }
}

/**
 * Wraps a machine-facing route handler (one that proxy.ts's matcher skips) so every response it
 * gives, errors included, carries the API security headers.
 */
export function secured<A extends unknown[]>(handler: (req: Request, ...rest: A) => Response | Promise<Response>) {
  return async (req: Request, ...rest: A): Promise<Response> => withApiSecurityHeaders(req, await handler(req, ...rest));
}
