import { readBody, withUser } from '@/lib/http/with-user';
import { archiveMeeting, getMeeting, updateMeeting } from '@/lib/meetings/service';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

type Params = { id: string };

export const GET = withUser<Params>(async (_req, { ctx, params }) => getMeeting(ctx, params.id));
export const PATCH = withUser<Params>(async (req, { ctx, params }) => updateMeeting(ctx, params.id, await readBody(req)));
/** Meetings are never hard-deleted: DELETE archives (idempotent). */
export const DELETE = withUser<Params>(async (_req, { ctx, params }) => archiveMeeting(ctx, params.id));

const notServed = methodNotAllowed('GET', 'PATCH', 'DELETE');
export { notServed as POST, notServed as PUT };
