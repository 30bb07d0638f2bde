'use server';

import { revalidatePath } from 'next/cache';
import { config } from '@/lib/config';
import { isAppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/http/errors';
import { checkRateLimits, rateLimitMessage } from '@/lib/http/rate-limit';
import { createTokenSchema } from '@/lib/identity/schemas';
import { sessionContext } from '@/lib/identity/session';
import { createAccessToken, revokeAccessToken } from '@/lib/identity/tokens';

export interface CreateTokenState {
  /** The new secret, shown once. */
  token: string | null;
  errors: Record<string, string>;
  values: { name: string; scopes: string[] };
}

export async function createTokenAction(_previous: CreateTokenState, form: FormData): Promise<CreateTokenState> {
  const values = { name: String(form.get('name') ?? ''), scopes: form.getAll('scopes').map(String) };
  const parsed = createTokenSchema.safeParse(values);
  if (!parsed.success) return { token: null, errors: fieldErrors(parsed.error), values };
  const { ctx } = await sessionContext();
  // RATE_LIMIT_TOKENS per user (default 10/1h). The message goes under `form` and, so the form
  // shows it today, next to the name field.
  const limited = await checkRateLimits(ctx.db, [{ bucket: 'tokens', identity: ctx.userId, rule: config().RATE_LIMIT_TOKENS }], ctx.now());
  if (limited) {
    const message = rateLimitMessage(limited, 'Too many tokens created');
    return { token: null, errors: { form: message, name: message }, values };
  }
  const { token } = await createAccessToken(ctx, parsed.data);
  revalidatePath('/settings');
  return { token, errors: {}, values: { name: '', scopes: ['read', 'write'] } };
}

export async function revokeTokenAction(form: FormData): Promise<{ error: string | null }> {
  try {
    await revokeAccessToken((await sessionContext()).ctx, String(form.get('tokenId') ?? ''));
  } catch (error) {
    if (isAppError(error)) return { error: error.message };
    throw error;
  }
  revalidatePath('/settings');
  return { error: null };
}
