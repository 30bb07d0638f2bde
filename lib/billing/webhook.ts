import Stripe from 'stripe';
import { type DbTx, transaction } from '../db/client';
import { AppError, unavailable, validationError } from '../errors';
import type { Subscription, SubscriptionStatus } from '../generated/prisma/client';
import { logger } from '../logger';
import { appendEvent } from '../outbox/append';
import { recordEntitlementChanged } from './entitlements';
import { isModuleName, type ModuleName, modules } from './modules';
import { type StripeEventInput, stripeEventSchema } from './schemas';
import { stripeClient } from './stripe';

/**
 * The Stripe webhook handler (SPEC §7), shared by POST /api/webhooks/stripe and
 * `orbita billing webhook --event <file>`.
 *
 * Convergence: every handled event ends in "make our subscription row and the user's stripe
 * entitlements match this Stripe subscription object". Subscription events carry the object;
 * checkout sessions and invoices carry only its id, so it is re-fetched from Stripe (the truth
 * at that moment). Because deliveries can be late or out of order, an incoming object is
 * ignored as stale when, comparing the subscription's own fields with what is stored for the
 * same Stripe subscription id:
 *   1. the stored status is `canceled` and the incoming one is not (Stripe never reactivates a
 *      canceled subscription, so a late `updated` cannot resurrect it);
 *   2. its current period ends before the stored one (an older billing period);
 *   3. within the same period, its status ranks lower — incomplete < active|trialing|past_due —
 *      (a subscription never returns to `incomplete`, so a late `created` cannot undo `updated`).
 * Otherwise the later delivery wins. A canceled object for a subscription other than the
 * stored, still-live one is ignored too (an old subscription ending does not end the new one).
 */

type Obj = Record<string, unknown>;

export type WebhookOutcome = 'processed' | 'duplicate' | 'ignored' | 'unknown_user' | 'stale';

export interface WebhookResult {
  eventId: string;
  type: string;
  outcome: WebhookOutcome;
  userId?: string;
  subscriptionId?: string;
}

export interface WebhookOptions {
  /** The client used to re-fetch subscriptions; default: the configured one (null = none). */
  stripe?: Stripe | null;
  now?: () => Date;
}

/** Signature tolerance: a Stripe-Signature timestamp older than this is rejected. */
export const signatureToleranceSeconds = 300;

export const handledEventTypes = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
] as const;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const idOf = (value: unknown): string | null => str(value) ?? (isObj(value) ? str(value.id) : null);
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Stripe's subscription statuses mapped onto ours. */
const statusMap: Record<string, SubscriptionStatus> = {
  active: 'active',
  trialing: 'trialing',
  past_due: 'past_due',
  unpaid: 'past_due',
  paused: 'past_due',
  canceled: 'canceled',
  incomplete_expired: 'canceled',
  incomplete: 'incomplete',
};
const statusRank: Record<SubscriptionStatus, number> = { incomplete: 0, active: 1, trialing: 1, past_due: 1, canceled: 2 };
const entitlingStatuses: SubscriptionStatus[] = ['active', 'trialing'];

export interface SubscriptionSnapshot {
  id: string;
  customerId: string | null;
  status: SubscriptionStatus;
  stripeStatus: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  plan: string | null;
  modules: ModuleName[];
  metadataUserId: string | null;
}

/** The module a price sells: `metadata.orbita_module`, else lookup key `orbita:<module>`. */
export function moduleOfPrice(price: unknown): ModuleName | null {
  if (!isObj(price)) return null;
  const fromMetadata = isObj(price.metadata) ? str(price.metadata.orbita_module) : null;
  if (isModuleName(fromMetadata)) return fromMetadata;
  const lookupKey = str(price.lookup_key);
  const fromLookup = lookupKey?.startsWith('orbita:') ? lookupKey.slice('orbita:'.length) : null;
  return isModuleName(fromLookup) ? fromLookup : null;
}

/** Reads the fields we keep from a Stripe Subscription object. */
export function subscriptionSnapshot(object: Obj): SubscriptionSnapshot {
  const id = str(object.id);
  if (!id) throw validationError('the subscription object has no id');
  const items = isObj(object.items) && Array.isArray(object.items.data) ? object.items.data.filter(isObj) : [];
  const periodEnds = [object.current_period_end, ...items.map((item) => item.current_period_end)].filter((v): v is number => typeof v === 'number');
  const found = new Set<ModuleName>();
  const plans: string[] = [];
  for (const item of items) {
    const sold = moduleOfPrice(item.price);
    if (sold) found.add(sold);
    const price = isObj(item.price) ? item.price : null;
    const name = price ? (str(price.nickname) ?? str(price.lookup_key) ?? str(price.id)) : null;
    if (name) plans.push(name);
  }
  const stripeStatus = str(object.status) ?? 'incomplete';
  return {
    id,
    customerId: idOf(object.customer),
    status: statusMap[stripeStatus] ?? 'incomplete',
    stripeStatus,
    currentPeriodEnd: periodEnds.length ? new Date(Math.max(...periodEnds) * 1000) : null,
    cancelAtPeriodEnd: object.cancel_at_period_end === true,
    plan: plans.length ? plans.join(', ') : null,
    modules: modules.filter((m) => found.has(m)),
    metadataUserId: isObj(object.metadata) ? str(object.metadata.orbita_user_id) : null,
  };
}

