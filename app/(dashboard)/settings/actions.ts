'use server';

import { revalidatePath } from 'next/cache';
import { systemClock, type ServiceContext } from '@/lib/context';
import { db } from '@/lib/db/client';
import { isAppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/http/errors';
import { createTokenSchema } from '@/lib/identity/schemas';
import { requireSessionUser } from '@/lib/identity/session';
import { createAccessToken, revokeAccessToken } from '@/lib/identity/tokens';

async function sessionContext(): Promise<ServiceContext> {
  const user = await requireSessionUser();
  return { db: db(), userId: user.id, now: systemClock };
}

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
  const { token } = await createAccessToken(await sessionContext(), parsed.data);
  revalidatePath('/settings');
  return { token, errors: {}, values: { name: '', scopes: ['read', 'write'] } };
}

export async function revokeTokenAction(form: FormData): Promise<{ error: string | null }> {
  try {
    await revokeAccessToken(await sessionContext(), String(form.get('tokenId') ?? ''));
  } catch (error) {
    if (isAppError(error)) return { error: error.message };
    throw error;
  }
  revalidatePath('/settings');
  return { error: null };
}
