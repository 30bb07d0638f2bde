import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

/** Realistic Stripe payloads (API 2026-10-28: the billing period lives on subscription items). */

const rand = () => randomBytes(8).toString('hex');
const day = 86_400;
export const nowSeconds = () => Math.floor(Date.now() / 1000);

export interface SubscriptionArgs {
  id?: string;
  customer: string;
  status: string;
  userId?: string;
  modules?: string[];
  /** How the price names its module: metadata (default) or lookup key. */
  mapping?: 'metadata' | 'lookup_key';
  periodEnd?: number;
  cancelAtPeriodEnd?: boolean;
}

export function subscriptionObject(args: SubscriptionArgs) {
  const created = nowSeconds() - 3600;
  const periodEnd = args.periodEnd ?? created + 30 * day;
  const id = args.id ?? `sub_${rand()}`;
  return {
    id,
    object: 'subscription',
    application: null,
    billing_cycle_anchor: created,
    cancel_at: null,
    cancel_at_period_end: args.cancelAtPeriodEnd ?? false,
    canceled_at: args.status === 'canceled' ? nowSeconds() : null,
    collection_method: 'charge_automatically',
    created,
    currency: 'eur',
    customer: args.customer,
    ended_at: args.status === 'canceled' ? nowSeconds() : null,
    items: {
      object: 'list',
      data: (args.modules ?? ['adaptive-frequency']).map((module, i) => ({
        id: `si_${rand()}`,
        object: 'subscription_item',
        created,
        current_period_start: periodEnd - 30 * day,
        current_period_end: periodEnd,
        metadata: {},
        price: {
          id: `price_${i}_${module.replace(/-/g, '_')}`,
          object: 'price',
          active: true,
          currency: 'eur',
          livemode: false,
          lookup_key: args.mapping === 'lookup_key' ? `orbita:${module}` : null,
          metadata: args.mapping === 'lookup_key' ? {} : { orbita_module: module },
          nickname: `Orbita ${module}`,
          product: `prod_${module.replace(/-/g, '_')}`,
          recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
          type: 'recurring',
          unit_amount: 400,
        },
        quantity: 1,
        subscription: id,
      })),
      has_more: false,
      total_count: (args.modules ?? ['adaptive-frequency']).length,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: `in_${rand()}`,
    livemode: false,
    metadata: args.userId ? { orbita_user_id: args.userId } : {},
    start_date: created,
    status: args.status,
    trial_end: null,
    trial_start: null,
  };
}

export function checkoutSessionObject(args: { customer: string; subscription: string; userId: string }) {
  return {
    id: `cs_test_${rand()}`,
    object: 'checkout.session',
    client_reference_id: args.userId,
    created: nowSeconds(),
    currency: 'eur',
    customer: args.customer,
    livemode: false,
    metadata: { orbita_user_id: args.userId },
    mode: 'subscription',
    payment_status: 'paid',
    status: 'complete',
    subscription: args.subscription,
    url: null,
  };
}

export function invoiceObject(args: { customer: string; subscription: string; paid: boolean }) {
  return {
    id: `in_${rand()}`,
    object: 'invoice',
    amount_due: 400,
    amount_paid: args.paid ? 400 : 0,
    attempt_count: 1,
    billing_reason: 'subscription_cycle',
    created: nowSeconds(),
    currency: 'eur',
    customer: args.customer,
    livemode: false,
    parent: { type: 'subscription_details', quote_details: null, subscription_details: { metadata: {}, subscription: args.subscription } },
    status: args.paid ? 'paid' : 'open',
  };
}

export function stripeEvent(type: string, object: object, id = `evt_${rand()}`) {
  return {
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: nowSeconds(),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** A Stripe-Signature header for `payload`, optionally signed at another time. */
export function signature(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp === undefined ? {} : { timestamp }) });
}
