import pino, { type DestinationStream, type LoggerOptions } from 'pino';

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

/** Structured logs: one line per event, `msg` plus fields. Secrets are redacted twice: by field name, then by shape and value. */
export const loggerOptions: LoggerOptions = {
  level: process.env.LOG_LEVEL || (isCli ? 'warn' : 'info'),
  redact: { paths: redactPaths, censor },
  hooks: { streamWrite: scrubSecrets },
};

/** A logger with Orbita's options writing to `destination` (tests capture lines this way). */
export function createLogger(destination?: DestinationStream, overrides: LoggerOptions = {}) {
  return pino({ ...loggerOptions, ...overrides }, destination ?? pino.destination(isCli ? 2 : 1));
}

export const logger = createLogger();
