import pino, { type DestinationStream, type LoggerOptions } from 'pino';
import { type LogFormat, logFormats, logLevels } from './config';

// The CLI keeps stdout for its output (tables, --json); its logs go to stderr and only from warn up.
const isCli = process.env.ORBITA_CLI === '1';

/**
 * Field names whose values never reach a log line, at any depth up to four levels (`token`,
 * `err.token`, `req.headers.authorization`, `metadata.error.client_secret`, …).
 */
const secretFields = [
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  '"set-cookie"',
  'password',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'password_hash',
  'token',
  'tokenHash',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'sessionToken',
  'csrfToken',
  'code_verifier',
  'codeVerifier',
  'clientSecret',
  'client_secret',
  'secret',
  'apiKey',
  'api_key',
  'webhookSecret',
  '"stripe-signature"',
  'encryptionKey',
  'NEXTAUTH_SECRET',
  'OAUTH_CLIENT_SECRET',
  'STRIPE_API_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'MCP_AUTH_TOKEN',
  'METRICS_TOKEN',
  'ORBITA_ENCRYPTION_KEY',
  'ORBITA_ENCRYPTION_KEYS_OLD',
];

const field = (name: string) => (name.startsWith('"') ? `[${name}]` : `.${name}`);

export const redactPaths = secretFields.flatMap((name) => {
  const tail = field(name);
  return [tail.startsWith('.') ? name : name.slice(1, -1), `*${tail}`, `*.*${tail}`, `*.*.*${tail}`];
});

