/**
 * Short-lived cookies that carry what a Google sign-in needs across the round trip to Google (the
 * sign-in page and Settings set them; lib/identity/auth-options.ts reads them on the callback).
 * Constants only: the sign-in page imports this file in the browser.
 */

/** The browser's IANA time zone, for an account a Google sign-in creates (validated on use, else UTC). */
export const signInZoneCookie = 'orbita.signin-tz';

/** Settings → "Link Google sign-in": the signed-in user the next Google sign-in links to (sealed, HttpOnly). */
export const googleLinkCookie = 'orbita.link-google';

/** Both last as long as a consent may take. */
export const signInCookieMaxAgeSeconds = 600;
