import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { googleRefusals, googleSignInEnabled } from '@/lib/identity/auth-options';
import { sessionUserId } from '@/lib/identity/session';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

/** What next-auth's `/signin?error=…` means, in words (Google refusals: lib/identity/auth-options.ts). */
const errorMessages: Record<string, string> = {
  [googleRefusals.email_unverified]:
    'Google has not verified that email address, so it was not connected to the Orbita account that uses it. Sign in with your email and password, then connect Google from Settings (“Link Google sign-in”).',
  OAuthSignin: 'Signing in with Google could not start. Try again.',
  OAuthCallback: 'Signing in with Google did not finish. Try again.',
  Callback: 'Signing in with Google did not finish. Try again.',
  AccessDenied: 'Signing in was cancelled.',
};
const otherError = 'Signing in did not work. Try again.';

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await sessionUserId()) redirect('/today');
  const { error } = await searchParams;
  const notice = typeof error === 'string' && error ? (errorMessages[error] ?? otherError) : null;
  return (
    <AuthCard
      title="Sign in"
      footer={
        <>
          New to Orbita?{' '}
          <Link href="/signup" className="font-medium text-indigo-700 underline dark:text-indigo-400">
            Create an account
          </Link>
        </>
      }
    >
      <SignInForm google={googleSignInEnabled()} notice={notice} />
    </AuthCard>
  );
}
