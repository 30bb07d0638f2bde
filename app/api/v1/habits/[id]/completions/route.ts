import { listCompletions } from '@/lib/habits/service';
import { readQuery, withUser } from '@/lib/http/with-user';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** A habit's completions, newest first (`limit`, `cursor`). */
export const GET = withUser<{ id: string }>(async (req, { ctx, params }) => listCompletions(ctx, params.id, readQuery(req)));

const notServed = methodNotAllowed('GET');
export { notServed as POST, notServed as PUT, notServed as PATCH, notServed as DELETE };
