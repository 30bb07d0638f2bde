import { readBody, withUser } from '@/lib/http/with-user';
import { markMeetingHeld } from '@/lib/meetings/service';

/** Records an occurrence: body `{ date?: "YYYY-MM-DD", time?: "HH:MM" }` (default now). */
export const POST = withUser<{ id: string }>(async (req, { ctx, params }) => markMeetingHeld(ctx, params.id, await readBody(req)));
