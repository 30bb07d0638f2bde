import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { systemClock, type ServiceContext } from '../context';
import { db } from '../db/client';
import { authOptions } from './auth-options';

/** The signed-in user for a server component or action; redirects to sign-in when there is none. */
export async function requireSessionUser() {
  const session = await getServerSession(authOptions());
  const userId = session?.user?.id;
  const user = userId
    ? await db().user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, timeZone: true, isAdmin: true } })
    : null;
  if (!user) redirect('/signin');
  return user;
}

export type SessionUser = Awaited<ReturnType<typeof requireSessionUser>>;

/**
 * The service context of the signed-in user (redirects to sign-in without one). Dashboard reads may
 * pass `{ ...ctx, timeZone: user.timeZone }` to skip a zone lookup; writes use `ctx` as it is.
 */
export async function sessionContext(): Promise<{ ctx: ServiceContext; user: SessionUser }> {
  const user = await requireSessionUser();
  return { ctx: { db: db(), userId: user.id, now: systemClock }, user };
}

export async function sessionUserId(): Promise<string | null> {
  const session = await getServerSession(authOptions());
  return session?.user?.id ?? null;
}
