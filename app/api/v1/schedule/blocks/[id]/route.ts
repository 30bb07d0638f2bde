import { readBody, withUser } from '@/lib/http/with-user';
import { getBlock, moveBlock, removeBlock } from '@/lib/scheduling/blocks';

type Params = { id: string };

export const GET = withUser<Params>(async (_req, { ctx, params }) => getBlock(ctx, params.id));
/** PATCH moves the block (new start/end). */
export const PATCH = withUser<Params>(async (req, { ctx, params }) => moveBlock(ctx, params.id, await readBody(req)));
export const DELETE = withUser<Params>(async (_req, { ctx, params }) => removeBlock(ctx, params.id));
