'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { buttonClass, Field } from '@/components/field';
import { signInCookieMaxAgeSeconds, signInZoneCookie } from '@/lib/identity/sign-in-cookies';

/** Google sign-in: the browser's zone goes along (a new account is made in it), then off to Google. */
function continueWithGoogle() {
  // IANA names (Europe/Berlin, Etc/GMT+5) are valid cookie values as they are; the server checks the name.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone) document.cookie = `${signInZoneCookie}=${zone}; Path=/; Max-Age=${signInCookieMaxAgeSeconds}; SameSite=Lax`;
  void signIn('google', { callbackUrl: '/today' });
}

/** `notice`: why the last attempt failed, from the page's `?error=` (a refused Google sign-in). */
export function SignInForm({ google, notice = null }: { google: boolean; notice?: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    setPending(false);
    if (result?.ok) {
      router.replace('/today');
      router.refresh();
    } else if (result?.status === 429 || result?.error === 'RateLimited') {
      setError('Too many sign-in attempts. Wait a minute, then try again.');
    } else {
      setError('That email and password do not match an account.');
    }
  }

  return (
    <div className="space-y-4">
      {notice ? (
        <p role="alert" data-testid="sign-in-notice" className="text-sm text-red-700 dark:text-red-400">
          {notice}
        </p>
      ) : null}
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field label="Email" name="email" type="email" autoComplete="email" required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        {error ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
        <button type="submit" className={`${buttonClass} w-full`} disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {google ? (
        <button
          type="button"
          onClick={continueWithGoogle}
          className="w-full rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold dark:border-slate-700"
        >
          Continue with Google
        </button>
      ) : null}
    </div>
  );
}
