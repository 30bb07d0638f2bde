import { readBody, withUser } from '@/lib/http/with-user';
import { markMeetingHeld } from '@/lib/meetings/service';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** Records an occurrence: body `{ date?: "YYYY-MM-DD", time?: "HH:MM" }` (default now). */
export const POST = withUser<{ id: string }>(async (req, { ctx, params }) => markMeetingHeld(ctx, params.id, await readBody(req)));

const notServed = methodNotAllowed('POST');
export { notServed as GET, notServed as PUT, notServed as PATCH, notServed as DELETE };
