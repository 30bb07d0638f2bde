'use server';

import { cookies } from 'next/headers';
import { authOptions, googleSignInEnabled } from '@/lib/identity/auth-options';
import { sealGoogleLinkIntent } from '@/lib/identity/google-link';
import { sessionContext } from '@/lib/identity/session';
import { googleLinkCookie, signInCookieMaxAgeSeconds } from '@/lib/identity/sign-in-cookies';

/**
 * Settings → "Link Google sign-in", step one: records (sealed, HttpOnly, ten minutes) that the
 * signed-in user asked for it. The browser then goes through Google sign-in, and the callback links
 * whichever Google account comes back to this user, whatever its email (lib/identity/auth-options.ts).
 */
export async function startGoogleLinkAction(): Promise<{ ok: true } | { ok: false; message: string }> {
  const { user } = await sessionContext(); // without a session it redirects to sign-in
  const secret = authOptions().secret;
  if (!googleSignInEnabled() || !secret) return { ok: false, message: 'Google sign-in is not configured on this server.' };
  (await cookies()).set(googleLinkCookie, await sealGoogleLinkIntent(user.id, secret), {
    httpOnly: true,
    sameSite: 'lax',
    secure: (process.env.NEXTAUTH_URL ?? '').startsWith('https://'),
    path: '/',
    maxAge: signInCookieMaxAgeSeconds,
  });
  return { ok: true };
}
