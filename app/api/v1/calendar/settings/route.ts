import { updateCalendarSettings, calendarSettings } from '@/lib/calendar/settings';
import { readBody, withUser } from '@/lib/http/with-user';

/** GET: the stored calendar, the effective one, and delete-missing. */
export const GET = withUser(async (_req, { ctx }) => calendarSettings(ctx));
/** PUT `{ calendar?: string | null, delete_missing?: boolean }`. */
export const PUT = withUser(async (req, { ctx }) => updateCalendarSettings(ctx, await readBody(req)));
