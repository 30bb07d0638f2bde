import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckoutSession, createPortalSession } from '../../lib/billing/checkout';
import { grantModule } from '../../lib/billing/entitlements';
import { resetConfig } from '../../lib/config';
import type { ServiceContext } from '../../lib/context';
import { createUser } from '../../lib/identity/users';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type FakeStripe, startFakeStripe } from '../fakes/stripe/server';

let database: TestDatabase;
let stripe: FakeStripe;
let ctx: ServiceContext;
const returnUrl = 'http://localhost:3000/billing';

function stripeMode(on: boolean) {
  if (on) Object.assign(process.env, { STRIPE_API_KEY: 'sk_test_checkout', STRIPE_WEBHOOK_SECRET: 'whsec_checkout', STRIPE_API_BASE_URL: stripe.url });
  else for (const key of ['STRIPE_API_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_API_BASE_URL']) delete process.env[key];
  resetConfig();
}

beforeAll(async () => {
  database = await createTestDatabase();
  stripe = await startFakeStripe();
  stripe.putPrice({ id: 'price_adaptive', lookup_key: 'orbita:adaptive-frequency' });
  stripe.putPrice({ id: 'price_1to1', metadata: { orbita_module: 'smart-1to1' } });
  const user = await createUser(database.db, { email: 'buyer@example.com', name: 'Buyer' });
  ctx = { db: database.db, userId: user.id, now: () => new Date() };
  stripeMode(true);
});
afterAll(async () => {
  stripeMode(false);
  await stripe?.close();
  await database?.drop();
});

describe('Checkout and the billing portal', () => {
  it('creates a subscription Checkout Session for the module\'s price, tagged with the user, and reuses the customer', async () => {
    const session = await createCheckoutSession(ctx, { module: 'adaptive-frequency', returnUrl });
    expect(session.url).toBe(`${stripe.url}/checkout/${session.id}`);
    const stored = stripe.checkoutSessions.get(session.id)!;
    expect(stored).toMatchObject({
      mode: 'subscription',
      client_reference_id: ctx.userId,
      metadata: { orbita_user_id: ctx.userId, orbita_module: 'adaptive-frequency' },
      line_items: [{ price: 'price_adaptive', quantity: '1' }],
      success_url: `${returnUrl}?checkout=success`,
      cancel_url: `${returnUrl}?checkout=canceled`,
    });
    const customer = stripe.customers.get(String(stored.customer))!;
    expect(customer).toMatchObject({ email: 'buyer@example.com', metadata: { orbita_user_id: ctx.userId } });

    const second = await createCheckoutSession(ctx, { module: 'smart-1to1', returnUrl }); // found by metadata
    expect(stripe.checkoutSessions.get(second.id)).toMatchObject({ customer: customer.id, line_items: [{ price: 'price_1to1' }] });
    expect(stripe.customers.size).toBe(1);

    const portal = await createPortalSession(ctx, { returnUrl });
    expect(portal.url).toMatch(new RegExp(`^${stripe.url}/portal/bps_`));
    expect([...stripe.portalSessions.values()].at(-1)).toMatchObject({ customer: customer.id, return_url: returnUrl });
  });

  it('explains what is wrong: unknown module, no price, already enabled, no account yet, not configured', async () => {
    await expect(createCheckoutSession(ctx, { module: 'gold' as never, returnUrl })).rejects.toThrow(/module must be one of/);
    await expect(createCheckoutSession(ctx, { module: 'ai-inbox', returnUrl })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/lookup key orbita:ai-inbox/) });
    await grantModule(ctx, { module: 'priority-engine', active: true });
    await expect(createCheckoutSession(ctx, { module: 'priority-engine', returnUrl })).rejects.toMatchObject({ code: 'conflict' });
    const fresh = await createUser(database.db, { email: 'new@example.com' });
    await expect(createPortalSession({ ...ctx, userId: fresh.id }, { returnUrl })).rejects.toMatchObject({ code: 'conflict', message: 'no billing account yet: upgrade a module first' });
    stripeMode(false);
    await expect(createCheckoutSession(ctx, { module: 'smart-1to1', returnUrl })).rejects.toMatchObject({ code: 'unavailable' });
    stripeMode(true);
  });
});
