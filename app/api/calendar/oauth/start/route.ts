import { createAuthUrl } from '@/lib/calendar/connection';
import { systemClock } from '@/lib/context';
import { db } from '@/lib/db/client';
import { isAppError } from '@/lib/errors';
import { sessionUserId } from '@/lib/identity/session';
import { logger } from '@/lib/logger';
import { calendarConfigured, exchangeErrorCode, seeOther, settingsWithError } from '../shared';

export const dynamic = 'force-dynamic';

/**
 * "Connect Google Calendar" / "Reconnect": creates the consent URL (state + PKCE stored for the
 * signed-in user) and sends the browser there with a 303. POST from the Settings and banner forms;
 * GET works too so the URL can be linked. Never a 500: every failure goes back to Settings with a code.
 */
async function start(): Promise<Response> {
  const userId = await sessionUserId();
  if (!userId) return seeOther('/signin');
  if (!calendarConfigured()) return settingsWithError('not_configured');
  try {
    const { url } = await createAuthUrl({ db: db(), userId, now: systemClock });
    return seeOther(url);
  } catch (error) {
    if (!isAppError(error)) logger.error({ err: error }, 'google calendar: could not create the consent URL');
    const code = exchangeErrorCode(error);
    return settingsWithError(code === 'not_configured' || code === 'encryption_key' ? code : 'start_failed');
  }
}

export const GET = start;
export const POST = start;