/** Why an incoming snapshot must not overwrite the stored row (see the rule above), or null. */
export function staleReason(stored: Subscription | null, incoming: SubscriptionSnapshot): string | null {
  if (!stored) return null;
  if (stored.stripeSubscriptionId !== incoming.id) {
    if (stored.stripeSubscriptionId && stored.status !== 'canceled' && incoming.status === 'canceled') return 'an older subscription ended';
    return null;
  }
  if (stored.status === 'canceled') return incoming.status === 'canceled' ? null : 'the subscription is already canceled';
  const storedEnd = stored.currentPeriodEnd?.getTime();
  const incomingEnd = incoming.currentPeriodEnd?.getTime();
  if (storedEnd !== undefined && incomingEnd !== undefined) {
    if (incomingEnd < storedEnd) return 'an older billing period';
    if (incomingEnd > storedEnd) return null;
  }
  if (statusRank[incoming.status] < statusRank[stored.status]) return `status ${incoming.status} is behind ${stored.status}`;
  return null;
}

function subscriptionView(row: Subscription) {
  return {
    id: row.id,
    userId: row.userId,
    plan: row.plan,
    status: row.status,
    currentPeriodEnd: row.currentPeriodEnd?.toISOString() ?? null,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    stripeCustomerId: row.stripeCustomerId,
    stripeSubscriptionId: row.stripeSubscriptionId,
  };
}

/** Applies a snapshot to the user's subscription and stripe entitlements, with events for changes. */
async function converge(tx: DbTx, userId: string, snap: SubscriptionSnapshot, event: StripeEventInput, now: Date): Promise<'processed' | 'stale'> {
  const stored = await tx.subscription.findUnique({ where: { userId } });
  const stale = staleReason(stored, snap);
  if (stale) {
    logger.info({ stripeEventId: event.id, type: event.type, subscription: snap.id, reason: stale }, 'stripe event is stale, ignored');
    return 'stale';
  }
  const fields = {
    plan: snap.plan,
    status: snap.status,
    currentPeriodEnd: snap.currentPeriodEnd,
    cancelAtPeriodEnd: snap.cancelAtPeriodEnd,
    stripeCustomerId: snap.customerId ?? stored?.stripeCustomerId ?? null,
    stripeSubscriptionId: snap.id,
  };
  const before = stored ? subscriptionView(stored) : null;
  const row = await tx.subscription.upsert({
    where: { userId },
    create: { userId, ...fields, createdAt: now, updatedAt: now },
    update: { ...fields, updatedAt: now },
  });
  const after = subscriptionView(row);
  const { id: _a, ...afterFields } = after;
  const beforeFields = before ? (({ id: _b, ...rest }) => rest)(before) : null;
  if (JSON.stringify(beforeFields) !== JSON.stringify(afterFields)) {
    await appendEvent(tx, {
      aggregateType: 'subscription',
      aggregateId: row.id,
      eventType: 'billing.subscription.updated',
      userId,
      payload: { subscription: after, previous: before, stripeEventId: event.id, stripeEventType: event.type },
    });
  }

  const entitled = entitlingStatuses.includes(snap.status);
  const rows = await tx.entitlement.findMany({ where: { userId } });
  const byModule = new Map(rows.map((r) => [r.module, r]));
  for (const name of modules) {
    const current = byModule.get(name);
    if (current?.source === 'manual') continue; // a manual grant or revoke always wins
    const active = entitled && snap.modules.includes(name);
    if (!current && !active) continue;
    if (current && current.active === active && current.source === 'stripe') continue;
    const next = await tx.entitlement.upsert({
      where: { userId_module: { userId, module: name } },
      create: { userId, module: name, active, source: 'stripe', createdAt: now, updatedAt: now },
      update: { active, source: 'stripe', updatedAt: now },
    });
    await recordEntitlementChanged(tx, next, current ?? null);
  }
  return 'processed';
}

