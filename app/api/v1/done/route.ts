import { done } from '@/lib/done/service';
import { readBody, withUser } from '@/lib/http/with-user';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** Completes the open task or logs the due habit an id prefix names (the CLI's `done`). */
export const POST = withUser(async (req, { ctx }) => done(ctx, await readBody(req)));

const notServed = methodNotAllowed('POST');
export { notServed as GET, notServed as PUT, notServed as PATCH, notServed as DELETE };
