import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GET as readyz } from '../../app/readyz/route';
import { GET as metrics } from '../../app/metrics/route';
import { GET as getTask } from '../../app/api/v1/tasks/[id]/route';
import { GET as listTasks, POST as postTask } from '../../app/api/v1/tasks/route';
import { resetConfig } from '../../lib/config';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { migrateDown, migrateUp } from '../../lib/db/migrate';
import { httpDuration } from '../../lib/metrics';
import { callRoute } from '../helpers/api';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { userWithToken, type TestUser } from '../helpers/users';
import { parseExposition, sampleValue } from './exposition';

let database: TestDatabase;
let user: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  user = await userWithToken(database.db, 'Metrics', 'Europe/Berlin');
});
afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});
afterEach(() => {
  delete process.env.METRICS_TOKEN;
  resetConfig();
});

const scrape = (authorization?: string) => metrics(new Request('http://localhost/metrics', { headers: authorization ? { authorization } : {} }));

describe('orbita_http_request_duration_seconds', () => {
  it('records /api/v1 calls with their route pattern (never the id), method and status', async () => {
    const created = await callRoute(postTask, { token: user.token, path: '/api/v1/tasks', body: { title: 'Measured' } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await callRoute(getTask, { token: user.token, path: `/api/v1/tasks/${id}`, params: { id } })).status).toBe(200);
    expect((await callRoute(getTask, { token: user.token, path: `/api/v1/tasks/${id}`, params: { id } })).status).toBe(200);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await callRoute(getTask, { token: user.token, path: `/api/v1/tasks/${missing}`, params: { id: missing } })).status).toBe(404);
    expect((await callRoute(listTasks, { token: 'orb_pat_wrong', path: '/api/v1/tasks' })).status).toBe(401);

    const families = parseExposition(await (await scrape()).text());
    const count = (labels: Record<string, string>) => sampleValue(families, 'orbita_http_request_duration_seconds_count', labels);
    expect(count({ method: 'POST', route: '/api/v1/tasks', status: '201' })).toBe(1);
    expect(count({ method: 'GET', route: '/api/v1/tasks/[id]', status: '200' })).toBe(2);
    expect(count({ method: 'GET', route: '/api/v1/tasks/[id]', status: '404' })).toBe(1);
    expect(count({ method: 'GET', route: '/api/v1/tasks', status: '401' })).toBe(1);
    expect(sampleValue(families, 'orbita_http_request_duration_seconds_bucket', { route: '/api/v1/tasks/[id]', status: '200', le: '+Inf' })).toBe(2);
    // No series carries a raw id.
    const routes = families.get('orbita_http_request_duration_seconds')!.samples.map((s) => s.labels.route);
    expect(routes.some((r) => r.includes(id) || r.includes(missing))).toBe(false);
    expect(httpDuration.snapshot({ method: 'GET', route: '/api/v1/tasks/[id]', status: '200' }).sum).toBeGreaterThan(0);
  });
});

describe('GET /metrics on the web server', () => {
  it('is open without METRICS_TOKEN and serves the text format with the outbox gauges read through Prisma', async () => {
    await database.db.$executeRawUnsafe(
      `INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload, metadata, created_at)
       VALUES ('task', 'a', 'web.task.updated', '{}', '{}', now() - interval '30 seconds'),
              ('task', 'b', 'web.task.updated', '{}', '{}', now())`,
    );
    await database.db.$executeRawUnsafe(`UPDATE outbox_events SET dead_lettered_at = now() WHERE aggregate_id = 'b'`);
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = parseExposition(await response.text());
    const pending = Number((await database.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM outbox_events WHERE published_at IS NULL AND dead_lettered_at IS NULL`))[0].n);
    expect(sampleValue(families, 'orbita_outbox_pending')).toBe(pending);
    expect(sampleValue(families, 'orbita_outbox_dead')).toBe(1);
    expect(sampleValue(families, 'orbita_outbox_lag_seconds')).toBeGreaterThanOrEqual(30);
    expect(sampleValue(families, 'orbita_outbox_stats_up')).toBe(1);
    expect(sampleValue(families, 'orbita_info', { role: 'web' })).toBe(1);
  });

  it('with METRICS_TOKEN set: 401 without or with a wrong token, 200 with the right one', async () => {
    process.env.METRICS_TOKEN = 'scrape-secret';
    resetConfig();
    const none = await scrape();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.text()).not.toContain('orbita_');
    expect((await scrape('Bearer wrong')).status).toBe(401);
    expect((await scrape('scrape-secret')).status).toBe(401);
    const ok = await scrape('Bearer scrape-secret');
    expect(ok.status).toBe(200);
    expect(parseExposition(await ok.text()).has('orbita_outbox_pending')).toBe(true);
  });
});

describe('GET /readyz on the web server', () => {
  it('is ready on a migrated database and 503 after a rollback (naming the migration for an operator)', async () => {
    const ready = await readyz(new Request('http://localhost/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'up to date' } });

    // Roll back the last migration (the notify trigger) and bring it back afterwards.
    const [reverted] = await migrateDown(database.url, 1);
    try {
      const pending = await readyz(new Request('http://localhost/readyz'));
      expect(pending.status).toBe(503);
      expect(await pending.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', migrations: 'pending' } });
      // Which migration: for an operator (test/http/health.test.ts has the rest of who sees what).
      process.env.METRICS_TOKEN = 'ready-secret';
      resetConfig();
      const named = await readyz(new Request('http://localhost/readyz', { headers: { authorization: 'Bearer ready-secret' } }));
      expect(await named.json()).toMatchObject({ status: 'unavailable', checks: { database: 'ok', migrations: 'pending' }, pending: [reverted] });
    } finally {
      await migrateUp(database.url);
    }
    expect((await readyz(new Request('http://localhost/readyz'))).status).toBe(200);
  });
});
