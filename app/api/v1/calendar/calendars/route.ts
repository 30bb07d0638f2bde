import { listCalendars } from '@/lib/calendar/settings';
import { readQuery, withUser } from '@/lib/http/with-user';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** GET lists the calendars of the connected Google account (`?primaryOnly=true`). */
export const GET = withUser(async (req, { ctx }) => listCalendars(ctx, readQuery(req)));

const notServed = methodNotAllowed('GET');
export { notServed as POST, notServed as PUT, notServed as PATCH, notServed as DELETE };
