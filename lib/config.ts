import { z } from 'zod';
import { formatDuration, parseDuration } from './duration';

/**
 * Typed configuration, validated once at start-up from process.env with SPEC §8's defaults.
 * A malformed value stops the process with one line naming the variable (see ConfigError).
 */

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly received: string | undefined,
  ) {
    super(`invalid configuration: ${variable} ${expected}${received === undefined ? '' : ` (got ${JSON.stringify(received)})`}`);
    this.name = 'ConfigError';
  }
}

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const duration = (fallback: string, minimumMs = 1) =>
  z.preprocess(blankToUndefined, z.string().default(fallback)).transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration like 250ms, 5s, 1m or 24h' });
      return z.NEVER;
    }
    if (ms < minimumMs) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${formatDuration(minimumMs)}` });
      return z.NEVER;
    }
    return ms;
  });

const positiveInt = (fallback: number, max = 1_000_000) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d+$/, `must be a whole number from 1 to ${max}`)
      .transform(Number)
      .pipe(z.number().int().min(1, `must be a whole number from 1 to ${max}`).max(max, `must be a whole number from 1 to ${max}`))
      .default(fallback),
  );

const boolean = (fallback: boolean) =>
  z.preprocess(
    blankToUndefined,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
      .transform((v) => v === 'true' || v === '1' || v === 'yes')
      .default(fallback),
  );

const url = (protocols: string[]) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      }, `must be a URL (${protocols.join(' or ')}//…)`)
      .optional(),
  );

const hostPort = (fallback: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .default(fallback)
      .transform((value, ctx) => {
        const match = /^(.*):(\d{1,5})$/.exec(value);
        const port = match ? Number(match[2]) : NaN;
        if (!match || port > 65535) {
          ctx.addIssue({ code: 'custom', message: 'must be host:port, e.g. 0.0.0.0:8081' });
          return z.NEVER;
        }
        return { host: match[1].replace(/^\[(.*)\]$/, '$1') || '0.0.0.0', port };
      }),
  );

const encryptionKey = z
  .string()
  .refine((value) => /^[A-Za-z0-9+/]+={0,2}$/.test(value.trim()) && Buffer.from(value.trim(), 'base64').length === 32, {
    message: 'must be base64 of exactly 32 bytes (generate one with: openssl rand -base64 32)',
  })
  .transform((value) => value.trim());

const optionalString = z.preprocess(blankToUndefined, z.string().optional());

/** A rate limit written `<count>/<window>` (`10/1m`, `600/1m`, `10/1h`), or `off`. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}
const rateLimit = (fallback: string) =>
  z.preprocess(blankToUndefined, z.string().default(fallback)).transform((text, ctx): RateLimitRule | null => {
    if (text.trim().toLowerCase() === 'off') return null;
    const match = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(text);
    const windowMs = match ? parseDuration(match[2]) : null;
    if (!match || windowMs === null || Number(match[1]) < 1 || Number(match[1]) > 1_000_000) {
      ctx.addIssue({ code: 'custom', message: 'must be <count>/<window> like 10/1m or 600/1m (count 1 to 1000000), or off' });
      return z.NEVER;
    }
    return { limit: Number(match[1]), windowMs };
  });

/** LOG_LEVEL's values (pino's levels); lib/logger.ts reads the variable before config() runs. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** LOG_FORMAT's values. */
export const logFormats = ['json', 'pretty'] as const;
export type LogFormat = (typeof logFormats)[number];

