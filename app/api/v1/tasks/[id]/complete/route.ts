import { withUser } from '@/lib/http/with-user';
import { completeTask } from '@/lib/tasks/service';

export const POST = withUser<{ id: string }>(async (_req, { ctx, params }) => completeTask(ctx, params.id));
