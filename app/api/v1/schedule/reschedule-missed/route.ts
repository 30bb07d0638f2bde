import { readBody, withUser } from '@/lib/http/with-user';
import { rescheduleMissed } from '@/lib/scheduling/missed';

/** Marks blocks missed and moves the user's missed blocks to the next free slot (auto-rescheduler). */
export const POST = withUser(async (req, { ctx }) => rescheduleMissed(ctx, await readBody(req)));
