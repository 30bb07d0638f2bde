import pino from 'pino';

// The CLI keeps stdout for its output (tables, --json); its logs go to stderr and only from warn up.
const isCli = process.env.ORBITA_CLI === '1';

/** Structured logs: one line per event, `msg` plus fields. Never pass a token or secret. */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL || (isCli ? 'warn' : 'info'),
    redact: { paths: ['*.token', '*.password', '*.accessToken', '*.refreshToken', '*.authorization'], censor: '[redacted]' },
  },
  pino.destination(isCli ? 2 : 1),
);
