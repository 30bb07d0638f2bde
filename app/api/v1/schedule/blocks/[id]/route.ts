import { readBody, withUser } from '@/lib/http/with-user';
import { removeBlockEverywhere } from '@/lib/calendar/sync';
import { getBlock, moveBlock } from '@/lib/scheduling/blocks';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

type Params = { id: string };

export const GET = withUser<Params>(async (_req, { ctx, params }) => getBlock(ctx, params.id));
/** PATCH moves the block (new start/end). */
export const PATCH = withUser<Params>(async (req, { ctx, params }) => moveBlock(ctx, params.id, await readBody(req)));
/** DELETE removes the block and, with delete-missing on, its synced calendar event (`calendarEvent` says what happened). */
export const DELETE = withUser<Params>(async (_req, { ctx, params }) => removeBlockEverywhere(ctx, params.id));

const notServed = methodNotAllowed('GET', 'PATCH', 'DELETE');
export { notServed as POST, notServed as PUT };
