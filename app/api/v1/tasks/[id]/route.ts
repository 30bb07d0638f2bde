import { readBody, withUser } from '@/lib/http/with-user';
import { archiveTask, getTask, updateTask } from '@/lib/tasks/service';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

type Params = { id: string };

export const GET = withUser<Params>(async (_req, { ctx, params }) => getTask(ctx, params.id));
export const PATCH = withUser<Params>(async (req, { ctx, params }) => updateTask(ctx, params.id, await readBody(req)));
/** Tasks are never hard-deleted: DELETE archives (idempotent). */
export const DELETE = withUser<Params>(async (_req, { ctx, params }) => archiveTask(ctx, params.id));

const notServed = methodNotAllowed('GET', 'PATCH', 'DELETE');
export { notServed as POST, notServed as PUT };
