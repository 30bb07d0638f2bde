export type GoogleSignInFlash = { tone: 'success' | 'error'; text: string } | null;

/** What Settings' `?google=` (the end of a link round trip) says. */
export function googleSignInFlash(value: string | string[] | undefined): GoogleSignInFlash {
  if (value === 'linked') return { tone: 'success', text: 'Google sign-in linked: you can now sign in with Google too.' };
  if (value === 'account_in_use') return { tone: 'error', text: 'That Google account already signs in to another Orbita account, so it was not linked.' };
  if (typeof value === 'string' && value) return { tone: 'error', text: 'Google sign-in was not linked. Try again.' };
  return null;
}
