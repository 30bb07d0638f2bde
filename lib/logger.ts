import pino from 'pino';

/** Structured logs: one line per event, `msg` plus fields. Never pass a token or secret. */
export const logger = pino({
  level: process.env.LOG_LEVEL || 'info',
  redact: { paths: ['*.token', '*.password', '*.accessToken', '*.refreshToken', '*.authorization'], censor: '[redacted]' },
});
