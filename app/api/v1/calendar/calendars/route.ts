import { listCalendars } from '@/lib/calendar/settings';
import { readQuery, withUser } from '@/lib/http/with-user';

/** GET lists the calendars of the connected Google account (`?primaryOnly=true`). */
export const GET = withUser(async (req, { ctx }) => listCalendars(ctx, readQuery(req)));
