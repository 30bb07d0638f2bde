import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../lib/config';
import { parseDuration } from '../lib/duration';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['5s', 5000],
    ['1m', 60_000],
    ['24h', 86_400_000],
    ['1h30m', 5_400_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'abc', '5', '5 s', '-1s', '0s', '1w'])('rejects %j', (text) => expect(parseDuration(text)).toBeNull());
});

describe('parseConfig', () => {
  it('applies the defaults of SPEC §8', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      OUTBOX_POLL_INTERVAL: 1000,
      OUTBOX_BATCH_SIZE: 100,
      OUTBOX_MAX_RETRIES: 5,
      OUTBOX_STATS_INTERVAL: 30_000,
      OUTBOX_RETENTION_DAYS: 14,
      OUTBOX_CLEANUP_INTERVAL: 86_400_000,
      OUTBOX_PROCESSOR_ENABLED: true,
      WORKER_HEALTH_ADDR: { host: '0.0.0.0', port: 8081 },
      MCP_ADDR: { host: '0.0.0.0', port: 8082 },
      CALENDAR_DELETE_MISSING: false,
      CALENDAR_ID: 'primary',
      GOOGLE_API_BASE_URL: 'https://www.googleapis.com/',
      PORT: 3000,
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.RABBITMQ_URL).toBeUndefined();
    expect(c.LOG_FORMAT).toBeUndefined(); // lib/logger.ts: pretty on a terminal, JSON otherwise
  });

  it('reads set values', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const c = parseConfig({
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/orbita',
      OUTBOX_POLL_INTERVAL: '250ms',
      OUTBOX_BATCH_SIZE: '500',
      OUTBOX_PROCESSOR_ENABLED: 'false',
      WORKER_HEALTH_ADDR: '127.0.0.1:9000',
      ORBITA_ENCRYPTION_KEY: key,
      ORBITA_ENCRYPTION_KEYS_OLD: `${key}, ${Buffer.alloc(32, 1).toString('base64')}`,
      OAUTH_SCOPES: 'a, b',
      CALENDAR_DELETE_MISSING: 'true',
      LOG_FORMAT: 'json',
    });
    expect(c.OUTBOX_POLL_INTERVAL).toBe(250);
    expect(c.OUTBOX_BATCH_SIZE).toBe(500);
    expect(c.OUTBOX_PROCESSOR_ENABLED).toBe(false);
    expect(c.WORKER_HEALTH_ADDR).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(c.ORBITA_ENCRYPTION_KEYS_OLD).toHaveLength(2);
    expect(c.OAUTH_SCOPES).toEqual(['a', 'b']);
    expect(c.CALENDAR_DELETE_MISSING).toBe(true);
    expect(c.LOG_FORMAT).toBe('json');
  });

  it.each([
    ['OUTBOX_POLL_INTERVAL', 'soon', /duration/],
    ['OUTBOX_STATS_INTERVAL', '30', /duration/],
    ['OUTBOX_CLEANUP_INTERVAL', 'daily', /duration/],
    ['OUTBOX_LEASE_DURATION', '500ms', /at least 1s/],
    ['OUTBOX_BATCH_SIZE', 'many', /whole number/],
    ['OUTBOX_BATCH_SIZE', '0', /whole number/],
    ['OUTBOX_MAX_RETRIES', '2.5', /whole number/],
    ['OUTBOX_RETENTION_DAYS', '-1', /whole number/],
    ['OUTBOX_PROCESSOR_ENABLED', 'maybe', /true or false/],
    ['CALENDAR_DELETE_MISSING', 'sometimes', /true or false/],
    ['WORKER_HEALTH_ADDR', 'localhost', /host:port/],
    ['MCP_ADDR', '0.0.0.0:99999', /host:port/],
    ['ORBITA_ENCRYPTION_KEY', 'c2hvcnQ=', /32 bytes/],
    ['ORBITA_ENCRYPTION_KEYS_OLD', 'not base64!', /32 bytes/],
    ['DATABASE_URL', 'mysql://localhost/x', /URL/],
    ['RABBITMQ_URL', 'http://localhost', /URL/],
    ['ORBITA_USER_ID', 'alice', /UUID/],
    ['OAUTH_PROVIDER', 'github', /google/],
    ['PORT', 'eighty', /whole number/],
    ['LOG_LEVEL', 'verbose', /one of fatal, error, warn, info, debug, trace, silent/],
    ['LOG_FORMAT', 'yaml', /must be json or pretty/],
  ])('%s=%j stops start-up with a line naming it', (variable, value, expected) => {
    let error: unknown;
    try {
      parseConfig({ [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(new RegExp(`^invalid configuration: ${variable} `));
    expect(message).toMatch(expected);
    expect(message).not.toContain('\n');
  });

  it('never echoes secrets or connection strings in the error', () => {
    expect(() => parseConfig({ ORBITA_ENCRYPTION_KEY: 'supersecretvalue' })).toThrow(/^(?!.*supersecretvalue)/);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://user:hunter2@db/x' })).toThrow(/^(?!.*hunter2)/);
  });
});
