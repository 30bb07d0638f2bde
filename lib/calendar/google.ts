import { calendar, type calendar_v3 } from '@googleapis/calendar';
import type { OAuth2Client } from 'google-auth-library';
import { config } from '../config';
import { AppError } from '../errors';

/**
 * The Google Calendar v3 adapter: the real googleapis client on GOOGLE_API_BASE_URL (the loopback
 * fake in tests), and the one retry policy every calendar call goes through.
 */

export type CalendarApi = calendar_v3.Calendar;
export type { calendar_v3 };

/** GOOGLE_API_BASE_URL with exactly one trailing slash (googleapis appends `calendar/v3/...`). */
export function googleApiRoot(base: string = config().GOOGLE_API_BASE_URL): string {
  return `${base.replace(/\/+$/, '')}/`;
}

/**
 * The Calendar v3 client for an authorized OAuth2Client. gaxios' own retry is switched off:
 * withGoogleRetry is the only retry layer, so every attempt is counted and bounded once.
 */
export function calendarApi(auth: OAuth2Client): CalendarApi {
  return calendar({ version: 'v3', rootUrl: googleApiRoot(), auth, retry: false });
}

/** Counts the HTTP requests made to Google (each attempt, retries included). */
export interface RequestCounter {
  requests: number;
}

export interface GoogleRetryOptions {
  /** Retries after the first attempt (default 5). */
  retries?: number;
  /** Backoff base: attempt n waits a random time in [0, min(capMs, baseMs · 2^n)] (full jitter). */
  baseMs?: number;
  capMs?: number;
  /** The longest Retry-After honoured (default 30 s); a longer one is cut to this. */
  maxRetryAfterMs?: number;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Incremented once per attempt. */
  counter?: RequestCounter;
}

const rateLimitReasons = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

/** What we need to know about a failed Google call. */
export interface GoogleFailure {
  /** HTTP status, or undefined when no response arrived (network error). */
  status?: number;
  /** Google's first `errors[].reason` (e.g. rateLimitExceeded, forbidden, duplicate). */
  reason?: string;
  message: string;
  retryAfterMs?: number;
}

type Loose = Record<string, unknown> | undefined;

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, unknown>;
  const value = record[name] ?? record[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Reads status, reason, message and Retry-After from a gaxios error (or anything thrown). */
export function describeGoogleError(error: unknown): GoogleFailure {
  const e = error as Record<string, unknown> & { response?: { status?: number; data?: unknown; headers?: unknown } };
  const response = e?.response;
  const rawStatus = response?.status ?? e?.status ?? (typeof e?.code === 'number' ? e.code : undefined);
  const status = typeof rawStatus === 'number' && rawStatus >= 100 ? rawStatus : undefined;
  let data = response?.data as unknown;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      /* not JSON */
    }
  }
  const body = (data as Loose)?.error as Loose;
  const errors = ((body?.errors as Loose[] | undefined) ?? (e?.errors as Loose[] | undefined)) || [];
  const reason = (errors[0]?.reason as string | undefined) ?? (typeof body?.status === 'string' && status === 429 ? 'rateLimitExceeded' : undefined);
  const message = (typeof body?.message === 'string' && body.message) || (typeof e?.message === 'string' && e.message) || String(error);
  return { status, reason, message, retryAfterMs: parseRetryAfter(headerOf(response?.headers, 'retry-after')) };
}

/** True for what is worth another attempt: 429, 403 rate limits, 5xx and network errors. */
export function isRetryable(failure: GoogleFailure): boolean {
  if (failure.status === undefined) return true;
  if (failure.status === 429 || failure.status >= 500) return true;
  return failure.status === 403 && failure.reason !== undefined && rateLimitReasons.has(failure.reason);
}

/**
 * The AppError a failed Google call becomes. `details.status` / `details.reason` keep what Google
 * said, so callers can branch on 404/409/410 (see googleStatus).
 */
export function toGoogleAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const failure = describeGoogleError(error);
  const details = { status: failure.status ?? null, reason: failure.reason ?? null };
  if (failure.status === undefined) {
    return new AppError('unavailable', `Google Calendar is unreachable: ${failure.message}`, details);
  }
  if (failure.status === 401) {
    return new AppError('unauthorized', 'Google Calendar rejected the access token (401): run `orbita auth url` to reconnect', details);
  }
  const rateLimited = isRetryable(failure) && failure.status < 500;
  const label = `Google Calendar answered ${failure.status}${failure.reason ? ` ${failure.reason}` : ''}: ${failure.message}`;
  return new AppError(rateLimited ? 'rate_limited' : 'upstream_error', label, details);
}

/** The HTTP status Google answered, for an error thrown by withGoogleRetry (undefined: no answer). */
export function googleStatus(error: unknown): number | undefined {
  const details = error instanceof AppError ? (error.details as { status?: number | null } | undefined) : undefined;
  return details?.status ?? undefined;
}

/**
 * A failure that should stop a whole sync instead of being reported against one event: auth
 * (401, or the connection needs reconnecting) and no answer from Google at all.
 */
export function isFatalGoogleError(error: unknown): boolean {
  return error instanceof AppError && (error.code === 'unauthorized' || error.code === 'unavailable');
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one Google call with bounded retries: 429, 403 rateLimitExceeded/userRateLimitExceeded, 5xx
 * and network errors are retried up to `retries` times with exponential backoff and full jitter
 * (or Retry-After when Google sends one, up to `maxRetryAfterMs`). Anything else — and the last
 * retryable failure — is thrown at once as an AppError (see toGoogleAppError): 401 →
 * `unauthorized`, no answer → `unavailable`, rate limit → `rate_limited`, any other status →
 * `upstream_error`, with `details: { status, reason }`.
 */
export async function withGoogleRetry<T>(fn: () => Promise<T>, options: GoogleRetryOptions = {}): Promise<T> {
  const { retries = 5, baseMs = 250, capMs = 8000, maxRetryAfterMs = 30_000, sleep = defaultSleep, random = Math.random, counter } = options;
  for (let attempt = 0; ; attempt++) {
    if (counter) counter.requests++;
    try {
      return await fn();
    } catch (error) {
      if (error instanceof AppError) throw error; // ours (e.g. from a nested call), already final
      const failure = describeGoogleError(error);
      if (attempt >= retries || !isRetryable(failure)) throw toGoogleAppError(error);
      const backoff = random() * Math.min(capMs, baseMs * 2 ** attempt);
      const wait = failure.retryAfterMs !== undefined ? Math.min(failure.retryAfterMs, maxRetryAfterMs) : backoff;
      await sleep(wait);
    }
  }
}
