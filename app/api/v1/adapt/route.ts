import { adapt } from '@/lib/adapt/service';
import { readBody, withUser } from '@/lib/http/with-user';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** Adaptive frequency for habits and/or meetings; the report says per item old → new and why. */
export const POST = withUser(async (req, { ctx }) => adapt(ctx, await readBody(req)));

const notServed = methodNotAllowed('POST');
export { notServed as GET, notServed as PUT, notServed as PATCH, notServed as DELETE };
