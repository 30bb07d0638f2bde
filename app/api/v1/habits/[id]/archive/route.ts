import { archiveHabit } from '@/lib/habits/service';
import { withUser } from '@/lib/http/with-user';

export const POST = withUser<{ id: string }>(async (_req, { ctx, params }) => archiveHabit(ctx, params.id));
