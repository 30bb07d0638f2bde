import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, formatPretty, logFormat, logLevel } from '../lib/logger';
import { projectRoot } from '../lib/paths';

/** A logger at `level` whose lines are collected, in the given format (and its own TTY flag). */
function capture(format?: 'json' | 'pretty', isTTY?: boolean) {
  const lines: string[] = [];
  const logger = createLogger({ write: (line: string) => void lines.push(line), isTTY } as never, { level: 'debug' }, { format });
  return { logger, lines };
}

const localClock = (epochMs: number) => {
  const t = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}.${String(t.getMilliseconds()).padStart(3, '0')}`;
};

describe('pretty log lines', () => {
  const time = Date.UTC(2026, 10, 27, 8, 5, 9, 42);

  it('local time, level word, message, then the fields as key=value', () => {
    const line = JSON.stringify({ level: 30, time, pid: 42, hostname: 'box', publisher: 'amqp', batch_size: 100, note: 'two words', nested: { a: 1, b: ['x'] }, msg: 'outbox worker started' });
    expect(formatPretty(line)).toBe(`${localClock(time)} INFO  outbox worker started publisher=amqp batch_size=100 note="two words" nested={"a":1,"b":["x"]}\n`);
  });

  it('a line without a message, and a line that is not JSON', () => {
    expect(formatPretty(JSON.stringify({ level: 40, time, marked: 3 }))).toBe(`${localClock(time)} WARN  marked=3\n`);
    expect(formatPretty('not json\n')).toBe('not json\n');
  });

  it('an error shows its message and what else it carries; its stack only when asked', () => {
    const line = JSON.stringify({ level: 50, time, err: { type: 'Error', message: 'connection refused', stack: 'Error: connection refused\n    at connect (db.ts:1:1)', code: 'ECONNREFUSED' }, msg: 'sync failed' });
    expect(formatPretty(line)).toBe(`${localClock(time)} ERROR sync failed err="connection refused" err.code=ECONNREFUSED\n`);
    expect(formatPretty(line, { stacks: true })).toBe(
      `${localClock(time)} ERROR sync failed err="connection refused" err.code=ECONNREFUSED\n    Error: connection refused\n        at connect (db.ts:1:1)\n`,
    );
    // lib/calendar/connection.ts logs a described upstream error: { message, status, reason }.
    const upstream = JSON.stringify({ level: 40, time, userId: 'u1', err: { message: 'Token has been expired or revoked.', status: 400, reason: 'invalid_grant' }, msg: 'oauth token refresh failed' });
    expect(formatPretty(upstream)).toBe(`${localClock(time)} WARN  oauth token refresh failed userId=u1 err="Token has been expired or revoked." err.status=400 err.reason=invalid_grant\n`);
  });

  it('colours the level word only when asked', () => {
    const line = JSON.stringify({ level: 40, time, msg: 'careful' });
    expect(formatPretty(line, { colors: true })).toContain('\x1b[33mWARN \x1b[0m');
    expect(formatPretty(line)).not.toContain('\x1b[');
  });
});

describe('the logger in the pretty format', () => {
  afterEach(() => void vi.unstubAllEnvs());

  it('keeps secrets redacted, by field, by shape and by configured value', () => {
    vi.stubEnv('MCP_AUTH_TOKEN', 'mcp-token-value-123');
    const { logger, lines } = capture('pretty');
    logger.warn(
      { token: 'tok-abcdef-123', user: { password: 'hunter2-pass' }, url: 'postgres://orbita:hunter2@db/orbita', note: 'sent mcp-token-value-123' },
      'refresh failed with Bearer abcdef123456',
    );
    logger.error({ err: new Error('upstream said sk_live_1234567890') }, 'stripe failed');
    const text = lines.join('');
    expect(lines).toHaveLength(2);
    for (const leak of ['tok-abcdef-123', 'hunter2', 'mcp-token-value-123', 'abcdef123456', 'sk_live_1234567890']) expect(text).not.toContain(leak);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}refresh failed with Bearer \[redacted\] token=\[redacted\] user=\{"password":"\[redacted\]"\} url=postgres:\/\/orbita:\[redacted\]@db\/orbita note="sent \[redacted\]"\n$/);
    // At debug level the stack follows the error line.
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR stripe failed err="upstream said \[redacted\]"\n {4}Error: upstream said \[redacted\]\n {8}at /);
  });
});

describe('choosing the format', () => {
  it('LOG_FORMAT wins; unset (or malformed: config() reports it) → pretty on a terminal, JSON otherwise', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(logFormat({ LOG_FORMAT: 'yaml' }, false)).toBe('json');
    expect(logFormat({ LOG_FORMAT: '' }, true)).toBe('pretty');
  });

  it('a malformed LOG_LEVEL falls back to the default instead of crashing at import', () => {
    expect(logLevel({ LOG_LEVEL: 'debug' })).toBe('debug');
    expect(logLevel({ LOG_LEVEL: 'verbose' })).toBe('info');
  });

  it('follows the destination: JSON to a pipe or file, pretty to a terminal', () => {
    const piped = capture();
    piped.logger.info({ a: 1 }, 'hello');
    expect(JSON.parse(piped.lines[0])).toMatchObject({ level: 30, a: 1, msg: 'hello' });
    const terminal = capture(undefined, true);
    terminal.logger.info({ a: 1 }, 'hello');
    expect(terminal.lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}hello a=1\n$/);
  });

  it.each([
    ['the servers, on stdout', {}, 'stdout'],
    ['the CLI, on stderr', { ORBITA_CLI: '1' }, 'stderr'],
  ] as const)('the process logger of %s: JSON when piped, pretty with LOG_FORMAT=pretty', (_, env, stream) => {
    const run = (extra: Record<string, string>) => {
      const result = spawnSync(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', "const { logger } = await import('./lib/logger.ts'); logger.warn({ a: 1 }, 'hello');"],
        { cwd: projectRoot, encoding: 'utf8', env: { NODE_ENV: 'test', PATH: process.env.PATH, HOME: process.env.HOME, ...env, ...extra } },
      );
      return result[stream];
    };
    expect(JSON.parse(run({}))).toMatchObject({ level: 40, a: 1, msg: 'hello' });
    expect(run({ LOG_FORMAT: 'pretty' })).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}hello a=1\n$/);
  });
});
