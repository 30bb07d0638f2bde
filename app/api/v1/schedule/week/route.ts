import { readQuery, withUser } from '@/lib/http/with-user';
import { scheduleWeek } from '@/lib/scheduling/blocks';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

export const GET = withUser(async (req, { ctx }) => scheduleWeek(ctx, readQuery(req)));

const notServed = methodNotAllowed('GET');
export { notServed as POST, notServed as PUT, notServed as PATCH, notServed as DELETE };
