import { importCalendar } from '@/lib/calendar/import';
import { readBody, withUser } from '@/lib/http/with-user';

/** Imports Google Calendar events of the window as blocks with source `imported` (incremental). */
export const POST = withUser(async (req, { ctx }) => importCalendar(ctx, await readBody(req)));
