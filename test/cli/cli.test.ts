import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { runCli } from '../helpers/cli';

let database: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url };
});
afterAll(async () => database?.drop());

describe('orbita CLI', () => {
  it('prints help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: orbita/);
    expect(result.stdout).toMatch(/health/);
    expect(result.stdout).toMatch(/user/);
  });

  it('health: one line per check naming the database, exit 0 when it answers', async () => {
    const { hostname, port, pathname } = new URL(database.url);
    const result = await runCli(['health'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^database\\s+ok\\s+PostgreSQL at ${hostname}:${port || 5432}${pathname} · reachable \\(\\d+ ms\\)$`, 'm'));
  });

  it('health --json names the database too', async () => {
    const { hostname, port, pathname } = new URL(database.url);
    const result = await runCli(['health', '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'ok',
      checks: [
        {
          name: 'database',
          ok: true,
          target: `PostgreSQL at ${hostname}:${port || 5432}${pathname}`,
          database: { kind: 'postgresql', host: hostname, port: Number(port || 5432), database: pathname.slice(1) },
        },
      ],
    });
  });

  it('health never shows the password of DATABASE_URL', async () => {
    // The test server trusts local connections: the password is accepted and ignored.
    const url = new URL(database.url);
    url.password = 's3cret-Pa55word';
    for (const args of [['health'], ['health', '--json']]) {
      const result = await runCli(args, { DATABASE_URL: url.href, LOG_LEVEL: 'trace' });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`);
      expect(result.stdout + result.stderr).not.toContain('s3cret-Pa55word');
    }
  });

  it('health against a database that is not there: a failure line, exit 1, within 5 s', async () => {
    const result = await runCli(['health'], { DATABASE_URL: 'postgres://nowhere:1/x' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^database\s+FAIL\s+PostgreSQL at nowhere:1\/x · /m);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.ms).toBeLessThan(5000);
  });

  it('health against a refused port fails fast too', async () => {
    const result = await runCli(['health', '--json'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'fail', checks: [{ name: 'database', ok: false, detail: expect.stringMatching(/refused/), target: 'PostgreSQL at 127.0.0.1:1/x' }] });
  });

  it('user create and user list', async () => {
    const created = await runCli(['user', 'create', '--email', 'Zed@Example.com', '--name', 'Zed', '--time-zone', 'Asia/Tokyo', '--password-stdin', '--json'], env, 'a long password\n');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const user = JSON.parse(created.stdout);
    expect(user).toMatchObject({ email: 'zed@example.com', name: 'Zed', timeZone: 'Asia/Tokyo' });
    const stored = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^scrypt\$/);

    const listed = await runCli(['user', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+EMAIL\s+NAME\s+TIME ZONE\s+CREATED$/m);
    expect(listed.stdout).toContain(user.id);
    expect(JSON.parse((await runCli(['user', 'list', '--json'], env)).stdout).map((u: { id: string }) => u.id)).toContain(user.id);
  });

  it('user admin grants and takes away the Operations page, by email or id', async () => {
    const created = JSON.parse((await runCli(['user', 'create', '--email', 'ops@example.com', '--json'], env)).stdout) as { id: string };
    const granted = await runCli(['user', 'admin', 'OPS@example.com'], env);
    expect(granted.stderr).toBe('');
    expect(granted.stdout.trim()).toBe('ops@example.com is now an admin (Operations page)');
    expect((await database.db.user.findUniqueOrThrow({ where: { id: created.id } })).isAdmin).toBe(true);

    const revoked = JSON.parse((await runCli(['user', 'admin', created.id, '--off', '--json'], env)).stdout);
    expect(revoked).toMatchObject({ id: created.id, isAdmin: false });
    expect((await database.db.user.findUniqueOrThrow({ where: { id: created.id } })).isAdmin).toBe(false);

    const unknown = await runCli(['user', 'admin', 'nobody@example.com'], env);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr.trim()).toBe('orbita: user not found');
    const bad = await runCli(['user', 'admin', 'not-a-ref'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^orbita: "not-a-ref" is neither a user id \(uuid\) nor an email/);
  });

  it.each([
    [['user', 'create', '--email', 'not-an-email'], /^orbita: email: enter a valid email address$/],
    [['user', 'create', '--time-zone', 'Nowhere/Land'], /^orbita: timeZone: unknown time zone/],
    [['user', 'frobnicate'], /^orbita: unknown command 'frobnicate'/],
    [['health', '--bogus'], /^orbita: unknown option '--bogus'/],
  ])('bad input %j: one clear line, exit 2, nothing written', async (args, message) => {
    const before = await database.db.user.count();
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await database.db.user.count()).toBe(before);
  });

  it('a taken email is refused', async () => {
    await runCli(['user', 'create', '--email', 'twice@example.com'], env);
    const again = await runCli(['user', 'create', '--email', 'twice@example.com'], env);
    expect(again.code).toBe(4);
    expect(again.stderr.trim()).toBe('orbita: an account with this email already exists');
  });

  it.each([
    ['OUTBOX_POLL_INTERVAL', 'often', 'must be a duration like 250ms, 5s, 1m or 24h'],
    // The logger reads these two when it loads: a bad value must reach config() too, not crash the import.
    ['LOG_LEVEL', 'verbose', 'must be one of fatal, error, warn, info, debug, trace, silent'],
    ['LOG_FORMAT', 'yaml', 'must be json or pretty (unset: pretty on a terminal, json otherwise)'],
  ])('a malformed variable stops the CLI with one line naming it: %s=%s', async (variable, value, message) => {
    const result = await runCli(['health'], { ...env, [variable]: value });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`orbita: invalid configuration: ${variable} ${message} (got "${value}")`);
  });
});
