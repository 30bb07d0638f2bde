import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as me } from '../../app/api/v1/me/route';
import { disconnectDb, connectDatabase } from '../../lib/db/client';
import { forbidden } from '../../lib/errors';
import { withUser } from '../../lib/http/with-user';
import { createAccessToken, revokeAccessToken } from '../../lib/identity/tokens';
import { createUser } from '../../lib/identity/users';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let readToken: string;
let writeToken: string;
let userId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  const user = await createUser(database.db, { email: 'api@example.com', timeZone: 'America/New_York' });
  userId = user.id;
  const ctx = { db: database.db, userId, now: () => new Date() };
  readToken = (await createAccessToken(ctx, { name: 'read', scopes: ['read'] })).token;
  writeToken = (await createAccessToken(ctx, { name: 'write', scopes: ['read', 'write'] })).token;
});
afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});

const request = (authorization: string | null, method = 'GET') =>
  new Request('http://localhost/api/v1/me', { method, headers: authorization === null ? {} : { authorization } });

async function expectError(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  const body = await response.json();
  expect(body).toEqual({ error: { code, message: expect.any(String) } });
  return body;
}

describe('withUser with a Bearer token', () => {
  it('resolves a personal access token to its user', async () => {
    const response = await me(request(`Bearer ${readToken}`));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { id: userId, email: 'api@example.com', timeZone: 'America/New_York' }, auth: { via: 'token', scopes: ['read'] } });
  });

  it.each([
    ['a wrong token', 'Bearer orb_pat_wrong'],
    ['an empty token', 'Bearer '],
    ['another scheme', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l'],
    ['garbage', 'nonsense'],
  ])('answers 401 JSON with a Bearer challenge for %s', async (_what, header) => {
    const response = await me(request(header));
    await expectError(response, 401, 'unauthorized');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 401 for a revoked token', async () => {
    const ctx = { db: database.db, userId, now: () => new Date() };
    const { token, summary } = await createAccessToken(ctx, { name: 'doomed' });
    expect((await me(request(`Bearer ${token}`))).status).toBe(200);
    await revokeAccessToken(ctx, summary.id);
    await expectError(await me(request(`Bearer ${token}`)), 401, 'unauthorized');
  });

  it('needs the write scope for anything but GET', async () => {
    const handler = withUser(async (_req, { ctx }) => ({ acted: ctx.userId }));
    await expectError(await handler(request(`Bearer ${readToken}`, 'POST')), 403, 'forbidden');
    const ok = await handler(request(`Bearer ${writeToken}`, 'POST'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ acted: userId });
  });

  it('maps domain errors to their status and JSON shape, and hides unexpected ones', async () => {
    await expectError(await withUser(async () => { throw forbidden('nope'); })(request(`Bearer ${readToken}`)), 403, 'forbidden');
    const crash = await withUser(async () => { throw new Error('database password is hunter2'); })(request(`Bearer ${readToken}`));
    const body = await expectError(crash, 500, 'internal_error');
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });
});
