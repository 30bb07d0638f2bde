import { readQuery, withUser } from '@/lib/http/with-user';
import { scheduleDay } from '@/lib/scheduling/blocks';

export const GET = withUser(async (req, { ctx }) => scheduleDay(ctx, readQuery(req)));
