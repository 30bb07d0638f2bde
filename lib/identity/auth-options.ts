import { getServerSession, type NextAuthOptions, type Profile } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import GoogleProvider from 'next-auth/providers/google';
import { cookies } from 'next/headers';
import { config } from '../config';
import { systemClock } from '../context';
import { db } from '../db/client';
import { logger } from '../logger';
import { openGoogleLinkIntent } from './google-link';
import { googleAccountUserId, signInWithGoogle } from './google-sign-in';
import { emailSchema } from './schemas';
import { googleLinkCookie, signInZoneCookie } from './sign-in-cookies';
import { verifyCredentials } from './users';

/** The `?error=` the sign-in page explains, and Settings' `?google=`, for each refusal. */
export const googleRefusals = {
  email_unverified: 'GoogleEmailUnverified',
  account_in_use: 'GoogleAccountInUse',
} as const;

/** The cookies of the request next-auth is answering (none outside a Next.js request). */
async function requestCookies() {
  try {
    return await cookies();
  } catch {
    return null;
  }
}

/**
 * next-auth's signIn callback for Google: links, creates or refuses (lib/identity/google-sign-in.ts)
 * and answers true, or where to send a refused browser. "Link Google sign-in" counts only when its
 * sealed intent names the user whose session cookie came along.
 */
async function googleSignIn(providerAccountId: string, profile: Profile | undefined): Promise<true | string> {
  const jar = await requestCookies();
  let linkToUserId = await openGoogleLinkIntent(jar?.get(googleLinkCookie)?.value, authOptions().secret);
  if (linkToUserId) {
    const session = await getServerSession(authOptions()).catch(() => null);
    if (session?.user?.id !== linkToUserId) linkToUserId = null;
    try {
      jar?.delete(googleLinkCookie); // used once
    } catch {
      // read-only outside a route handler; it expires by itself
    }
  }
  const claims = (profile ?? {}) as Profile & { email_verified?: unknown };
  const verified = claims.email_verified;
  let result: Awaited<ReturnType<typeof signInWithGoogle>>;
  try {
    result = await signInWithGoogle(
      { db: db(), now: systemClock },
      {
        sub: providerAccountId,
        email: typeof claims.email === 'string' ? claims.email : null,
        email_verified: typeof verified === 'boolean' || typeof verified === 'string' ? verified : null,
        name: typeof claims.name === 'string' ? claims.name : null,
        linkToUserId,
        timeZone: jar?.get(signInZoneCookie)?.value,
      },
    );
  } catch (error) {
    // The database went away mid-sign-in, or a claim no schema accepts: back to the sign-in page
    // with "did not finish, try again" (a throw here would end on next-auth's own error page).
    logger.error({ err: error }, 'google sign-in failed');
    return '/signin?error=Callback';
  }
  if (result.outcome === 'refused') {
    logger.warn({ reason: result.reason, linking: Boolean(linkToUserId) }, 'google sign-in refused');
    return linkToUserId ? `/settings?google=${result.reason}` : `/signin?error=${googleRefusals[result.reason]}`;
  }
  logger.info({ outcome: result.outcome, user_id: result.userId }, 'google sign-in');
  return true;
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
        // Google's endpoints named outright instead of discovered (no fetch of Google's
        // openid-configuration, which also lets the tests point every one at the loopback fake).
        // The ID token is verified against Google's keys: its email_verified claim decides linking.
        wellKnown: undefined,
        issuer: 'https://accounts.google.com',
        authorization: { url: c.OAUTH_AUTH_URL ?? 'https://accounts.google.com/o/oauth2/v2/auth', params: { scope: 'openid email profile' } },
        token: c.OAUTH_TOKEN_URL ?? 'https://oauth2.googleapis.com/token',
        userinfo: new URL('oauth2/v3/userinfo', c.GOOGLE_API_BASE_URL).toString(),
        jwks_endpoint: new URL('oauth2/v3/certs', c.GOOGLE_API_BASE_URL).toString(),
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
      async signIn({ account, profile }) {
        return account?.provider === 'google' ? googleSignIn(account.providerAccountId, profile) : true;
      },
      async jwt({ token, user, account }) {
        if (account?.provider === 'google') {
          token.sub = await googleAccountUserId(db(), account.providerAccountId);
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
