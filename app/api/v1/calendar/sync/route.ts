import { syncCalendar } from '@/lib/calendar/sync';
import { readBody, withUser } from '@/lib/http/with-user';

/** POST syncs the caller's blocks to Google Calendar (body: days, deleteMissing, calendar, useConfigCalendar, attendees, reminders). */
export const POST = withUser(async (req, { ctx }) => syncCalendar(ctx, await readBody(req)));
