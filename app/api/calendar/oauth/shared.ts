import { type Config, config, isOAuthConfigured } from '@/lib/config';
import { isAppError } from '@/lib/errors';

/**
 * What the browser side of "Connect Google Calendar" shares: which settings are missing, and the
 * redirects back to Settings. Every outcome is a redirect to `/settings` with `calendar=connected`
 * or `calendar_error=<code>`; the Settings page turns the code into a sentence (calendarErrorMessages).
 */

export type CalendarErrorCode =
  | 'denied'
  | 'provider_error'
  | 'invalid_request'
  | 'invalid_state'
  | 'exchange_failed'
  | 'upstream_unavailable'
  | 'encryption_key'
  | 'not_configured'
  | 'start_failed';

export const calendarErrorMessages: Record<CalendarErrorCode, string> = {
  denied: 'Google Calendar was not connected: access was declined on Google’s consent page.',
  provider_error: 'Google Calendar was not connected: Google reported an error on its consent page. Try connecting again.',
  invalid_request: 'Google Calendar was not connected: Google sent the browser back without an authorization code. Try connecting again.',
  invalid_state:
    'Google Calendar was not connected: that sign-in link expired, was already used, or was started by another account. Click “Connect Google Calendar” to start again.',
  exchange_failed: 'Google Calendar was not connected: Google did not accept the authorization code. Try connecting again.',
  upstream_unavailable: 'Google Calendar was not connected: Google could not be reached. Try again in a moment.',
  encryption_key: 'Google Calendar was not connected: the server cannot store Google tokens securely because ORBITA_ENCRYPTION_KEY is not usable. Ask your administrator.',
  not_configured: 'Google Calendar is not configured on this server (see below for the settings it needs).',
  start_failed: 'Could not start connecting to Google Calendar. Try again in a moment.',
};

export const isCalendarErrorCode = (value: unknown): value is CalendarErrorCode =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(calendarErrorMessages, value);

/** The environment variables Google Calendar still needs on this server (empty when it is usable). */
export function missingCalendarSettings(c: Config = config()): string[] {
  const missing: string[] = [];
  if (c.OAUTH_PROVIDER !== 'google') missing.push('OAUTH_PROVIDER=google');
  if (!c.OAUTH_CLIENT_ID) missing.push('OAUTH_CLIENT_ID');
  if (!c.OAUTH_CLIENT_SECRET) missing.push('OAUTH_CLIENT_SECRET');
  if (!c.OAUTH_AUTH_URL) missing.push('OAUTH_AUTH_URL');
  if (!c.OAUTH_TOKEN_URL) missing.push('OAUTH_TOKEN_URL');
  if (!c.OAUTH_REDIRECT_URL) missing.push('OAUTH_REDIRECT_URL');
  if (!c.ORBITA_ENCRYPTION_KEY) missing.push('ORBITA_ENCRYPTION_KEY');
  return missing;
}

export const calendarConfigured = (c: Config = config()) => c.OAUTH_PROVIDER === 'google' && isOAuthConfigured(c) && Boolean(c.ORBITA_ENCRYPTION_KEY);

/**
 * A 303 to a path on this site. The Location is relative so it stays on whatever origin the browser
 * used (behind a proxy the request URL the server sees may not be the public one).
 */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'no-store' } });
}

export const settingsWithError = (code: CalendarErrorCode) => seeOther(`/settings?calendar_error=${code}#google-calendar`);

/** The code for an error thrown while exchanging the authorization code. */
export function exchangeErrorCode(error: unknown): CalendarErrorCode {
  if (!isAppError(error)) return 'exchange_failed';
  if (/ORBITA_ENCRYPTION_KEY/.test(error.message)) return 'encryption_key';
  if (error.code === 'upstream_error' || error.code === 'rate_limited') return 'upstream_unavailable';
  if (error.code === 'unavailable') return /OAUTH_/.test(error.message) ? 'not_configured' : 'upstream_unavailable';
  if (/\bstate\b/i.test(error.message)) return 'invalid_state';
  return 'exchange_failed';
}
