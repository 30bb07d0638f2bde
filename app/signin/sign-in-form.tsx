'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { buttonClass, Field } from '@/components/field';

export function SignInForm({ google }: { google: boolean }) {
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
          onClick={() => signIn('google', { callbackUrl: '/today' })}
          className="w-full rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold dark:border-slate-700"
        >
          Continue with Google
        </button>
      ) : null}
    </div>
  );
}