/** Shapes of secrets that may turn up inside a message or an error text, whatever the field. */
const secretPatterns: [RegExp, string][] = [
  [/\borb_pat_[A-Za-z0-9_-]{6,}/g, '[redacted]'], // personal access tokens
  [/\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9_]{3,}/g, '[redacted]'], // Stripe API keys
  [/\bwhsec_[A-Za-z0-9_]{3,}/g, '[redacted]'], // Stripe webhook secrets
  [/\bya29\.[A-Za-z0-9._-]+/g, '[redacted]'], // Google access tokens
  [/\b1\/\/[A-Za-z0-9._-]{10,}/g, '[redacted]'], // Google refresh tokens
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, '$1 [redacted]'], // Authorization header values
  [/((?:__Secure-|__Host-)?next-auth\.[a-z.-]+(?:\.\d+)?=)[^;"\s\\]+/g, '$1[redacted]'], // next-auth cookies
  [/(:\/\/[^:/@\s"]+:)[^@\s"]+@/g, '$1[redacted]@'], // passwords in connection URLs
  [/([?&](?:code|access_token|refresh_token|id_token|client_secret|token)=)[^&#"\s\\]+/g, '$1[redacted]'], // secrets in query strings
];

const secretEnv = [
  'NEXTAUTH_SECRET',
  'OAUTH_CLIENT_SECRET',
  'STRIPE_API_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'MCP_AUTH_TOKEN',
  'METRICS_TOKEN',
  'ORBITA_ENCRYPTION_KEY',
  'ORBITA_ENCRYPTION_KEYS_OLD',
];

/** The configured secrets themselves (read at each write: tests and the CLI set them late), as they appear inside JSON. */
function configuredSecrets(): string[] {
  const values: string[] = [];
  for (const name of secretEnv) {
    for (const value of (process.env[name] ?? '').split(',')) {
      const trimmed = value.trim();
      if (trimmed.length >= 8) values.push(JSON.stringify(trimmed).slice(1, -1));
    }
  }
  return values;
}

const censor = '[redacted]';

/**
 * The last line of defence, on the serialized line: known secret shapes and the configured secret
 * values are replaced, whatever field or message they hide in.
 */
export function scrubSecrets(line: string): string {
  let out = line;
  for (const [pattern, replacement] of secretPatterns) out = out.replace(pattern, replacement);
  for (const secret of configuredSecrets()) if (out.includes(secret)) out = out.split(secret).join(censor);
  return out;
}

// LOG_LEVEL and LOG_FORMAT are read here, when the module loads, before config() has validated them:
// a malformed value falls back to the default and config() then stops the process naming it.
const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined =>
  values.find((v) => v === value?.trim());

/** The level: LOG_LEVEL, else `warn` for the CLI and `info` for the servers. */
export const logLevel = (env: Record<string, string | undefined> = process.env) => oneOf(logLevels, env.LOG_LEVEL) ?? (isCli ? 'warn' : 'info');

/** The line format: LOG_FORMAT, else pretty when the log goes to a terminal and JSON otherwise. */
export const logFormat = (env: Record<string, string | undefined>, isTTY: boolean): LogFormat => oneOf(logFormats, env.LOG_FORMAT) ?? (isTTY ? 'pretty' : 'json');

/** Structured logs: one line per event, `msg` plus fields. Secrets are redacted twice: by field name, then by shape and value. */
export const loggerOptions: LoggerOptions = {
  level: logLevel(),
  redact: { paths: redactPaths, censor },
  hooks: { streamWrite: scrubSecrets },
};

export interface PrettyOptions {
  /** ANSI colours for the level word (a colour terminal, NO_COLOR unset). */
  colors?: boolean;
  /** An error's stack under its line (LOG_LEVEL debug or trace, or ORBITA_DEBUG=1). */
  stacks?: boolean;
}

const levelColors: Record<string, number> = { trace: 90, debug: 36, info: 32, warn: 33, error: 31, fatal: 35 };
const paint = (on: boolean | undefined, code: number, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);
const skippedFields = new Set(['level', 'time', 'msg', 'pid', 'hostname']);
const errorSkipped = new Set(['message', 'type', 'stack']);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"'=\\]+$/.test(value) ? value : JSON.stringify(value);
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * One pino JSON line (already redacted) as one readable line: local time, level, message, then the
 * other fields as key=value (nested objects as compact JSON; an error as its message and its other
 * fields as err.<name>=…, its stack on the following lines only with `stacks`). A line that is not
 * JSON passes through unchanged.
 */
export function formatPretty(line: string, options: PrettyOptions = {}): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const time = new Date(typeof entry.time === 'number' || typeof entry.time === 'string' ? entry.time : Date.now());
  const label = typeof entry.level === 'number' ? (pino.levels.labels[entry.level] ?? String(entry.level)) : String(entry.level ?? 'log');
  const parts = [
    paint(options.colors, 2, `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`),
    paint(options.colors, levelColors[label] ?? 0, label.toUpperCase().padEnd(5)),
  ];
  if (entry.msg !== undefined && entry.msg !== '') parts.push(String(entry.msg));
  const pair = (key: string, value: unknown) => `${paint(options.colors, 2, `${key}=`)}${formatValue(value)}`;
  let stack = '';
  for (const [key, value] of Object.entries(entry)) {
    if (skippedFields.has(key) || value === undefined) continue;
    const error = value as { message?: unknown; stack?: unknown } | null;
    if (key === 'err' && error && typeof error === 'object' && typeof error.message === 'string') {
      // The message, then what else the error carries (code, status, reason…) but its type and stack.
      parts.push(pair('err', error.message));
      for (const [name, detail] of Object.entries(error)) if (!errorSkipped.has(name) && detail !== undefined) parts.push(pair(`err.${name}`, detail));
      if (options.stacks && typeof error.stack === 'string') stack = `\n${error.stack.replace(/^/gm, '    ')}`;
    } else {
      parts.push(pair(key, value));
    }
  }
  return `${parts.join(' ')}${stack}\n`;
}

/** A destination that writes each pino line to `destination` in the pretty format. */
export function prettyDestination(destination: DestinationStream, options: PrettyOptions = {}): DestinationStream {
  const target = destination as DestinationStream & { flush?: (cb?: (error?: Error) => void) => void };
  return {
    write: (line: string) => target.write(formatPretty(line, options)),
    // pino's logger.flush(cb) reaches the real stream (mcp/main.ts flushes before exiting).
    flush: (cb?: (error?: Error) => void) => (target.flush ? target.flush(cb) : cb?.()),
  } as DestinationStream;
}

/** True when `stream` is a terminal that shows colours and NO_COLOR is unset. */
const showsColors = (stream: NodeJS.WriteStream) => Boolean(stream.isTTY && stream.hasColors?.() && !process.env.NO_COLOR);

export interface LogOutput {
  /** Default: LOG_FORMAT, else pretty when the destination is a terminal and JSON otherwise. */
  format?: LogFormat;
  /** Pretty format only; default: the terminal's own stream shows colours. */
  colors?: boolean;
}

/**
 * A logger with Orbita's options writing to `destination` (tests capture lines this way), by default
 * stdout (stderr for the CLI), as JSON or, on a terminal, one readable line per message. Redaction
 * runs on the JSON line before it is formatted, so both formats are scrubbed alike.
 */
export function createLogger(destination?: DestinationStream, overrides: LoggerOptions = {}, output: LogOutput = {}) {
  const terminal = isCli ? process.stderr : process.stdout;
  const isTTY = destination ? Boolean((destination as { isTTY?: boolean }).isTTY) : Boolean(terminal.isTTY);
  const options = { ...loggerOptions, ...overrides };
  const stream = destination ?? pino.destination(isCli ? 2 : 1);
  if ((output.format ?? logFormat(process.env, isTTY)) === 'json') return pino(options, stream);
  const level = String(options.level ?? 'info');
  return pino(
    options,
    prettyDestination(stream, {
      colors: output.colors ?? (!destination && showsColors(terminal)),
      stacks: Boolean(process.env.ORBITA_DEBUG) || level === 'debug' || level === 'trace',
    }),
  );
}

export const logger = createLogger();
