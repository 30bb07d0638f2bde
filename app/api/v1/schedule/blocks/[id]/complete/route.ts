import { withUser } from '@/lib/http/with-user';
import { completeBlock } from '@/lib/scheduling/blocks';

export const POST = withUser<{ id: string }>(async (_req, { ctx, params }) => completeBlock(ctx, params.id));
