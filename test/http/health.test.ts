import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as apiHealth } from '../../app/api/health/route';
import { GET as readyz } from '../../app/readyz/route';
import { resetConfig } from '../../lib/config';
import { connectDatabase, createDb, disconnectDb } from '../../lib/db/client';
import { migrateDown, migrateUp } from '../../lib/db/migrate';
import { createUser } from '../../lib/identity/users';
import { startMcpHttpServer } from '../../mcp/http';
import { createTestDatabase, testServerUrl, type TestDatabase } from '../helpers/database';
import { TestBrowser } from '../helpers/next-request';
import { TcpProxy } from '../helpers/tcp-proxy';
import { userWithToken } from '../helpers/users';

/**
 * Issue 18 §4: the health endpoints say no more than they must. Anyone gets the status and the
 * names of the checks; the error text and the pending migrations go only to a caller presenting
 * METRICS_TOKEN or to an admin. The database is reached through a TCP proxy, so an outage is this
 * file's alone. (The worker's endpoints: test/outbox/worker.test.ts.)
 */
vi.mock('next/headers', async () => (await import('../helpers/next-headers')).nextHeaders);

const postgres = testServerUrl();
const appUrl = 'http://localhost:3000';
const metricsToken = `metrics-${randomBytes(12).toString('hex')}`;
const password = `Health-Check-${randomBytes(6).toString('hex')}`;

let database: TestDatabase;
let proxy: TcpProxy;
let proxiedUrl: string;
let admin: { id: string; token: string };
let member: { id: string; token: string };

beforeAll(async () => {
  if (!postgres) return;
  database = await createTestDatabase();
  const target = new URL(database.url);
  proxy = await new TcpProxy(Number(target.port || 5432), target.hostname).up();
  proxiedUrl = Object.assign(new URL(database.url), { port: String(proxy.port) }).toString();
  connectDatabase(proxiedUrl);
  admin = await userWithToken(database.db, 'Ada Admin', 'UTC');
  await database.db.user.update({ where: { id: admin.id }, data: { isAdmin: true } });
  member = await userWithToken(database.db, 'Max Member', 'UTC');
  Object.assign(process.env, { NEXTAUTH_URL: appUrl, NEXTAUTH_SECRET: `health-${randomBytes(12).toString('hex')}` });
  resetConfig();
});
afterEach(async () => {
  delete process.env.METRICS_TOKEN;
  resetConfig();
  await proxy?.up().catch(() => {});
});
afterAll(async () => {
  delete process.env.NEXTAUTH_URL;
  delete process.env.NEXTAUTH_SECRET;
  await disconnectDb();
  await proxy?.down();
  await database?.drop();
});

const get = (route: (req: Request) => Promise<Response>, path: string, authorization?: string) =>
  route(new Request(`${appUrl}${path}`, { headers: authorization ? { authorization } : {} }));

async function answer(response: Response) {
  return { status: response.status, text: await response.text() };
}

