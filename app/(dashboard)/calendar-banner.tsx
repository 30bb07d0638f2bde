import { connectionStatus } from '@/lib/calendar/connection';
import { systemClock } from '@/lib/context';
import { db } from '@/lib/db/client';
import { logger } from '@/lib/logger';

/**
 * The dashboard-wide banner when Google Calendar "needs reconnect" (a refresh answered
 * invalid_grant). Reconnect posts to the start route, which sends the browser to Google's consent.
 * A failure to read the status never breaks the page: the banner is then left out.
 */
export async function CalendarReconnectBanner({ userId }: { userId: string }) {
  let status: Awaited<ReturnType<typeof connectionStatus>> = null;
  try {
    status = await connectionStatus({ db: db(), userId, now: systemClock });
  } catch (error) {
    logger.warn({ err: error }, 'google calendar: could not read the connection status for the banner');
    return null;
  }
  if (status?.status !== 'needs_reconnect') return null;
  return (
    <aside aria-label="Google Calendar" data-testid="calendar-reconnect-banner" className="border-b border-amber-300 bg-amber-50 dark:border-amber-800 dark:bg-amber-950">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm">
        <p className="min-w-0 flex-1">
          <strong className="font-semibold">Google Calendar needs to be reconnected.</strong> Google no longer accepts Orbita’s sign-in
          {status.accountEmail ? ` for ${status.accountEmail}` : ''}, so syncing is paused.
        </p>
        <form method="post" action="/api/calendar/oauth/start">
          <button
            type="submit"
            className="rounded-md bg-amber-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-amber-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-700"
          >
            Reconnect
          </button>
        </form>
      </div>
    </aside>
  );
}
