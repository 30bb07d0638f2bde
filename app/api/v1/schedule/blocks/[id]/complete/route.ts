import { readBody, withUser } from '@/lib/http/with-user';
import { completeBlockAndTask } from '@/lib/scheduling/complete-block';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** Body (optional): `{ "completeTask": true | false }` for a block of a task that has other planned blocks. */
export const POST = withUser<{ id: string }>(async (req, { ctx, params }) => completeBlockAndTask(ctx, params.id, await readBody(req)));

const notServed = methodNotAllowed('POST');
export { notServed as GET, notServed as PUT, notServed as PATCH, notServed as DELETE };
