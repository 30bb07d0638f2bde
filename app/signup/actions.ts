'use server';

import { db } from '@/lib/db/client';
import { isAppError } from '@/lib/errors';
import { fieldErrors } from '@/lib/http/errors';
import { signUpSchema } from '@/lib/identity/schemas';
import { createUser } from '@/lib/identity/users';

export interface SignUpState {
  ok: boolean;
  /** Field → message, shown next to the field. */
  errors: Record<string, string>;
  /** What was typed (never the password), so a failed submit loses nothing. */
  values: { email: string; name: string; timeZone: string };
}

export async function signUpAction(_previous: SignUpState, form: FormData): Promise<SignUpState> {
  const values = {
    email: String(form.get('email') ?? ''),
    name: String(form.get('name') ?? ''),
    timeZone: String(form.get('timeZone') ?? '') || 'UTC',
  };
  const parsed = signUpSchema.safeParse({ ...values, password: String(form.get('password') ?? '') });
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error), values };
  try {
    await createUser(db(), parsed.data);
    return { ok: true, errors: {}, values };
  } catch (error) {
    if (isAppError(error) && error.code === 'conflict') return { ok: false, errors: { email: error.message }, values };
    throw error;
  }
}
