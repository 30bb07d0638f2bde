import NextAuth from 'next-auth';
import { db } from '@/lib/db/client';
import { signInRateLimit } from '@/lib/http/rate-limit';
import { authOptions } from '@/lib/identity/auth-options';

type Context = { params: Promise<{ nextauth: string[] }> };

const handler = (req: Request, ctx: Context) => NextAuth(req as never, ctx as never, authOptions());

/**
 * next-auth's routes. Credentials sign-ins are rate limited first (lib/http/rate-limit.ts:
 * RATE_LIMIT_SIGNIN per IP+email, RATE_LIMIT_SIGNIN_IP per IP → 429 with Retry-After). CSRF on
 * these routes is next-auth's own double-submit token (the csrfToken field must match its cookie).
 */
async function POST(req: Request, ctx: Context): Promise<Response> {
  const limited = await signInRateLimit(db(), req, (await ctx.params)?.nextauth ?? []);
  return limited ?? handler(req, ctx);
}

export { handler as GET, POST };
