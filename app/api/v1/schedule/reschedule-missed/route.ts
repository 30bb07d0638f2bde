import { readBody, withUser } from '@/lib/http/with-user';
import { rescheduleMissed } from '@/lib/scheduling/missed';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** Marks blocks missed and moves the user's missed blocks to the next free slot (auto-rescheduler). */
export const POST = withUser(async (req, { ctx }) => rescheduleMissed(ctx, await readBody(req)));

const notServed = methodNotAllowed('POST');
export { notServed as GET, notServed as PUT, notServed as PATCH, notServed as DELETE };
