import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST } from '../../app/api/webhooks/stripe/route';
import { resetConfig } from '../../lib/config';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { createUser } from '../../lib/identity/users';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type FakeStripe, startFakeStripe } from '../fakes/stripe/server';
import { checkoutSessionObject, invoiceObject, nowSeconds, signature, stripeEvent, subscriptionObject } from './stripe-payloads';

const secret = 'whsec_test_secret';
const apiKey = 'sk_test_orbita';
let database: TestDatabase;
let stripe: FakeStripe;

async function deliver(event: object, header?: string | null) {
  const payload = JSON.stringify(event);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const sig = header === undefined ? signature(payload, secret) : header;
  if (sig !== null) headers['stripe-signature'] = sig;
  const response = await POST(new Request('http://localhost/api/webhooks/stripe', { method: 'POST', headers, body: payload }));
  return { status: response.status, body: await response.json() };
}

const counts = async () => ({
  processed: await database.db.processedStripeEvent.count(),
  subscriptions: await database.db.subscription.count(),
  entitlements: await database.db.entitlement.count(),
  outbox: await database.db.outboxEvent.count(),
});
const subscriptionOf = (userId: string) => database.db.subscription.findUnique({ where: { userId } });
const entitlement = (userId: string, module: string) => database.db.entitlement.findUnique({ where: { userId_module: { userId, module } } });
const newUser = async (name: string) => (await createUser(database.db, { name, timeZone: 'UTC' })).id;

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  stripe = await startFakeStripe();
});
beforeEach(() => {
  process.env.STRIPE_API_KEY = apiKey;
  process.env.STRIPE_WEBHOOK_SECRET = secret;
  process.env.STRIPE_API_BASE_URL = stripe.url;
  resetConfig();
});
afterAll(async () => {
  await disconnectDb();
  await stripe?.close();
  await database?.drop();
});

