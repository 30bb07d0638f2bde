import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as adaptRoute } from '../../app/api/v1/adapt/route';
import { grantModule, listEntitlements } from '../../lib/billing/entitlements';
import { resetConfig } from '../../lib/config';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { outboxEventTypes } from './outbox-types';
import { callRoute } from '../helpers/api';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type TestUser, userWithToken } from '../helpers/users';

let database: TestDatabase;
let alice: TestUser;
const stripeEnv = { STRIPE_API_KEY: 'sk_test_gating', STRIPE_WEBHOOK_SECRET: 'whsec_gating' };
const cli = (user: TestUser, env: Record<string, string>, ...args: string[]) => runCli(args, { DATABASE_URL: database.url, ORBITA_USER_ID: user.id, ...env });
const adaptRest = (user: TestUser) => callRoute(adaptRoute, { token: user.token, body: { habits: true } });

function stripeMode(on: boolean) {
  for (const [key, value] of Object.entries(stripeEnv)) {
    if (on) process.env[key] = value;
    else delete process.env[key];
  }
  resetConfig();
}

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  alice = await userWithToken(database.db, 'Alice', 'Europe/Berlin');
});
afterAll(async () => {
  stripeMode(false);
  await disconnectDb();
  await database?.drop();
});

describe('module gating with Stripe configured', () => {
  it('adapt without adaptive-frequency is denied through REST (403) and the CLI (exit 3); grant → works; --active=false → denied again', async () => {
    stripeMode(true);
    const denied = await adaptRest(alice);
    expect(denied).toEqual({
      status: 403,
      body: { error: { code: 'module_not_enabled', message: 'module not enabled: adaptive-frequency', details: { module: 'adaptive-frequency' } } },
    });
    const cliDenied = await cli(alice, stripeEnv, 'adapt', '--habits');
    expect({ code: cliDenied.code, stderr: cliDenied.stderr.trim() }).toEqual({ code: 3, stderr: 'orbita: module not enabled: adaptive-frequency' });

    const grant = await cli(alice, stripeEnv, 'billing', 'grant', '--module', 'adaptive-frequency', '--active');
    expect(grant.code).toBe(0);
    expect(grant.stdout.trim()).toBe('granted adaptive-frequency (manual)');
    expect((await adaptRest(alice)).status).toBe(200);
    expect((await cli(alice, stripeEnv, 'adapt', '--habits')).code).toBe(0);
    const list = JSON.parse((await cli(alice, stripeEnv, 'billing', 'entitlements', '--json')).stdout);
    expect(list.mode).toBe('stripe');
    expect(list.modules.find((m: { module: string }) => m.module === 'adaptive-frequency')).toMatchObject({ enabled: true, active: true, source: 'manual' });
    expect(list.modules.find((m: { module: string }) => m.module === 'smart-1to1')).toMatchObject({ enabled: false, active: null, source: null });

    const revoke = await cli(alice, stripeEnv, 'billing', 'grant', '--module', 'adaptive-frequency', '--active=false');
    expect(revoke.code).toBe(0);
    expect(revoke.stdout.trim()).toBe('revoked adaptive-frequency (manual)');
    expect((await adaptRest(alice)).status).toBe(403);
    expect((await cli(alice, stripeEnv, 'adapt', '--habits')).code).toBe(3);
    expect(await outboxEventTypes(database.db, `${alice.id}:adaptive-frequency`)).toEqual(['billing.entitlement.changed', 'billing.entitlement.changed']);

    // A meetings adapt needs smart-1to1 as well.
    await grantModule({ db: database.db, userId: alice.id, now: () => new Date() }, { module: 'adaptive-frequency', active: true });
    const meetings = await callRoute(adaptRoute, { token: alice.token, body: { meetings: true } });
    expect(meetings.body.error).toMatchObject({ code: 'module_not_enabled', message: 'module not enabled: smart-1to1' });
  });

  it('grant validates the module (listing them) and the --active value; exit 2', async () => {
    const unknown = await cli(alice, stripeEnv, 'billing', 'grant', '--module', 'teleport', '--active');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('orbita: module must be one of adaptive-frequency, smart-habits, smart-1to1, auto-rescheduler, priority-engine, ai-inbox');
    const badBool = await cli(alice, stripeEnv, 'billing', 'grant', '--module', 'ai-inbox', '--active=maybe');
    expect(badBool.code).toBe(2);
    expect(badBool.stderr).toMatch(/must be true or false/);
  });

  it('billing status shows the subscription, or says there is none', async () => {
    const none = await cli(alice, stripeEnv, 'billing', 'status');
    expect(none).toMatchObject({ code: 0, stdout: 'no subscription\n' });
    await database.db.subscription.create({
      data: { userId: alice.id, plan: 'Orbita adaptive-frequency', status: 'past_due', currentPeriodEnd: new Date('2027-01-01T00:00:00Z'), stripeCustomerId: 'cus_status', stripeSubscriptionId: 'sub_status' },
    });
    const json = JSON.parse((await cli(alice, stripeEnv, 'billing', 'status', '--json')).stdout);
    expect(json).toEqual({
      mode: 'stripe',
      message: null,
      plan: 'Orbita adaptive-frequency',
      status: 'past_due',
      currentPeriodEnd: '2027-01-01T00:00:00.000Z',
      cancelAtPeriodEnd: false,
      stripeCustomerId: 'cus_status',
      stripeSubscriptionId: 'sub_status',
    });
    const table = await cli(alice, stripeEnv, 'billing', 'status');
    expect(table.stdout).toMatch(/^status\s+past_due$/m);
    expect(table.stdout).toMatch(/^period end\s+2027-01-01T00:00:00.000Z$/m);
  });
});

describe('self-hosted (no STRIPE_API_KEY)', () => {
  it('every module is enabled, and billing entitlements says so', async () => {
    stripeMode(false);
    const bob = await userWithToken(database.db, 'Bob', 'UTC');
    expect((await adaptRest(bob)).status).toBe(200);
    expect((await cli(bob, {}, 'adapt', '--habits')).code).toBe(0);
    const text = await cli(bob, {}, 'billing', 'entitlements');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('self-hosted: all modules enabled');
    expect(text.stdout).toMatch(/^adaptive-frequency\s+on\b/m);
    const view = await listEntitlements({ db: database.db, userId: bob.id, now: () => new Date() });
    expect(view.mode).toBe('self-hosted');
    expect(view.modules.every((m) => m.enabled)).toBe(true);
    // Even a manual revoke does not gate a self-hosted deployment.
    expect((await cli(bob, {}, 'billing', 'grant', '--module', 'adaptive-frequency', '--active=false')).code).toBe(0);
    expect((await adaptRest(bob)).status).toBe(200);
  });
});
