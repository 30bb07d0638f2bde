import { handleStripeEvent, verifyStripeSignature } from '@/lib/billing/webhook';
import { config } from '@/lib/config';
import { db } from '@/lib/db/client';
import { errorResponse } from '@/lib/http/errors';
import { checkRateLimits, clientIp, rateLimitedResponse } from '@/lib/http/rate-limit';

export const dynamic = 'force-dynamic';

/**
 * Stripe webhook (SPEC §7): the signature is checked on the raw body before anything is read or
 * written; the handler is idempotent by event id and answers 200 fast. Over RATE_LIMIT_WEBHOOK per
 * client IP → 429 with Retry-After (Stripe retries later).
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
    // Rate limited per client IP before the body is read (RATE_LIMIT_WEBHOOK, default 600/1m). No
    // Origin check: Stripe is not a browser; the signature is the authentication.
    const limited = await checkRateLimits(db(), [{ bucket: 'webhook', identity: clientIp(req.headers, c.TRUST_PROXY), rule: c.RATE_LIMIT_WEBHOOK }]);
    if (limited) return rateLimitedResponse(limited, 'too many webhook requests');
    const rawBody = await req.text();
    const event = verifyStripeSignature(rawBody, req.headers.get('stripe-signature'), c.STRIPE_WEBHOOK_SECRET);
    await handleStripeEvent(db(), event);
    return Response.json({ received: true });
  } catch (error) {
    return errorResponse(error);
  }
}
