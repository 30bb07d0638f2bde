import { readBody, withUser } from '@/lib/http/with-user';
import { autoSchedule } from '@/lib/scheduling/auto';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** Plans open tasks (and due habits / 1:1s with `habits` / `meetings`) into free time. */
export const POST = withUser(async (req, { ctx }) => autoSchedule(ctx, await readBody(req)));

const notServed = methodNotAllowed('POST');
export { notServed as GET, notServed as PUT, notServed as PATCH, notServed as DELETE };