const configSchema = z.object({
  DATABASE_URL: url(['postgres:', 'postgresql:']),
  RABBITMQ_URL: url(['amqp:', 'amqps:']),
  ORBITA_ENCRYPTION_KEY: z.preprocess(blankToUndefined, encryptionKey.optional()),
  ORBITA_ENCRYPTION_KEYS_OLD: z.preprocess(
    blankToUndefined,
    z
      .string()
      .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
      .pipe(z.array(encryptionKey))
      .default([]),
  ),
  OUTBOX_POLL_INTERVAL: duration('1s'),
  OUTBOX_BATCH_SIZE: positiveInt(100, 10_000),
  OUTBOX_MAX_RETRIES: positiveInt(5, 1000),
  OUTBOX_STATS_INTERVAL: duration('30s'),
  OUTBOX_RETENTION_DAYS: positiveInt(14, 36_500),
  OUTBOX_CLEANUP_INTERVAL: duration('24h'),
  OUTBOX_PROCESSOR_ENABLED: boolean(true),
  /** How long a claimed batch is leased; a crashed worker's rows go to another worker after it. */
  // A live worker renews a slow batch's lease every third of it: shorter than 1 s would be mostly renewals.
  OUTBOX_LEASE_DURATION: duration('30s', 1000),
  WORKER_HEALTH_ADDR: hostPort('0.0.0.0:8081'),
  ORBITA_USER_ID: z.preprocess(blankToUndefined, z.uuid({ message: 'must be a user id (a UUID; see `orbita user list`)' }).optional()),
  OAUTH_CLIENT_ID: optionalString,
  OAUTH_CLIENT_SECRET: optionalString,
  OAUTH_AUTH_URL: url(['https:', 'http:']),
  OAUTH_TOKEN_URL: url(['https:', 'http:']),
  OAUTH_REDIRECT_URL: url(['https:', 'http:']),
  OAUTH_SCOPES: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('https://www.googleapis.com/auth/calendar,openid,email')
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  ),
  OAUTH_PROVIDER: z.preprocess(blankToUndefined, z.enum(['google'], { message: 'must be google' }).optional()),
  CALENDAR_DELETE_MISSING: boolean(false),
  CALENDAR_ID: z.preprocess(blankToUndefined, z.string().default('primary')),
  STRIPE_API_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  GOOGLE_API_BASE_URL: z.preprocess(
    blankToUndefined,
    url(['https:', 'http:']).default('https://www.googleapis.com/').pipe(z.string()),
  ),
  STRIPE_API_BASE_URL: url(['https:', 'http:']),
  MCP_ADDR: hostPort('0.0.0.0:8082'),
  MCP_AUTH_TOKEN: optionalString,
  PORT: z.preprocess(blankToUndefined, positiveInt(3000, 65535)),
  /** Bearer token a Prometheus scrape must send to `GET /metrics` (web and worker); unset → /metrics is open. */
  METRICS_TOKEN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^\S+$/, 'must be one word (it is sent as `Authorization: Bearer <token>`), e.g. from: openssl rand -hex 32')
      .optional(),
  ),
  /** The worker's metrics listener port; 0 turns the listener off. */
  METRICS_PORT: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d+$/, 'must be a port from 0 to 65535 (0 turns the metrics listener off)')
      .transform(Number)
      .pipe(z.number().int().max(65535, 'must be a port from 0 to 65535 (0 turns the metrics listener off)'))
      .default(9464),
  ),
  /** The address the worker's metrics listener binds (loopback by default; 0.0.0.0 for a remote Prometheus). */
  METRICS_HOST: z.preprocess(blankToUndefined, z.string().default('127.0.0.1')),
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For: `false`/0 (default,
   * Next.js itself records the socket address there), `true` (= 1) or a number. The client address
   * used by rate limits is the entry that many hops from the right (lib/http/rate-limit.ts).
   */
  TRUST_PROXY: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('false')
      .transform((value, ctx) => {
        const v = value.trim().toLowerCase();
        if (v === 'false' || v === 'no' || v === '0') return 0;
        if (v === 'true' || v === 'yes') return 1;
        if (/^\d+$/.test(v) && Number(v) <= 10) return Number(v);
        ctx.addIssue({ code: 'custom', message: 'must be true, false or a number of proxy hops from 0 to 10' });
        return z.NEVER;
      }),
  ),
  /** Sign-in attempts per client IP and email (POST /api/auth/callback/credentials). */
  RATE_LIMIT_SIGNIN: rateLimit('10/1m'),
  /** Sign-in attempts per client IP, whatever the email. */
  RATE_LIMIT_SIGNIN_IP: rateLimit('30/1m'),
  /** Personal access tokens created per user. */
  RATE_LIMIT_TOKENS: rateLimit('10/1h'),
  /** Stripe webhook deliveries per client IP. */
  RATE_LIMIT_WEBHOOK: rateLimit('600/1m'),
  LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(logLevels, { message: `must be one of ${logLevels.join(', ')}` }).default('info')),
  /** Unset: pretty (one readable line per message) when the log goes to a terminal, JSON otherwise (lib/logger.ts). */
  LOG_FORMAT: z.preprocess(blankToUndefined, z.enum(logFormats, { message: `must be ${logFormats.join(' or ')} (unset: pretty on a terminal, json otherwise)` }).optional()),
});

export type Config = z.output<typeof configSchema>;

/** Parses an environment into a Config, throwing ConfigError for the first malformed variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = String(issue.path[0]);
  const raw = env[variable];
  // Secrets are never echoed back, not even in an error.
  const secret = /KEY|SECRET|TOKEN|DATABASE_URL|RABBITMQ_URL/.test(variable);
  throw new ConfigError(variable, issue.message, secret ? undefined : raw);
}

const cache = globalThis as unknown as { __orbitaConfig?: Config };

/** The process configuration, parsed from process.env on first use and cached. */
export function config(): Config {
  cache.__orbitaConfig ??= parseConfig(process.env);
  return cache.__orbitaConfig;
}

/** Forgets the cached config (tests that change process.env). */
export function resetConfig(): void {
  cache.__orbitaConfig = undefined;
}

/** True when Stripe is configured; without it the deployment is self-hosted and every module is on. */
export const isStripeConfigured = (c: Config = config()) => Boolean(c.STRIPE_API_KEY);

/** True when the OAuth variables needed for Google Calendar are all present. */
export const isOAuthConfigured = (c: Config = config()) =>
  Boolean(c.OAUTH_CLIENT_ID && c.OAUTH_CLIENT_SECRET && c.OAUTH_AUTH_URL && c.OAUTH_TOKEN_URL && c.OAUTH_REDIRECT_URL);
