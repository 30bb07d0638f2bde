import { logHabit } from '@/lib/habits/service';
import { created, readBody, withUser } from '@/lib/http/with-user';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** Logs a completion (body `{ notes?, date? }`): 201 with `{ habit, completion }`. */
export const POST = withUser<{ id: string }>(async (req, { ctx, params }) => created(await logHabit(ctx, params.id, await readBody(req))));

const notServed = methodNotAllowed('POST');
export { notServed as GET, notServed as PUT, notServed as PATCH, notServed as DELETE };
