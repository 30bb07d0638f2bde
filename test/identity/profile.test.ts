import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getOpenApi } from '../../app/api/v1/openapi.json/route';
import { PATCH } from '../../app/api/v1/me/route';
import type { ServiceContext } from '../../lib/context';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import { getProfile, profileFieldErrors, updateProfile } from '../../lib/identity/profile';
import { updateProfileSchema } from '../../lib/identity/schemas';
import { createAccessToken } from '../../lib/identity/tokens';
import { createUser } from '../../lib/identity/users';
import { callRoute } from '../helpers/api';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { userWithToken } from '../helpers/users';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url); // the route handlers use the process-wide client
});
afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});

const now = new Date('2026-11-27T12:00:00Z');
const ctxFor = (userId: string): ServiceContext => ({ db: database.db, userId, now: () => now });

const nineToFive = { start: '09:00', end: '17:00' };
const weekdaysOnly = [null, nineToFive, nineToFive, nineToFive, nineToFive, nineToFive, null];

async function newUser(timeZone = 'UTC') {
  return ctxFor((await createUser(database.db, { name: 'Profile', timeZone })).id);
}

async function storedHours(userId: string) {
  const rows = await database.db.workingHours.findMany({ where: { userId }, orderBy: { weekday: 'asc' } });
  return rows.map(({ weekday, startMinute, endMinute }) => [weekday, startMinute, endMinute]);
}

describe('getProfile', () => {
  it('answers the defaults of a new user: Monday–Friday 09:00–17:00, personal 07:00–21:00', async () => {
    const ctx = await newUser('Europe/Berlin');
    expect(await getProfile(ctx)).toEqual({ timeZone: 'Europe/Berlin', workingHours: weekdaysOnly, personalHours: { start: '07:00', end: '21:00' } });
  });
});

