import type Stripe from 'stripe';
import { z } from 'zod';
import type { ServiceContext } from '../context';
import { AppError, conflict, notFound, unavailable } from '../errors';
import { logger } from '../logger';
import type { ModuleName } from './modules';
import { moduleSchema } from './schemas';
import { stripeClient } from './stripe';
import { moduleOfPrice } from './webhook';

export const checkoutSchema = z
  .object({
    module: moduleSchema.describe('The module to buy'),
    returnUrl: z.url({ message: 'returnUrl must be an absolute URL' }).describe('Where Stripe sends the browser back to'),
  })
  .strict();
export type CheckoutInput = z.input<typeof checkoutSchema>;

export const portalSchema = z.object({ returnUrl: z.url({ message: 'returnUrl must be an absolute URL' }) }).strict();
export type PortalInput = z.input<typeof portalSchema>;

const notConfigured = () => unavailable('billing is not configured (no STRIPE_API_KEY): this deployment is self-hosted and every module is enabled');

/** Stripe failures as an upstream error naming what failed (never the API key). */
async function upstream<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError) throw error;
    logger.warn({ err: error, what }, 'stripe request failed');
    throw new AppError('upstream_error', `Stripe could not ${what}: ${(error as Error).message}`);
  }
}

/** The active price that sells `module`: lookup key `orbita:<module>`, else `metadata.orbita_module`. */
async function priceFor(stripe: Stripe, module: ModuleName): Promise<Stripe.Price> {
  const byKey = await upstream('list prices', () => stripe.prices.list({ lookup_keys: [`orbita:${module}`], active: true, limit: 1 }));
  if (byKey.data[0]) return byKey.data[0];
  for await (const price of stripe.prices.list({ active: true, limit: 100 })) {
    if (moduleOfPrice(price) === module) return price;
  }
  throw notFound(`a Stripe price for module ${module} (give one the lookup key orbita:${module} or metadata orbita_module=${module})`);
}

/**
 * The user's Stripe customer: the one stored with their subscription, else one created earlier
 * for them (found by email and `metadata.orbita_user_id`), else a new one carrying that metadata
 * so webhooks can find the user.
 */
async function customerFor(stripe: Stripe, ctx: ServiceContext, create: boolean): Promise<string | null> {
  const stored = await ctx.db.subscription.findUnique({ where: { userId: ctx.userId }, select: { stripeCustomerId: true } });
  if (stored?.stripeCustomerId) return stored.stripeCustomerId;
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.userId }, select: { email: true, name: true } });
  if (user.email) {
    const found = await upstream('list customers', () => stripe.customers.list({ email: user.email!, limit: 100 }));
    const mine = found.data.find((customer) => customer.metadata?.orbita_user_id === ctx.userId);
    if (mine) return mine.id;
  }
  if (!create) return null;
  const customer = await upstream('create a customer', () =>
    stripe.customers.create({ email: user.email ?? undefined, name: user.name ?? undefined, metadata: { orbita_user_id: ctx.userId } }),
  );
  return customer.id;
}

/** A Checkout Session selling `module` to the acting user; the browser goes to its `url`. */
export async function createCheckoutSession(ctx: ServiceContext, input: CheckoutInput): Promise<{ id: string; url: string }> {
  const data = checkoutSchema.parse(input);
  const stripe = stripeClient();
  if (!stripe) throw notConfigured();
  const entitlement = await ctx.db.entitlement.findUnique({ where: { userId_module: { userId: ctx.userId, module: data.module } } });
  if (entitlement?.active) throw conflict(`module ${data.module} is already enabled`);
  const price = await priceFor(stripe, data.module);
  const customer = await customerFor(stripe, ctx, true);
  const back = new URL(data.returnUrl);
  const withParam = (value: string) => {
    const url = new URL(back);
    url.searchParams.set('checkout', value);
    return url.toString();
  };
  const metadata = { orbita_user_id: ctx.userId, orbita_module: data.module };
  const session = await upstream('create a checkout session', () =>
    stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer ?? undefined,
      client_reference_id: ctx.userId,
      line_items: [{ price: price.id, quantity: 1 }],
      metadata,
      subscription_data: { metadata },
      success_url: withParam('success'),
      cancel_url: withParam('canceled'),
    }),
  );
  if (!session.url) throw new AppError('upstream_error', 'Stripe returned a checkout session without a URL');
  return { id: session.id, url: session.url };
}

/** A billing portal session for the acting user's Stripe customer. */
export async function createPortalSession(ctx: ServiceContext, input: PortalInput): Promise<{ url: string }> {
  const data = portalSchema.parse(input);
  const stripe = stripeClient();
  if (!stripe) throw notConfigured();
  const customer = await customerFor(stripe, ctx, false);
  if (!customer) throw conflict('no billing account yet: upgrade a module first');
  const session = await upstream('open the billing portal', () => stripe.billingPortal.sessions.create({ customer, return_url: data.returnUrl }));
  return { url: session.url };
}
