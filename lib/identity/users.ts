import { type Db, type DbTx, isUniqueViolation } from '../db/client';
import type { ServiceContext } from '../context';
import { AppError, conflict, notFound } from '../errors';
import type { User } from '../generated/prisma/client';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { type CreateUserInput, createUserSchema } from './schemas';

/** SPEC §1 defaults: 09:00–17:00, Monday (1) to Friday (5). */
export const defaultWorkingHours = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 }));

export type PublicUser = Pick<User, 'id' | 'email' | 'name' | 'timeZone' | 'createdAt'>;

const publicFields = { id: true, email: true, name: true, timeZone: true, createdAt: true } as const;

/** Creates a user with the default working hours. A taken email is a conflict on `email`. */
export async function createUser(db: Db, input: CreateUserInput): Promise<PublicUser> {
  const data = createUserSchema.parse(input);
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  try {
    return await db.user.create({
      data: {
        email: data.email ?? null,
        name: data.name || null,
        passwordHash,
        timeZone: data.timeZone,
        workingHours: { create: defaultWorkingHours },
      },
      select: publicFields,
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict('an account with this email already exists', { field: 'email' });
    }
    throw error;
  }
}

export async function listUsers(db: DbTx): Promise<PublicUser[]> {
  return db.user.findMany({ select: publicFields, orderBy: { createdAt: 'asc' } });
}

/**
 * Grants or takes away the Operations page (outbox stats and dead letters). An operator's command:
 * the CLI runs with database access, so it picks the user by id or email, not as the acting user.
 */
export async function setAdmin(db: Db, userRef: string, isAdmin: boolean): Promise<PublicUser & { isAdmin: boolean }> {
  const ref = userRef.trim();
  if (!ref) throw new AppError('validation_error', 'give the user\'s id or email (see `orbita user list`)');
  const where = ref.includes('@') ? { email: ref.toLowerCase() } : /^[0-9a-f-]{36}$/i.test(ref) ? { id: ref } : null;
  if (!where) throw new AppError('validation_error', `"${ref}" is neither a user id (uuid) nor an email (see \`orbita user list\`)`);
  const user = await db.user.findUnique({ where, select: { id: true } });
  if (!user) throw notFound('user');
  return db.user.update({ where: { id: user.id }, data: { isAdmin }, select: { ...publicFields, isAdmin: true } });
}

/** The user for an email + password, or null; takes the same time whether or not the email exists. */
export async function verifyCredentials(db: DbTx, email: string, password: string): Promise<PublicUser | null> {
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user?.passwordHash) {
    await verifyPassword(password, await decoyPasswordHash());
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  return { id: user.id, email: user.email, name: user.name, timeZone: user.timeZone, createdAt: user.createdAt };
}

export const localUserName = 'Local user';

/**
 * The user the CLI acts as (SPEC §1). With ORBITA_USER_ID: that user, or a clear error saying how to
 * fix it. Without: the only user there is, created on first use; when several exist, the choice is
 * the operator's.
 */
export async function resolveCliUser(db: Db, orbitaUserId: string | undefined): Promise<PublicUser> {
  if (orbitaUserId) {
    const user = await db.user.findUnique({ where: { id: orbitaUserId }, select: publicFields });
    if (!user) {
      throw new AppError(
        'not_found',
        `ORBITA_USER_ID=${orbitaUserId} is not a user here: run \`orbita user list\` and set ORBITA_USER_ID to one of the ids, or unset it to use the local user`,
      );
    }
    return user;
  }
  const users = await db.user.findMany({ select: publicFields, orderBy: { createdAt: 'asc' }, take: 2 });
  if (users.length === 1) return users[0];
  if (users.length === 0) return createUser(db, { name: localUserName });
  throw new AppError(
    'validation_error',
    'several users exist: set ORBITA_USER_ID to the one the CLI should act as (see `orbita user list`)',
  );
}

/** The acting user's IANA time zone: every "today", "due" and HH:MM is read in it. */
export async function userZone(ctx: ServiceContext): Promise<string> {
  if (ctx.timeZone) return ctx.timeZone;
  // findFirst, not findUnique: almost every call reads the zone, and findUnique's batching (it
  // waits a tick to merge lookups) costs half again as much CPU as the lookup itself.
  const user = await ctx.db.user.findFirst({ where: { id: ctx.userId }, select: { timeZone: true } });
  if (!user) throw notFound('user');
  return user.timeZone;
}
