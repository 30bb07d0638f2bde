import { readQuery, withUser } from '@/lib/http/with-user';
import { scheduleWeek } from '@/lib/scheduling/blocks';

export const GET = withUser(async (req, { ctx }) => scheduleWeek(ctx, readQuery(req)));
