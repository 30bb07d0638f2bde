import { type DbTx, isUniqueViolation } from '../db/client';
import { notFound } from '../errors';
import { emailSchema, type GoogleSignInInput, googleSignInSchema, timeZoneSchema } from './schemas';
import { defaultWorkingHours } from './users';

const provider = 'google';

/** What a Google sign-in came to. A refusal signs nobody in and writes nothing. */
export type GoogleSignIn =
  | { outcome: 'signed_in' | 'linked' | 'created'; userId: string }
  | {
      outcome: 'refused';
      /**
       * `email_unverified`: the email belongs to an Orbita account and Google has not verified it.
       * `account_in_use`: the Google account already signs in to another Orbita account.
       */
      reason: 'email_unverified' | 'account_in_use';
    };

/**
 * Resolves a Google sign-in to an Orbita user:
 * - a Google account linked before signs in to its user;
 * - with `linkToUserId` (Settings → "Link Google sign-in", a signed-in user), the Google account is
 *   linked to that user whatever its email, unless it already signs in to someone else;
 * - an email that belongs to an account is linked only when Google says `email_verified: true`
 *   (anyone can put an unverified address on a Google account: linking it would hand the account
 *   over); otherwise the sign-in is refused, and nothing is written;
 * - otherwise a new user, in the zone the browser reported (else UTC), with the email only if it is
 *   verified (an unverified one would claim an address its owner may later sign up with).
 */
export async function signInWithGoogle(ctx: { db: DbTx; now: () => Date }, input: GoogleSignInInput): Promise<GoogleSignIn> {
  const data = googleSignInSchema.parse(input);
  try {
    return await resolve(ctx, data);
  } catch (error) {
    // Two sign-ins racing (the same Google account, or a sign-up taking the email): the second one
    // sees the first one's rows.
    if (isUniqueViolation(error)) return resolve(ctx, data);
    throw error;
  }
}

async function resolve(ctx: { db: DbTx; now: () => Date }, data: ReturnType<typeof googleSignInSchema.parse>): Promise<GoogleSignIn> {
  const account = { type: 'oauth', provider, providerAccountId: data.sub };
  const linked = await ctx.db.account.findUnique({
    where: { provider_providerAccountId: { provider, providerAccountId: data.sub } },
    select: { userId: true },
  });
  if (data.linkToUserId) {
    if (linked) return linked.userId === data.linkToUserId ? { outcome: 'linked', userId: linked.userId } : { outcome: 'refused', reason: 'account_in_use' };
    await ctx.db.account.create({ data: { ...account, userId: data.linkToUserId } });
    return { outcome: 'linked', userId: data.linkToUserId };
  }
  if (linked) return { outcome: 'signed_in', userId: linked.userId };

  const parsedEmail = emailSchema.safeParse(data.email ?? '');
  const email = parsedEmail.success ? parsedEmail.data : null;
  const verified = data.email_verified === true || data.email_verified === 'true';
  const existing = email ? await ctx.db.user.findUnique({ where: { email }, select: { id: true } }) : null;
  if (existing) {
    if (!verified) return { outcome: 'refused', reason: 'email_unverified' };
    await ctx.db.account.create({ data: { ...account, userId: existing.id } });
    return { outcome: 'linked', userId: existing.id };
  }
  const zone = timeZoneSchema.safeParse(data.timeZone ?? '');
  const user = await ctx.db.user.create({
    data: {
      email: verified ? email : null,
      emailVerified: verified && email ? ctx.now() : null,
      name: data.name?.trim().slice(0, 200) || null,
      timeZone: zone.success ? zone.data : 'UTC',
      workingHours: { create: defaultWorkingHours },
      accounts: { create: account },
    },
    select: { id: true },
  });
  return { outcome: 'created', userId: user.id };
}

/** The user a linked Google account signs in to (the session's subject after signInWithGoogle). */
export async function googleAccountUserId(db: DbTx, providerAccountId: string): Promise<string> {
  const linked = await db.account.findUnique({
    where: { provider_providerAccountId: { provider, providerAccountId } },
    select: { userId: true },
  });
  if (!linked) throw notFound('linked Google account');
  return linked.userId;
}

/** Whether the user can sign in with Google (Settings shows "Link Google sign-in" otherwise). */
export async function hasGoogleSignIn(ctx: { db: DbTx; userId: string }): Promise<boolean> {
  return (await ctx.db.account.count({ where: { userId: ctx.userId, provider } })) > 0;
}