describe('updateProfile', () => {
  it('stores the time zone, the whole week and personal hours', async () => {
    const ctx = await newUser();
    const week = [null, nineToFive, { start: '08:30', end: '24:00' }, nineToFive, nineToFive, { start: '09:00', end: '13:00' }, { start: '10:00', end: '10:15' }];
    const profile = await updateProfile(ctx, { timeZone: 'America/New_York', workingHours: week, personalHours: { start: '06:00', end: '22:30' } });
    expect(profile).toEqual({ timeZone: 'America/New_York', workingHours: week, personalHours: { start: '06:00', end: '22:30' } });
    expect(await getProfile(ctx)).toEqual(profile);
    const user = await database.db.user.findUniqueOrThrow({ where: { id: ctx.userId } });
    expect(user).toMatchObject({ timeZone: 'America/New_York', personalStartMinute: 360, personalEndMinute: 1350, updatedAt: now });
    expect(await storedHours(ctx.userId)).toEqual([
      [1, 540, 1020],
      [2, 510, 1440],
      [3, 540, 1020],
      [4, 540, 1020],
      [5, 540, 780],
      [6, 600, 615],
    ]);
  });

  it('replaces the stored set: days turned off lose their row, new days gain one', async () => {
    const ctx = await newUser();
    await updateProfile(ctx, { workingHours: [nineToFive, null, null, { start: '12:00', end: '18:00' }, null, null, null] });
    expect(await storedHours(ctx.userId)).toEqual([
      [0, 540, 1020],
      [3, 720, 1080],
    ]);
    await updateProfile(ctx, { workingHours: [null, null, null, null, null, null, null] });
    expect(await storedHours(ctx.userId)).toEqual([]);
    expect((await getProfile(ctx)).workingHours).toEqual([null, null, null, null, null, null, null]);
  });

  it('changes only what it is given', async () => {
    const ctx = await newUser('Asia/Tokyo');
    await updateProfile(ctx, { personalHours: { start: '05:00', end: '23:00' } });
    expect(await getProfile(ctx)).toEqual({ timeZone: 'Asia/Tokyo', workingHours: weekdaysOnly, personalHours: { start: '05:00', end: '23:00' } });
    await updateProfile(ctx, {});
    expect((await getProfile(ctx)).timeZone).toBe('Asia/Tokyo');
  });

  it.each([
    [{ timeZone: 'Mars/Olympus' }, 'timeZone: unknown time zone', 'timeZone'],
    [{ workingHours: [null, nineToFive, { start: '17:00', end: '09:00' }, null, null, null, null] }, 'Tuesday: end must be after start', 'workingHours.2'],
    [{ workingHours: [null, null, null, { start: '09:00', end: '09:00' }, null, null, null] }, 'Wednesday: end must be after start', 'workingHours.3'],
    [{ workingHours: [null, null, null, null, { start: '09:00', end: '09:10' }, null, null] }, 'Thursday: end must be at least 15 minutes after start', 'workingHours.4'],
    [{ workingHours: [{ start: '9am', end: '17:00' }, null, null, null, null, null, null] }, 'Sunday: start must be a time like 09:00', 'workingHours.0'],
    [{ workingHours: [null, null, null, null, null, { start: '09:00', end: '24:30' }, null] }, 'Friday: end must be a time like 17:00', 'workingHours.5'],
    [{ workingHours: [nineToFive] }, 'workingHours must list the 7 weekdays', 'workingHours'],
    [{ personalHours: { start: '21:00', end: '07:00' } }, 'Personal hours: end must be after start', 'personalHours'],
  ])('rejects %j, naming the row, and changes nothing', async (input, message, field) => {
    const ctx = await newUser('Europe/Paris');
    const before = await getProfile(ctx);
    // The valid time zone sent alongside must not be stored either: all or nothing.
    const error = await updateProfile(ctx, { timeZone: 'UTC', ...input }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'validation_error' });
    expect((error as AppError).message).toContain(message);
    expect(await getProfile(ctx)).toEqual(before);
    expect(Object.keys(profileFieldErrors(updateProfileSchema.safeParse(input).error!))).toEqual([field]);
  });

  it('reports every bad weekday at once, each under its own row', async () => {
    const result = updateProfileSchema.safeParse({ workingHours: [null, { start: '10:00', end: '09:00' }, { start: '12:00', end: '11:00' }, null, null, null, null] });
    expect(result.success).toBe(false);
    expect(profileFieldErrors(result.error!)).toEqual({ 'workingHours.1': 'Monday: end must be after start', 'workingHours.2': 'Tuesday: end must be after start' });
    const error = await updateProfile(await newUser(), { workingHours: [null, { start: '10:00', end: '09:00' }, { start: '12:00', end: '11:00' }, null, null, null, null] }).catch((e: unknown) => e);
    expect((error as AppError).message).toBe('Monday: end must be after start; Tuesday: end must be after start');
  });

  it('keeps users apart: B reads and writes only its own profile', async () => {
    const a = await newUser('Europe/Berlin');
    const b = await newUser('UTC');
    await updateProfile(a, { timeZone: 'Asia/Kolkata', workingHours: [null, null, nineToFive, null, null, null, null] });
    await updateProfile(b, { timeZone: 'America/Chicago', workingHours: [nineToFive, null, null, null, null, null, null] });
    expect(await getProfile(b)).toMatchObject({ timeZone: 'America/Chicago', workingHours: [nineToFive, null, null, null, null, null, null] });
    expect(await getProfile(a)).toMatchObject({ timeZone: 'Asia/Kolkata', workingHours: [null, null, nineToFive, null, null, null, null] });
    expect(await storedHours(a.userId)).toEqual([[2, 540, 1020]]);
  });

  it('answers not found for a user that does not exist', async () => {
    const ghost = ctxFor('00000000-0000-4000-8000-000000000000');
    await expect(getProfile(ghost)).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateProfile(ghost, { timeZone: 'UTC' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('PATCH /api/v1/me', () => {
  it('updates the token owner\'s profile and answers it', async () => {
    const owner = await userWithToken(database.db, 'Owner', 'UTC');
    const other = await userWithToken(database.db, 'Other', 'Europe/Berlin');
    const week = [null, nineToFive, { start: '10:00', end: '18:00' }, nineToFive, nineToFive, nineToFive, null];
    const response = await callRoute(PATCH, { token: owner.token, method: 'PATCH', path: '/api/v1/me', body: { timeZone: 'Europe/Lisbon', workingHours: week } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ timeZone: 'Europe/Lisbon', workingHours: week, personalHours: { start: '07:00', end: '21:00' } });
    expect((await getProfile(ctxFor(other.id))).timeZone).toBe('Europe/Berlin');
  });

  it('answers 400 with the weekday named and each issue\'s field', async () => {
    const owner = await userWithToken(database.db, 'Owner', 'UTC');
    const response = await callRoute(PATCH, {
      token: owner.token,
      method: 'PATCH',
      path: '/api/v1/me',
      body: { workingHours: [null, nineToFive, { start: '17:00', end: '09:00' }, nineToFive, nineToFive, nineToFive, null] },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'validation_error',
      message: 'Tuesday: end must be after start',
      details: { issues: [{ field: 'workingHours.2.end', message: 'Tuesday: end must be after start' }] },
    });
    expect((await callRoute(PATCH, { token: owner.token, method: 'PATCH', path: '/api/v1/me', body: { colour: 'blue' } })).status).toBe(400);
    expect((await callRoute(PATCH, { token: owner.token, method: 'PATCH', path: '/api/v1/me', rawBody: '{' })).status).toBe(400);
  });

  it('needs the write scope and a valid token', async () => {
    const owner = await userWithToken(database.db, 'Owner', 'UTC');
    const { token: readOnly } = await createAccessToken(ctxFor(owner.id), { name: 'read only', scopes: ['read'] });
    expect((await callRoute(PATCH, { token: readOnly, method: 'PATCH', path: '/api/v1/me', body: { timeZone: 'UTC' } })).status).toBe(403);
    expect((await callRoute(PATCH, { token: 'orb_pat_nope', method: 'PATCH', path: '/api/v1/me', body: { timeZone: 'UTC' } })).status).toBe(401);
  });

  it('is described in the OpenAPI document with the shared schema', async () => {
    const doc = await (await getOpenApi(new Request('http://localhost/api/v1/openapi.json'))).json();
    const patch = doc.paths['/me'].patch;
    expect(patch.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: { workingHours: { type: 'array', prefixItems: expect.any(Array) }, personalHours: { type: 'object' } },
    });
  });
});
