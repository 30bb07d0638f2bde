'use server';

import { revalidatePath } from 'next/cache';
import { isAppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/http/errors';
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
  const { token } = await createAccessToken((await sessionContext()).ctx, parsed.data);
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
