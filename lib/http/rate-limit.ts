import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { config, type RateLimitRule } from '../config';
import type { DbTx } from '../db/client';
import { logger } from '../logger';

/**
 * Fixed-window rate limits kept in PostgreSQL (`rate_limits`), so every replica counts against the
 * same limit and nothing per-user lives in process memory (SPEC §12).
 *
 * One hit is one atomic `INSERT … ON CONFLICT … DO UPDATE … RETURNING`: the first hit of a key (or
 * the first after its window ended) starts a window of `windowMs` with count 1; later hits add one.
 * A hit over the limit is still counted (hammering does not reset anything) and answers with the
 * seconds until the window ends, for `Retry-After`. Ended windows are deleted by cleanupRateLimits,
 * which hits run at most once a minute per process.
 *
 * Keys are `<bucket>:<sha-256 of the identity>`, so no IP address or email is stored in clear.
 */

export interface RateLimitCheck {
  /** What is limited: `signin`, `signin-ip`, `tokens`, `webhook`. */
  bucket: string;
  /** Who is limited: an IP, `ip|email`, a user id. */
  identity: string;
  /** The rule from config; null (the variable set to `off`) skips the check. */
  rule: RateLimitRule | null;
}

export interface RateLimitResult {
  bucket: string;
  allowed: boolean;
  /** Hits in the current window, this one included. */
  count: number;
  limit: number;
  resetAt: Date;
  /** Whole seconds until the window ends (at least 1): the `Retry-After` value. */
  retryAfterSeconds: number;
}

const keyFor = (bucket: string, identity: string) => `${bucket}:${createHash('sha256').update(identity).digest('base64url').slice(0, 32)}`;

/** Counts one hit against `bucket`/`identity` and says whether it is within `rule`. */
export async function hitRateLimit(db: DbTx, bucket: string, identity: string, rule: RateLimitRule, now: Date = new Date()): Promise<RateLimitResult> {
  const key = keyFor(bucket, identity);
  const windowEnd = new Date(now.getTime() + rule.windowMs);
  const rows = await db.$queryRaw<{ count: number; reset_at: Date }[]>`
    INSERT INTO rate_limits (key, count, reset_at) VALUES (${key}, 1, ${windowEnd})
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.reset_at <= ${now} THEN 1 ELSE rate_limits.count + 1 END,
      reset_at = CASE WHEN rate_limits.reset_at <= ${now} THEN EXCLUDED.reset_at ELSE rate_limits.reset_at END
    RETURNING count, reset_at`;
  const { count, reset_at: resetAt } = rows[0];
  scheduleCleanup(db, now);
  return {
    bucket,
    allowed: count <= rule.limit,
    count,
    limit: rule.limit,
    resetAt,
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000)),
  };
}

/**
 * Counts a hit against every check (all of them, so each limit sees every attempt) and returns the
 * exceeded one that frees up last, or null when all are within their limits.
 */
export async function checkRateLimits(db: DbTx, checks: RateLimitCheck[], now: Date = new Date()): Promise<RateLimitResult | null> {
  let worst: RateLimitResult | null = null;
  for (const check of checks) {
    if (!check.rule) continue;
    const result = await hitRateLimit(db, check.bucket, check.identity, check.rule, now);
    if (!result.allowed && (!worst || result.retryAfterSeconds > worst.retryAfterSeconds)) worst = result;
  }
  if (worst) logger.warn({ bucket: worst.bucket, limit: worst.limit, retryAfterSeconds: worst.retryAfterSeconds }, 'rate limit exceeded');
  return worst;
}

/** Deletes counters whose window has ended; returns how many. */
export async function cleanupRateLimits(db: DbTx, now: Date = new Date()): Promise<number> {
  return db.$executeRaw`DELETE FROM rate_limits WHERE reset_at <= ${now}`;
}

const cleanupState = globalThis as unknown as { __orbitaRateLimitCleanupAt?: number };
const cleanupEveryMs = 60_000;

function scheduleCleanup(db: DbTx, now: Date) {
  const last = cleanupState.__orbitaRateLimitCleanupAt ?? 0;
  if (now.getTime() - last < cleanupEveryMs && now.getTime() >= last) return;
  cleanupState.__orbitaRateLimitCleanupAt = now.getTime();
  cleanupRateLimits(db, now).catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'rate limit cleanup failed'));
}

