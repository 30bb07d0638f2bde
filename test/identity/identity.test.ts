import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../lib/context';
import { AppError } from '../../lib/errors';
import { hashPassword, verifyPassword } from '../../lib/identity/passwords';
import { authenticateBearer, createAccessToken, hashToken, listAccessTokens, revokeAccessToken } from '../../lib/identity/tokens';
import { createUser, defaultWorkingHours, listUsers, resolveCliUser, verifyCredentials } from '../../lib/identity/users';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

const ctxFor = (userId: string, now = new Date('2026-11-27T12:00:00Z')): ServiceContext => ({ db: database.db, userId, now: () => now });

describe('passwords', () => {
  it('hashes with scrypt and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterz', hash)).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(hash); // salted
  });
});

describe('users', () => {
  it('creates a user with a normalised email, the default working hours and time zone', async () => {
    const user = await createUser(database.db, { email: '  Dana@Example.COM ', password: 'password123', timeZone: 'Europe/Berlin' });
    expect(user.email).toBe('dana@example.com');
    expect(user.timeZone).toBe('Europe/Berlin');
    const hours = await database.db.workingHours.findMany({ where: { userId: user.id }, orderBy: { weekday: 'asc' } });
    expect(hours.map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute }))).toEqual(defaultWorkingHours);
    const stored = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(stored.personalStartMinute).toBe(7 * 60);
    expect(stored.personalEndMinute).toBe(21 * 60);
  });

  it('refuses a taken email as a conflict on the email field', async () => {
    await createUser(database.db, { email: 'erin@example.com', password: 'password123' });
    const error = await createUser(database.db, { email: 'ERIN@example.com', password: 'another-password' }).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'conflict', message: 'an account with this email already exists', details: { field: 'email' } });
  });

  it.each([
    [{ email: 'not-an-email' }, /valid email/],
    [{ email: 'f@example.com', password: 'short' }, /at least 8/],
    [{ email: 'g@example.com', timeZone: 'Mars/Olympus' }, /unknown time zone/],
  ])('rejects %j', async (input, message) => {
    const before = await database.db.user.count();
    await expect(createUser(database.db, input)).rejects.toThrow(message);
    expect(await database.db.user.count()).toBe(before);
  });

  it('verifies credentials without telling a wrong password from an unknown email', async () => {
    await createUser(database.db, { email: 'frank@example.com', password: 'password123' });
    expect((await verifyCredentials(database.db, 'FRANK@example.com', 'password123'))?.email).toBe('frank@example.com');
    expect(await verifyCredentials(database.db, 'frank@example.com', 'wrong-password')).toBeNull();
    expect(await verifyCredentials(database.db, 'nobody@example.com', 'password123')).toBeNull();
  });
});

describe('personal access tokens', () => {
  it('are shown once, stored as a hash, authenticate until revoked, and are scoped to their owner', async () => {
    const owner = await createUser(database.db, { email: 'pat-owner@example.com' });
    const other = await createUser(database.db, { email: 'pat-other@example.com' });
    const { token, summary } = await createAccessToken(ctxFor(owner.id), { name: 'laptop', scopes: ['read'] });
    expect(token).toMatch(/^orb_pat_[A-Za-z0-9_-]{43}$/);
    const row = await database.db.personalAccessToken.findUniqueOrThrow({ where: { id: summary.id } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(8));

    expect(await authenticateBearer(database.db, token, {})).toEqual({ userId: owner.id, scopes: ['read'], tokenId: summary.id });
    expect(await authenticateBearer(database.db, `${token}x`, {})).toBeNull();
    expect(await authenticateBearer(database.db, '', {})).toBeNull();

    // Another user cannot see or revoke it: "not found", exactly like a missing id.
    expect(await listAccessTokens(ctxFor(other.id))).toEqual([]);
    await expect(revokeAccessToken(ctxFor(other.id), summary.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(revokeAccessToken(ctxFor(other.id), '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'not_found' });

    const revoked = await revokeAccessToken(ctxFor(owner.id), summary.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect(await revokeAccessToken(ctxFor(owner.id), summary.id)).toEqual(revoked); // idempotent
    expect(await authenticateBearer(database.db, token, {})).toBeNull();
  });

  it('expire', async () => {
    const owner = await createUser(database.db, { email: 'pat-expiry@example.com' });
    const created = new Date('2026-01-01T00:00:00Z');
    const { token } = await createAccessToken(ctxFor(owner.id, created), { name: 'ci', expiresInDays: 1 });
    expect(await authenticateBearer(database.db, token, {}, new Date('2026-01-01T23:00:00Z'))).not.toBeNull();
    expect(await authenticateBearer(database.db, token, {}, new Date('2026-01-02T00:00:01Z'))).toBeNull();
  });

  it('validate their input', async () => {
    const owner = await createUser(database.db, { email: 'pat-validate@example.com' });
    await expect(createAccessToken(ctxFor(owner.id), { name: '' })).rejects.toThrow(/name is required/);
    await expect(createAccessToken(ctxFor(owner.id), { name: 'x', scopes: ['admin' as 'read'] })).rejects.toThrow(/read and\/or write/);
    await expect(createAccessToken(ctxFor(owner.id), { name: 'x', scopes: [] })).rejects.toThrow(/at least one scope/);
  });

  it('accept the deployment MCP_AUTH_TOKEN as ORBITA_USER_ID', async () => {
    const owner = await createUser(database.db, { email: 'mcp-owner@example.com' });
    const deployment = { mcpAuthToken: 'deployment-secret', orbitaUserId: owner.id };
    expect(await authenticateBearer(database.db, 'deployment-secret', deployment)).toEqual({ userId: owner.id, scopes: ['read', 'write'], tokenId: null });
    expect(await authenticateBearer(database.db, 'deployment-secreT', deployment)).toBeNull();
    expect(await authenticateBearer(database.db, 'deployment-secret', { mcpAuthToken: 'deployment-secret' })).toBeNull();
  });
});

describe('the CLI user (SPEC §1)', () => {
  it('is ORBITA_USER_ID when set, with a fix-it message when it does not exist', async () => {
    const user = await createUser(database.db, { email: 'cli@example.com' });
    expect((await resolveCliUser(database.db, user.id)).id).toBe(user.id);
    const error = await resolveCliUser(database.db, '00000000-0000-4000-8000-000000000000').catch((e) => e);
    expect(error).toMatchObject({ code: 'not_found' });
    expect(error.message).toMatch(/ORBITA_USER_ID=00000000-0000-4000-8000-000000000000 is not a user here: run `orbita user list`/);
  });

  it('without ORBITA_USER_ID, asks for it when several users exist', async () => {
    expect((await listUsers(database.db)).length).toBeGreaterThan(1);
    await expect(resolveCliUser(database.db, undefined)).rejects.toThrow(/set ORBITA_USER_ID/);
  });
});

describe('the CLI user on a fresh database', () => {
  let fresh: TestDatabase;
  beforeAll(async () => {
    fresh = await createTestDatabase();
  });
  afterAll(async () => fresh?.drop());

  it('is created on first use and reused after', async () => {
    const first = await resolveCliUser(fresh.db, undefined);
    expect(first.name).toBe('Local user');
    expect((await resolveCliUser(fresh.db, undefined)).id).toBe(first.id);
    expect(await fresh.db.user.count()).toBe(1);
  });
});