describe('POST /api/webhooks/stripe', () => {
  it('checkout.session.completed re-fetches the subscription and converges subscription + entitlements, with events', async () => {
    const userId = await newUser('Checkout');
    const sub = subscriptionObject({ customer: 'cus_checkout', status: 'active', userId, modules: ['adaptive-frequency', 'smart-1to1'] });
    sub.items.data[1].price.metadata = {};
    sub.items.data[1].price.lookup_key = 'orbita:smart-1to1'; // lookup-key mapping
    stripe.putSubscription(sub);
    const result = await deliver(stripeEvent('checkout.session.completed', checkoutSessionObject({ customer: 'cus_checkout', subscription: sub.id, userId })));
    expect(result).toEqual({ status: 200, body: { received: true } });
    expect(stripe.requests.some((r) => r.method === 'GET' && r.path === `/v1/subscriptions/${sub.id}`)).toBe(true);
    const row = await subscriptionOf(userId);
    expect(row).toMatchObject({ status: 'active', stripeCustomerId: 'cus_checkout', stripeSubscriptionId: sub.id, cancelAtPeriodEnd: false });
    expect(row!.currentPeriodEnd!.getTime()).toBe(sub.items.data[0].current_period_end * 1000);
    expect(await entitlement(userId, 'adaptive-frequency')).toMatchObject({ active: true, source: 'stripe' });
    expect(await entitlement(userId, 'smart-1to1')).toMatchObject({ active: true, source: 'stripe' });
    const events = await database.db.outboxEvent.findMany({ where: { metadata: { path: ['userId'], equals: userId } } });
    expect(events.map((e) => e.eventType).sort()).toEqual(['billing.entitlement.changed', 'billing.entitlement.changed', 'billing.subscription.updated']);
  });

  it('bad signature, missing header and a stale timestamp (> 5 min) are 400 and write nothing', async () => {
    const userId = await newUser('Rejected');
    const event = stripeEvent('customer.subscription.created', subscriptionObject({ customer: 'cus_rejected', status: 'active', userId }));
    const payload = JSON.stringify(event);
    const before = await counts();
    const bad = await deliver(event, signature(payload, 'whsec_wrong'));
    const missing = await deliver(event, null);
    const stale = await deliver(event, signature(payload, secret, nowSeconds() - 301));
    const tampered = await deliver({ ...event, id: 'evt_tampered' }, signature(payload, secret));
    for (const response of [bad, missing, stale, tampered]) {
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'validation_error', message: expect.any(String) });
    }
    expect(missing.body.error.message).toMatch(/missing Stripe-Signature header/);
    expect(stale.body.error.message).toMatch(/tolerance/i);
    expect(await counts()).toEqual(before);
    expect(await subscriptionOf(userId)).toBeNull();
  });

  it('the same event twice has one effect', async () => {
    const userId = await newUser('Twice');
    const event = stripeEvent('customer.subscription.created', subscriptionObject({ customer: 'cus_twice', status: 'active', userId }));
    expect((await deliver(event)).status).toBe(200);
    const after = await counts();
    expect((await deliver(event)).body).toEqual({ received: true });
    expect(await counts()).toEqual(after);
    expect(await database.db.processedStripeEvent.count({ where: { eventId: event.id } })).toBe(1);
  });

  it('out of order: updated before created, then deleted before a late updated, end in the true state', async () => {
    const userId = await newUser('Shuffled');
    const base = { customer: 'cus_shuffled', userId, id: `sub_shuffled_${Date.now()}` };
    const created = stripeEvent('customer.subscription.created', subscriptionObject({ ...base, status: 'incomplete' }));
    const updated = stripeEvent('customer.subscription.updated', subscriptionObject({ ...base, status: 'active' }));
    await deliver(updated);
    await deliver(created); // late: a subscription never goes back to incomplete
    expect(await subscriptionOf(userId)).toMatchObject({ status: 'active' });
    expect(await entitlement(userId, 'adaptive-frequency')).toMatchObject({ active: true });

    const deleted = stripeEvent('customer.subscription.deleted', subscriptionObject({ ...base, status: 'canceled' }));
    const lateUpdate = stripeEvent('customer.subscription.updated', subscriptionObject({ ...base, status: 'active', cancelAtPeriodEnd: true }));
    await deliver(deleted);
    await deliver(lateUpdate); // must not resurrect it
    expect(await subscriptionOf(userId)).toMatchObject({ status: 'canceled', stripeSubscriptionId: base.id });
    expect(await entitlement(userId, 'adaptive-frequency')).toMatchObject({ active: false, source: 'stripe' });
  });

  it('an update for an older billing period does not overwrite a newer one', async () => {
    const userId = await newUser('Periods');
    const base = { customer: 'cus_periods', userId, id: `sub_periods_${Date.now()}` };
    const next = nowSeconds() + 60 * 86_400;
    await deliver(stripeEvent('customer.subscription.updated', subscriptionObject({ ...base, status: 'active', periodEnd: next })));
    await deliver(stripeEvent('customer.subscription.updated', subscriptionObject({ ...base, status: 'past_due', periodEnd: next - 30 * 86_400 })));
    const row = await subscriptionOf(userId);
    expect(row).toMatchObject({ status: 'active' });
    expect(row!.currentPeriodEnd!.getTime()).toBe(next * 1000);
  });

  it('invoice.payment_failed → past_due and gated modules off once the subscription says so; invoice.paid → back on', async () => {
    const userId = await newUser('Dunning');
    const sub = subscriptionObject({ customer: 'cus_dunning', status: 'active', userId });
    await deliver(stripeEvent('customer.subscription.created', sub));
    expect(await entitlement(userId, 'adaptive-frequency')).toMatchObject({ active: true });

    stripe.putSubscription({ ...sub, status: 'past_due' });
    await deliver(stripeEvent('invoice.payment_failed', invoiceObject({ customer: 'cus_dunning', subscription: sub.id, paid: false })));
    expect(await subscriptionOf(userId)).toMatchObject({ status: 'past_due' });
    expect(await entitlement(userId, 'adaptive-frequency')).toMatchObject({ active: false, source: 'stripe' });

    stripe.putSubscription({ ...sub, status: 'active' });
    await deliver(stripeEvent('invoice.paid', invoiceObject({ customer: 'cus_dunning', subscription: sub.id, paid: true })));
    expect(await subscriptionOf(userId)).toMatchObject({ status: 'active' });
    expect(await entitlement(userId, 'adaptive-frequency')).toMatchObject({ active: true });
  });

  it('never touches a manual entitlement', async () => {
    const userId = await newUser('Manual');
    await database.db.entitlement.create({ data: { userId, module: 'adaptive-frequency', active: false, source: 'manual' } });
    await deliver(stripeEvent('customer.subscription.created', subscriptionObject({ customer: 'cus_manual', status: 'active', userId })));
    expect(await entitlement(userId, 'adaptive-frequency')).toMatchObject({ active: false, source: 'manual' });
    expect(await subscriptionOf(userId)).toMatchObject({ status: 'active' });
  });

  it('unknown event types and unknown users are acknowledged with no effect on anyone', async () => {
    const before = await counts();
    const ignored = await deliver(stripeEvent('customer.created', { id: 'cus_x', object: 'customer' }));
    expect(ignored).toEqual({ status: 200, body: { received: true } });
    expect(await counts()).toEqual(before);
    const stranger = stripeEvent('customer.subscription.created', subscriptionObject({ customer: 'cus_stranger', status: 'active', userId: '00000000-0000-4000-8000-000000000000' }));
    expect((await deliver(stranger)).status).toBe(200);
    const after = await counts();
    expect(after).toEqual({ ...before, processed: before.processed + 1 });
  });

  it('answers 503 when Stripe is not configured', async () => {
    delete process.env.STRIPE_API_KEY;
    delete process.env.STRIPE_WEBHOOK_SECRET;
    resetConfig();
    const response = await deliver(stripeEvent('invoice.paid', {}));
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('unavailable');
  });
});