/** The message of a 429: what was limited and when to come back. */
export const rateLimitMessage = (result: RateLimitResult, what = 'too many requests') => `${what}; try again in ${result.retryAfterSeconds} s`;

/**
 * The 429 every HTTP door answers with: `Retry-After` in seconds and the JSON error shape
 * (`extra` adds top-level fields next to `error`).
 */
export function rateLimitedResponse(result: RateLimitResult, what = 'too many requests', extra: Record<string, unknown> = {}): Response {
  return Response.json(
    { error: { code: 'rate_limited', message: rateLimitMessage(result, what) }, ...extra },
    { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds), 'Cache-Control': 'no-store' } },
  );
}

/** The email a credentials sign-in is for (form body, or JSON), lower-cased; '' when there is none. */
async function signInEmail(req: Request): Promise<string> {
  try {
    if ((req.headers.get('content-type') ?? '').includes('application/json')) {
      const body = (await req.clone().json()) as { email?: unknown };
      return typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    }
    return String((await req.clone().formData()).get('email') ?? '').trim().toLowerCase();
  } catch {
    return '';
  }
}

/**
 * The sign-in limit, checked before next-auth sees a `POST /api/auth/callback/credentials`:
 * RATE_LIMIT_SIGNIN per client IP and email, RATE_LIMIT_SIGNIN_IP per client IP. Over a limit →
 * 429 with Retry-After and the JSON error; the body also carries the `url` next-auth's client
 * reads (`/signin?error=RateLimited`), so `signIn(…, { redirect: false })` resolves with
 * `ok: false, status: 429` instead of throwing. Null when the request may go on.
 */
export async function signInRateLimit(db: DbTx, req: Request, nextauth: string[], now: Date = new Date()): Promise<Response | null> {
  if (req.method !== 'POST' || nextauth[0] !== 'callback' || nextauth[1] !== 'credentials') return null;
  const c = config();
  const ip = clientIp(req.headers, c.TRUST_PROXY);
  const email = await signInEmail(req);
  const exceeded = await checkRateLimits(
    db,
    [
      { bucket: 'signin', identity: `${ip}|${email}`, rule: c.RATE_LIMIT_SIGNIN },
      { bucket: 'signin-ip', identity: ip, rule: c.RATE_LIMIT_SIGNIN_IP },
    ],
    now,
  );
  if (!exceeded) return null;
  let signInUrl = '/signin?error=RateLimited';
  try {
    signInUrl = new URL(signInUrl, process.env.NEXTAUTH_URL || req.url).toString();
  } catch {
    // keep the relative URL
  }
  return rateLimitedResponse(exceeded, 'too many sign-in attempts', { url: signInUrl });
}

/**
 * The client's IP address, for rate limits.
 *
 * Route handlers never see the socket. `next start` writes the socket's address into
 * `X-Forwarded-For` when the request has no such header, and keeps the header when it has one.
 * So the address is taken from `X-Forwarded-For`, `TRUST_PROXY` hops from the right:
 *   - TRUST_PROXY=false (0, default; Orbita faces clients directly): the right-most entry, which is
 *     the socket address Next.js recorded. A client that sends its own X-Forwarded-For can pick its
 *     bucket, so deployments reachable from the internet should sit behind a proxy.
 *   - TRUST_PROXY=true (1) or N: the entry your N-th proxy appended (the right-most for one proxy,
 *     which must append to or overwrite X-Forwarded-For); entries further left came from the client
 *     and are ignored.
 * `X-Real-IP` is the fallback when there is no X-Forwarded-For; `unknown` when neither holds an address.
 */
export function clientIp(headers: Headers, trustProxy: number = config().TRUST_PROXY): string {
  const forwarded = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => normalizeIp(part))
    .filter((part): part is string => part !== null);
  if (forwarded.length) return forwarded[Math.max(0, forwarded.length - Math.max(1, trustProxy))];
  return normalizeIp(headers.get('x-real-ip') ?? '') ?? 'unknown';
}

function normalizeIp(raw: string): string | null {
  let value = raw.trim();
  if (/^\[.*\](:\d+)?$/.test(value)) value = value.slice(1, value.indexOf(']'));
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  if (value.startsWith('::ffff:') && isIP(value.slice(7)) === 4) value = value.slice(7);
  return isIP(value) ? value.toLowerCase() : null;
}
