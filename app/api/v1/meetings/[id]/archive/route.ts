import { withUser } from '@/lib/http/with-user';
import { archiveMeeting } from '@/lib/meetings/service';

export const POST = withUser<{ id: string }>(async (_req, { ctx, params }) => archiveMeeting(ctx, params.id));
