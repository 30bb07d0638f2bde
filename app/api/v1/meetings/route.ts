import { created, readBody, readQuery, withUser } from '@/lib/http/with-user';
import { createMeeting, listMeetings } from '@/lib/meetings/service';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** 1:1s sorted by next occurrence (`?archived=true` includes archived ones; `limit`, `cursor`). */
export const GET = withUser(async (req, { ctx }) => listMeetings(ctx, readQuery(req)));
export const POST = withUser(async (req, { ctx }) => created(await createMeeting(ctx, await readBody(req))));

const notServed = methodNotAllowed('GET', 'POST');
export { notServed as PUT, notServed as PATCH, notServed as DELETE };
