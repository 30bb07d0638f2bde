import { exchangeCode } from '@/lib/calendar/connection';
import { systemClock } from '@/lib/context';
import { db } from '@/lib/db/client';
import { isAppError } from '@/lib/errors';
import { sessionUserId } from '@/lib/identity/session';
import { logger } from '@/lib/logger';
import { calendarConfigured, exchangeErrorCode, seeOther, settingsWithError } from '../shared';

export const dynamic = 'force-dynamic';

/**
 * Where Google's consent page sends the browser back: `?code&state`, or `?error=access_denied`.
 * The state must be one the signed-in user started (checked and consumed by exchangeCode). Every
 * outcome is a 303 to Settings: `?calendar=connected` or `?calendar_error=<code>`; never a 500.
 */
export async function GET(req: Request): Promise<Response> {
  const params = new URL(req.url).searchParams;
  const userId = await sessionUserId();
  if (!userId) return seeOther('/signin');

  const error = params.get('error');
  if (error) {
    logger.info({ error }, 'google calendar: consent not given');
    return settingsWithError(error === 'access_denied' ? 'denied' : 'provider_error');
  }
  const code = params.get('code');
  const state = params.get('state');
  if (!code) return settingsWithError('invalid_request');
  if (!state) return settingsWithError('invalid_state');
  if (!calendarConfigured()) return settingsWithError('not_configured');

  try {
    await exchangeCode({ db: db(), userId, now: systemClock }, { code, state });
  } catch (failure) {
    const reason = exchangeErrorCode(failure);
    if (isAppError(failure)) logger.warn({ code: failure.code, reason, message: failure.message }, 'google calendar: code exchange failed');
    else logger.error({ err: failure }, 'google calendar: code exchange failed');
    return settingsWithError(reason);
  }
  return seeOther('/settings?calendar=connected#google-calendar');
}
