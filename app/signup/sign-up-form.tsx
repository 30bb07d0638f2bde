'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useActionState, useEffect, useRef, useState } from 'react';
import { buttonClass, Field } from '@/components/field';
import { type SignUpState, signUpAction } from './actions';

const initial: SignUpState = { ok: false, errors: {}, values: { email: '', name: '', timeZone: '' } };

export function SignUpForm() {
  const router = useRouter();
  const [state, action, pending] = useActionState(signUpAction, initial);
  const [timeZone, setTimeZone] = useState('UTC');
  // React resets the form once the action finishes, so the password for the automatic sign-in is
  // taken at submit time; it never leaves this component except to next-auth.
  const submittedPassword = useRef('');
  const [signInError, setSignInError] = useState<string | null>(null);

  // The default time zone is the browser's (SPEC §1).
  useEffect(() => {
    if (!state.values.timeZone) setTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  }, [state.values.timeZone]);

  // Account created: sign straight in with what was typed.
  useEffect(() => {
    if (!state.ok) return;
    void signIn('credentials', { email: state.values.email, password: submittedPassword.current, redirect: false }).then((result) => {
      if (result?.ok) {
        router.replace('/today');
        router.refresh();
      } else {
        setSignInError('Your account was created, but signing in failed. Try signing in.');
      }
    });
  }, [state, router]);

  return (
    <form
      action={action}
      onSubmit={(event) => {
        submittedPassword.current = (event.currentTarget.elements.namedItem('password') as HTMLInputElement).value;
      }}
      className="space-y-4"
      noValidate
    >
      <Field label="Name" name="name" autoComplete="name" defaultValue={state.values.name} error={state.errors.name} />
      <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.values.email} error={state.errors.email} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters."
        error={state.errors.password}
      />
      <Field
        label="Time zone"
        name="timeZone"
        key={state.values.timeZone || timeZone}
        defaultValue={state.values.timeZone || timeZone}
        hint="An IANA name such as Europe/Berlin. Defaults to your browser's."
        error={state.errors.timeZone}
      />
      {signInError ? (
        <p role="alert" className="text-sm text-red-700">
          {signInError}
        </p>
      ) : null}
      <button type="submit" className={`${buttonClass} w-full`} disabled={pending || state.ok}>
        {pending || state.ok ? 'Creating account…' : 'Create account'}
      </button>
    </form>
  );
}
