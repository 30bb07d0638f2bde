import { logHabit } from '@/lib/habits/service';
import { created, readBody, withUser } from '@/lib/http/with-user';

/** Logs a completion (body `{ notes?, date? }`): 201 with `{ habit, completion }`. */
export const POST = withUser<{ id: string }>(async (req, { ctx, params }) => created(await logHabit(ctx, params.id, await readBody(req))));