/** Nothing in `text` that only the database error could have put there. */
function expectNoErrorText(text: string) {
  expect(text).not.toMatch(/can't reach|database server|ECONNREFUSED|connect|terminat|timeout|127\.0\.0\.1|localhost|\d{4,5}|error"\s*:\s*"|"message"|"pending"/i);
}

describe.skipIf(!postgres)('web health endpoints while the database is down', () => {
  it('/api/health and /readyz: 503 with the check names for anyone; the error only with METRICS_TOKEN', async () => {
    process.env.METRICS_TOKEN = metricsToken;
    resetConfig();
    await proxy.down();

    for (const [route, path, body] of [
      [apiHealth, '/api/health', { status: 'error', checks: { database: 'unreachable' } }],
      [readyz, '/readyz', { status: 'unavailable', checks: { database: 'unreachable' } }],
    ] as const) {
      // Anonymous, a wrong token, a token that is not even well-formed, a personal access token that
      // cannot be checked now: the same public answer, never a 401 or a 500.
      for (const authorization of [undefined, 'Bearer not-the-token', 'Basic Zm9vOmJhcg==', `Bearer ${admin.token}`]) {
        const { status, text } = await answer(await get(route, path, authorization));
        expect(status, `${path} ${authorization}`).toBe(503);
        expect(JSON.parse(text)).toEqual(body);
        expectNoErrorText(text);
      }
      const operator = await get(route, path, `Bearer ${metricsToken}`);
      expect(operator.status).toBe(503);
      const detailed = (await operator.json()) as Record<string, unknown>;
      expect(detailed).toMatchObject(body);
      expect(JSON.stringify(detailed.error)).toMatch(/reach database server|ECONNREFUSED|connect|terminat|timeout/i);
    }
  });

  it('without METRICS_TOKEN configured, no Bearer value unlocks the details', async () => {
    await proxy.down();
    const { status, text } = await answer(await get(apiHealth, '/api/health', 'Bearer '));
    expect(status).toBe(503);
    expectNoErrorText(text);
    expect(JSON.parse((await answer(await get(readyz, '/readyz', 'Bearer undefined'))).text)).toEqual({ status: 'unavailable', checks: { database: 'unreachable' } });
  });

  it('the MCP server\'s /health says only its status, whatever the database does', async () => {
    const mcpDb = createDb(proxiedUrl, { max: 1 });
    const mcp = await startMcpHttpServer({ db: mcpDb, host: '127.0.0.1', port: 0 });
    try {
      await proxy.down();
      const health = await fetch(`${mcp.url}/health`, { headers: { authorization: `Bearer ${metricsToken}` } });
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
    } finally {
      await mcp.close(500);
      await mcpDb.$disconnect();
    }
  });
});

describe.skipIf(!postgres)('/readyz with a migration pending (the database up)', () => {
  it('anyone learns that migrations are pending; METRICS_TOKEN and admins (token or session) learn which', async () => {
    process.env.METRICS_TOKEN = metricsToken;
    resetConfig();
    const email = `admin-${randomBytes(4).toString('hex')}@example.com`;
    const adminWithPassword = await createUser(database.db, { email, password, name: 'Session Admin' });
    await database.db.user.update({ where: { id: adminWithPassword.id }, data: { isAdmin: true } });
    const browser = new TestBrowser(appUrl);
    await browser.authForm('callback/credentials', { email, password });
    expect((await browser.session())?.user?.id).toBe(adminWithPassword.id);

    const [reverted] = await migrateDown(database.url, 1);
    try {
      const publicBody = { status: 'unavailable', checks: { database: 'ok', migrations: 'pending' } };
      for (const authorization of [undefined, `Bearer ${member.token}`, 'Bearer wrong']) {
        const response = await get(readyz, '/readyz', authorization);
        expect(response.status).toBe(503);
        expect(await response.json()).toEqual(publicBody);
      }
      const detailed = { ...publicBody, pending: [reverted], error: '1 migration(s) pending: run npm run db:migrate' };
      for (const authorization of [`Bearer ${metricsToken}`, `Bearer ${admin.token}`]) {
        const response = await get(readyz, '/readyz', authorization);
        expect(response.status).toBe(503);
        expect(await response.json()).toEqual(detailed);
      }
      // A signed-in admin's browser.
      const viaSession = await readyz(browser.request('/readyz'));
      expect(await viaSession.json()).toEqual(detailed);
      // The same browser once the user is no admin any more.
      await database.db.user.update({ where: { id: adminWithPassword.id }, data: { isAdmin: false } });
      expect(await (await readyz(browser.request('/readyz'))).json()).toEqual(publicBody);
    } finally {
      await migrateUp(database.url);
    }
    expect(await (await get(readyz, '/readyz')).json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'up to date' } });
    expect(await (await get(apiHealth, '/api/health')).json()).toEqual({ status: 'ok', checks: { database: 'ok' } });
  });
});
