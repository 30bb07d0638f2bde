import { updateCalendarSettings, calendarSettings } from '@/lib/calendar/settings';
import { readBody, withUser } from '@/lib/http/with-user';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** GET: the stored calendar, the effective one, and delete-missing. */
export const GET = withUser(async (_req, { ctx }) => calendarSettings(ctx));
/** PUT `{ calendar?: string | null, delete_missing?: boolean }`. */
export const PUT = withUser(async (req, { ctx }) => updateCalendarSettings(ctx, await readBody(req)));

const notServed = methodNotAllowed('GET', 'PUT');
export { notServed as POST, notServed as PATCH, notServed as DELETE };
