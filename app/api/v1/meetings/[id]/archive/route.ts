import { withUser } from '@/lib/http/with-user';
import { archiveMeeting } from '@/lib/meetings/service';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

export const POST = withUser<{ id: string }>(async (_req, { ctx, params }) => archiveMeeting(ctx, params.id));

const notServed = methodNotAllowed('POST');
export { notServed as GET, notServed as PUT, notServed as PATCH, notServed as DELETE };
