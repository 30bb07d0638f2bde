import { decode, encode } from 'next-auth/jwt';
import { signInCookieMaxAgeSeconds } from './sign-in-cookies';

/**
 * The intent behind Settings → "Link Google sign-in": the user id, sealed with NEXTAUTH_SECRET
 * (next-auth's own JWE, under a salt of its own so neither a session cookie nor this value can
 * stand in for the other), valid for ten minutes.
 */
const salt = 'orbita.link-google';
const purpose = 'link-google';

export async function sealGoogleLinkIntent(userId: string, secret: string): Promise<string> {
  return encode({ token: { sub: userId, purpose }, secret, salt, maxAge: signInCookieMaxAgeSeconds });
}

/** The user id in a sealed intent, or null when it is missing, forged, for something else or expired. */
export async function openGoogleLinkIntent(value: string | undefined, secret: string | undefined): Promise<string | null> {
  if (!value || !secret) return null;
  try {
    const token = await decode({ token: value, secret, salt });
    return token?.purpose === purpose && typeof token.sub === 'string' ? token.sub : null;
  } catch {
    return null;
  }
}
