'use server';

import { type Profile, profileFieldErrors, updateProfile } from '@/lib/identity/profile';
import { type UpdateProfileInput, updateProfileSchema } from '@/lib/identity/schemas';
import { type ActionResult, runAction } from '../run-action';

/** Pages whose times and plans read the time zone or working hours. */
const profilePages = ['/settings', '/today', '/week'];

/** Saves Settings → Profile; a validation error carries one message per weekday row (`workingHours.2`). */
export async function updateProfileAction(input: UpdateProfileInput): Promise<ActionResult<Profile>> {
  const result = await runAction((ctx) => updateProfile(ctx, input), profilePages);
  if (result.ok || result.error.code !== 'validation_error') return result;
  // runAction keeps the first message per top-level field; the form shows one per weekday row.
  const parsed = updateProfileSchema.safeParse(input);
  return parsed.success ? result : { ok: false, error: { ...result.error, fields: profileFieldErrors(parsed.error) } };
}