describe('orbita billing webhook --event', () => {
  it('runs the same handler on a file; a missing or invalid file is one line and exit 2', async () => {
    const userId = await newUser('Operator');
    const dir = await mkdtemp(path.join(tmpdir(), 'orbita-billing-'));
    const file = path.join(dir, 'event.json');
    const event = stripeEvent('customer.subscription.updated', subscriptionObject({ customer: 'cus_operator', status: 'trialing', userId, modules: ['smart-habits'] }));
    await writeFile(file, JSON.stringify(event));
    const env = { DATABASE_URL: database.url, ORBITA_USER_ID: userId };
    const ok = await runCli(['billing', 'webhook', '--event', file], env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe(`customer.subscription.updated ${event.id}: processed (user ${userId})`);
    expect(await subscriptionOf(userId)).toMatchObject({ status: 'trialing' });
    expect(await entitlement(userId, 'smart-habits')).toMatchObject({ active: true, source: 'stripe' });
    const again = await runCli(['billing', 'webhook', '--event', file, '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ eventId: event.id, outcome: 'duplicate' });

    const missing = await runCli(['billing', 'webhook', '--event', path.join(dir, 'nope.json')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual([`orbita: cannot read ${path.join(dir, 'nope.json')}: no such file`]);
    await writeFile(path.join(dir, 'bad.json'), '{not json');
    const invalid = await runCli(['billing', 'webhook', '--event', path.join(dir, 'bad.json')], env);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr.trim().split('\n')).toHaveLength(1);
    await writeFile(path.join(dir, 'shape.json'), '{"hello":1}');
    const shape = await runCli(['billing', 'webhook', '--event', path.join(dir, 'shape.json')], env);
    expect(shape.code).toBe(2);
    expect(shape.stderr.trim().split('\n')).toHaveLength(1);
  });
});
