import { importCalendar } from '@/lib/calendar/import';
import { readBody, withUser } from '@/lib/http/with-user';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** Imports Google Calendar events of the window as blocks with source `imported` (incremental). */
export const POST = withUser(async (req, { ctx }) => importCalendar(ctx, await readBody(req)));

const notServed = methodNotAllowed('POST');
export { notServed as GET, notServed as PUT, notServed as PATCH, notServed as DELETE };
