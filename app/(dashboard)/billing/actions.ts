'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { createCheckoutSession, createPortalSession } from '@/lib/billing/checkout';
import type { ServiceContext } from '@/lib/context';
import { toAppError } from '@/lib/http/errors';
import { sessionContext } from '@/lib/identity/session';

export interface BillingActionState {
  error: string | null;
}

/** This page's absolute URL, where Stripe sends the browser back to. */
async function billingPageUrl(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000';
  const proto = h.get('x-forwarded-proto') ?? (host.startsWith('localhost') || host.startsWith('127.') ? 'http' : 'https');
  return `${proto}://${host}/billing`;
}

/** Runs a session-creating call; a domain error becomes the message shown next to the button. */
async function toStripe(create: (ctx: ServiceContext, returnUrl: string) => Promise<{ url: string }>): Promise<BillingActionState> {
  let url: string;
  try {
    url = (await create((await sessionContext()).ctx, await billingPageUrl())).url;
  } catch (error) {
    const appError = toAppError(error);
    if (appError) return { error: appError.message };
    throw error;
  }
  redirect(url); // outside the try: redirect() works by throwing
}

export async function upgradeAction(_previous: BillingActionState, form: FormData): Promise<BillingActionState> {
  const moduleName = String(form.get('module') ?? '');
  return toStripe((ctx, returnUrl) => createCheckoutSession(ctx, { module: moduleName as never, returnUrl }));
}

export async function manageBillingAction(_previous: BillingActionState): Promise<BillingActionState> {
  return toStripe((ctx, returnUrl) => createPortalSession(ctx, { returnUrl }));
}