async function fetchSubscription(stripe: Stripe | null, id: string): Promise<Obj> {
  if (!stripe) throw unavailable(`Stripe is not configured (STRIPE_API_KEY): cannot fetch subscription ${id}`);
  try {
    return (await stripe.subscriptions.retrieve(id)) as unknown as Obj;
  } catch (error) {
    throw new AppError('upstream_error', `Stripe: could not fetch subscription ${id}: ${(error as Error).message}`);
  }
}

/** The subscription an invoice belongs to (current API: parent.subscription_details; older: subscription). */
function invoiceSubscriptionId(invoice: Obj): string | null {
  const parent = isObj(invoice.parent) ? invoice.parent : null;
  const details = parent && isObj(parent.subscription_details) ? parent.subscription_details : null;
  return idOf(details?.subscription) ?? idOf(invoice.subscription);
}

async function findUser(tx: DbTx, customerId: string | null, candidates: (string | null)[]): Promise<string | null> {
  if (customerId) {
    const byCustomer = await tx.subscription.findUnique({ where: { stripeCustomerId: customerId }, select: { userId: true } });
    if (byCustomer) return byCustomer.userId;
  }
  for (const candidate of candidates) {
    if (!candidate || !uuidPattern.test(candidate)) continue;
    const user = await tx.user.findUnique({ where: { id: candidate }, select: { id: true } });
    if (user) return user.id;
  }
  return null;
}

/**
 * Handles one Stripe event (already verified, or from an operator's file). Idempotent by event id:
 * the id is recorded in the same transaction as the effect, so a duplicate has none.
 */
export async function handleStripeEvent(db: DbTx, input: unknown, options: WebhookOptions = {}): Promise<WebhookResult> {
  const event = stripeEventSchema.parse(input);
  const base = { eventId: event.id, type: event.type };
  if (!(handledEventTypes as readonly string[]).includes(event.type)) {
    logger.debug(base, 'stripe event type not handled, ignored');
    return { ...base, outcome: 'ignored' };
  }
  if (await db.processedStripeEvent.findUnique({ where: { eventId: event.id }, select: { eventId: true } })) {
    return { ...base, outcome: 'duplicate' };
  }
  const stripe = options.stripe === undefined ? stripeClient() : options.stripe;
  const object = event.data.object;

  // Find the subscription object (re-fetched when the event carries only its id) and user hints.
  let subscription: Obj | null = null;
  let customerId = idOf(object.customer);
  const hints: (string | null)[] = [];
  if (event.type.startsWith('customer.subscription.')) {
    subscription = object;
  } else if (event.type === 'checkout.session.completed') {
    hints.push(str(object.client_reference_id), isObj(object.metadata) ? str(object.metadata.orbita_user_id) : null);
    const id = idOf(object.subscription);
    if (id) subscription = isObj(object.subscription) && isObj(object.subscription.items) ? object.subscription : await fetchSubscription(stripe, id);
  } else {
    const id = invoiceSubscriptionId(object);
    if (id) subscription = await fetchSubscription(stripe, id);
  }
  const snap = subscription ? subscriptionSnapshot(subscription) : null;
  customerId ??= snap?.customerId ?? null;
  if (snap) hints.push(snap.metadataUserId);

  const now = (options.now ?? (() => new Date()))();
  return transaction(db, async (tx) => {
    const inserted = await tx.processedStripeEvent.createMany({ data: [{ eventId: event.id, type: event.type, processedAt: now }], skipDuplicates: true });
    if (inserted.count === 0) return { ...base, outcome: 'duplicate' as const };
    if (!snap) {
      logger.info(base, 'stripe event has no subscription, nothing to do');
      return { ...base, outcome: 'ignored' as const };
    }
    const userId = await findUser(tx, customerId, hints);
    if (!userId) {
      logger.warn({ ...base, customer: customerId, subscription: snap.id }, 'stripe event for no known user, acknowledged');
      return { ...base, outcome: 'unknown_user' as const, subscriptionId: snap.id };
    }
    const outcome = await converge(tx, userId, snap, event, now);
    return { ...base, outcome, userId, subscriptionId: snap.id };
  });
}

/**
 * Verifies a webhook's Stripe-Signature header on the raw body (300 s tolerance) and returns the
 * event. A missing, malformed, wrong or stale signature is a validation error (HTTP 400).
 */
export function verifyStripeSignature(rawBody: string, header: string | null | undefined, secret: string): Stripe.Event {
  if (!header) throw validationError('missing Stripe-Signature header');
  try {
    return Stripe.webhooks.constructEvent(rawBody, header, secret, signatureToleranceSeconds);
  } catch (error) {
    throw validationError(`invalid Stripe signature: ${(error as Error).message.split('\n')[0]}`);
  }
}
