import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
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

export async function sessionUserId(): Promise<string | null> {
  const session = await getServerSession(authOptions());
  return session?.user?.id ?? null;
}
