import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AuthCard } from '@/components/auth-card';
import { googleSignInEnabled } from '@/lib/identity/auth-options';
import { sessionUserId } from '@/lib/identity/session';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

export default async function SignInPage() {
  if (await sessionUserId()) redirect('/today');
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
      <SignInForm google={googleSignInEnabled()} />
    </AuthCard>
  );
}
