import { withUser } from '@/lib/http/with-user';
import { archiveTask } from '@/lib/tasks/service';

export const POST = withUser<{ id: string }>(async (_req, { ctx, params }) => archiveTask(ctx, params.id));
