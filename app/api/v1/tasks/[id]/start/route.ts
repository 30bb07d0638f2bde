import { withUser } from '@/lib/http/with-user';
import { startTask } from '@/lib/tasks/service';

export const POST = withUser<{ id: string }>(async (_req, { ctx, params }) => startTask(ctx, params.id));
