import { readQuery, withUser } from '@/lib/http/with-user';
import { freeSlots } from '@/lib/scheduling/blocks';

export const GET = withUser(async (req, { ctx }) => freeSlots(ctx, readQuery(req)));
