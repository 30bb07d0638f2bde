import { createHabit, listHabits } from '@/lib/habits/service';
import { created, readBody, readQuery, withUser } from '@/lib/http/with-user';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

export const GET = withUser(async (req, { ctx }) => listHabits(ctx, readQuery(req)));
export const POST = withUser(async (req, { ctx }) => created(await createHabit(ctx, await readBody(req))));

const notServed = methodNotAllowed('GET', 'POST');
export { notServed as PUT, notServed as PATCH, notServed as DELETE };
