import { archiveHabit, getHabit, updateHabit } from '@/lib/habits/service';
import { readBody, withUser } from '@/lib/http/with-user';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

type Params = { id: string };

export const GET = withUser<Params>(async (_req, { ctx, params }) => getHabit(ctx, params.id));
export const PATCH = withUser<Params>(async (req, { ctx, params }) => updateHabit(ctx, params.id, await readBody(req)));
/** Habits are never hard-deleted (their history stays): DELETE archives (idempotent). */
export const DELETE = withUser<Params>(async (_req, { ctx, params }) => archiveHabit(ctx, params.id));

const notServed = methodNotAllowed('GET', 'PATCH', 'DELETE');
export { notServed as POST, notServed as PUT };
