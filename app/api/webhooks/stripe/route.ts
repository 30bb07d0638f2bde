import { handleStripeEvent, verifyStripeSignature } from '@/lib/billing/webhook';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { errorResponse } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

/**
 * Stripe webhook (SPEC §7): the signature is checked on the raw body before anything is read or
 * written; the handler is idempotent by event id and answers 200 fast.
 */
export async function POST(req: Request): Promise<Response> {
  const c = config();
  if (!c.STRIPE_API_KEY || !c.STRIPE_WEBHOOK_SECRET) {
    return Response.json(
      { error: { code: 'unavailable', message: 'Stripe is not configured (set STRIPE_API_KEY and STRIPE_WEBHOOK_SECRET)' } },
      { status: 503 },
    );
  }
  try {
    const rawBody = await req.text();
    const event = verifyStripeSignature(rawBody, req.headers.get('stripe-signature'), c.STRIPE_WEBHOOK_SECRET);
    await handleStripeEvent(db(), event);
    return Response.json({ received: true });
  } catch (error) {
    return errorResponse(error);
  }
}
