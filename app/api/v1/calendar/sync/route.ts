import { syncCalendar } from '@/lib/calendar/sync';
import { readBody, withUser } from '@/lib/http/with-user';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** POST syncs the caller's blocks to Google Calendar (body: days, deleteMissing, calendar, useConfigCalendar, attendees, reminders). */
export const POST = withUser(async (req, { ctx }) => syncCalendar(ctx, await readBody(req)));

const notServed = methodNotAllowed('POST');
export { notServed as GET, notServed as PUT, notServed as PATCH, notServed as DELETE };
