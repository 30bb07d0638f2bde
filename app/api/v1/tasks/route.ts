import { created, readBody, readQuery, withUser } from '@/lib/http/with-user';
import { createTask, listTasks } from '@/lib/tasks/service';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

export const GET = withUser(async (req, { ctx }) => listTasks(ctx, readQuery(req)));
export const POST = withUser(async (req, { ctx }) => created(await createTask(ctx, await readBody(req))));

const notServed = methodNotAllowed('GET', 'POST');
export { notServed as PUT, notServed as PATCH, notServed as DELETE };
