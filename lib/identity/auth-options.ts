import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import GoogleProvider from 'next-auth/providers/google';
import { config } from '../config';
import { db } from '../db/client';
import { logger } from '../logger';
import { emailSchema } from './schemas';
import { defaultWorkingHours, verifyCredentials } from './users';

/** Finds or creates the Orbita user behind a Google sign-in and links the account. */
async function userForGoogleAccount(providerAccountId: string, email: string | null | undefined, name: string | null | undefined) {
  const client = db();
  const linked = await client.account.findUnique({
    where: { provider_providerAccountId: { provider: 'google', providerAccountId } },
    select: { userId: true },
  });
  if (linked) return linked.userId;
  const normalizedEmail = email ? email.trim().toLowerCase() : null;
  const existing = normalizedEmail ? await client.user.findUnique({ where: { email: normalizedEmail }, select: { id: true } }) : null;
  const user =
    existing ??
    (await client.user.create({
      data: {
        email: normalizedEmail,
        name: name ?? null,
        workingHours: { create: defaultWorkingHours },
      },
      select: { id: true },
    }));
  await client.account.create({ data: { userId: user.id, type: 'oauth', provider: 'google', providerAccountId } });
  return user.id;
}

function providers(): NextAuthOptions['providers'] {
  const list: NextAuthOptions['providers'] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'Email and password',
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials) {
        const email = emailSchema.safeParse(credentials?.email ?? '');
        if (!email.success || !credentials?.password) return null;
        const user = await verifyCredentials(db(), email.data, credentials.password);
        return user ? { id: user.id, email: user.email, name: user.name } : null;
      },
    }),
  ];
  const c = config();
  if (c.OAUTH_PROVIDER === 'google' && c.OAUTH_CLIENT_ID && c.OAUTH_CLIENT_SECRET) {
    list.push(
      GoogleProvider({
        clientId: c.OAUTH_CLIENT_ID,
        clientSecret: c.OAUTH_CLIENT_SECRET,
        ...(c.OAUTH_AUTH_URL ? { authorization: { url: c.OAUTH_AUTH_URL, params: { scope: 'openid email profile' } } } : {}),
        ...(c.OAUTH_TOKEN_URL ? { token: c.OAUTH_TOKEN_URL } : {}),
      }),
    );
  }
  return list;
}

/** True when the sign-in page should offer "Continue with Google". */
export const googleSignInEnabled = () => {
  const c = config();
  return c.OAUTH_PROVIDER === 'google' && Boolean(c.OAUTH_CLIENT_ID && c.OAUTH_CLIENT_SECRET);
};

let cached: NextAuthOptions | undefined;

/** next-auth configuration: JWT sessions (stateless replicas), email+password, Google when configured. */
export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: 30 * 24 * 3600 },
    pages: { signIn: '/signin' },
    providers: providers(),
    logger: {
      error: (code, metadata) => logger.error({ code, metadata }, 'auth error'),
      warn: (code) => logger.warn({ code }, 'auth warning'),
      debug: () => {},
    },
    callbacks: {
      async jwt({ token, user, account }) {
        if (account?.provider === 'google') {
          token.sub = await userForGoogleAccount(account.providerAccountId, user?.email, user?.name);
        } else if (user) {
          token.sub = user.id;
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user && token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
  return cached;
}
