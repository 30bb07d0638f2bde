import { readBody, withUser } from '@/lib/http/with-user';
import { notFound } from '@/lib/errors';
import { updateProfile } from '@/lib/identity/profile';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** The acting user: the simplest way to check a token works. */
export const GET = withUser(async (_req, { ctx, principal }) => {
  const user = await ctx.db.user.findUnique({
    where: { id: ctx.userId },
    select: { id: true, email: true, name: true, timeZone: true, createdAt: true },
  });
  if (!user) throw notFound('user');
  return { user, auth: { via: principal.via, scopes: principal.scopes } };
});

/** Changes the time zone, working hours (the whole week) and/or personal hours; answers the profile. */
export const PATCH = withUser(async (req, { ctx }) => updateProfile(ctx, await readBody(req)));

const notServed = methodNotAllowed('GET', 'PATCH');
export { notServed as POST, notServed as PUT, notServed as DELETE };
