import Stripe from 'stripe';
import { type Config, config } from '../config';

export type StripeClient = Stripe;

/**
 * SDK options for a base URL (STRIPE_API_BASE_URL): the SDK takes host, port and protocol
 * separately, so tests can point it at the loopback fake (test/fakes/stripe).
 */
export function stripeConnectionOptions(baseUrl: string | undefined): { host?: string; port?: number; protocol?: 'http' | 'https' } {
  if (!baseUrl) return {};
  const url = new URL(baseUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}

/** A Stripe client for an API key and an optional base URL. */
export function createStripeClient(apiKey: string, baseUrl?: string): Stripe {
  return new Stripe(apiKey, { maxNetworkRetries: 1, timeout: 10_000, ...stripeConnectionOptions(baseUrl) });
}

const holder = globalThis as unknown as { __orbitaStripe?: { key: string; client: Stripe } };

/** The process's Stripe client, or null when Stripe is not configured (self-hosted). */
export function stripeClient(c: Config = config()): Stripe | null {
  if (!c.STRIPE_API_KEY) return null;
  const key = `${c.STRIPE_API_KEY}\n${c.STRIPE_API_BASE_URL ?? ''}`;
  if (holder.__orbitaStripe?.key !== key) holder.__orbitaStripe = { key, client: createStripeClient(c.STRIPE_API_KEY, c.STRIPE_API_BASE_URL) };
  return holder.__orbitaStripe.client;
}
