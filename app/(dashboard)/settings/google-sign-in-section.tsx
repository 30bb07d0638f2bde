'use client';

import { signIn } from 'next-auth/react';
import { useEffect, useState } from 'react';
import { buttonClass } from '@/components/field';
import { startGoogleLinkAction } from './google-sign-in-actions';
import type { GoogleSignInFlash } from './google-sign-in-flash';

/** Settings → "Google sign-in": link a Google account to this (password) account. */
export function GoogleSignInSection({ linked, flash }: { linked: boolean; flash: GoogleSignInFlash }) {
  const [status, setStatus] = useState<GoogleSignInFlash>(flash);
  const [pending, setPending] = useState(false);

  // The round trip's ?google=… is in the status line now: drop it so a reload does not repeat it.
  useEffect(() => {
    const url = new URL(window.location.href);
    if (url.searchParams.has('google')) {
      url.searchParams.delete('google');
      window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
    }
  }, []);

  async function link() {
    setPending(true);
    setStatus(null);
    const started = await startGoogleLinkAction();
    if (!started.ok) {
      setPending(false);
      setStatus({ tone: 'error', text: started.message });
      return;
    }
    await signIn('google', { callbackUrl: '/settings?google=linked' });
  }

  return (
    <section aria-labelledby="google-sign-in-heading" className="space-y-3">
      <div>
        <h2 id="google-sign-in-heading" className="text-lg font-semibold">
          Google sign-in
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {linked
            ? 'A Google account is linked: you can sign in with Google as well.'
            : 'Link a Google account to sign in with it as well. Any Google account you choose is linked to this Orbita account, whatever its email address.'}
        </p>
      </div>
      {linked ? null : (
        <button type="button" className={buttonClass} onClick={link} disabled={pending} aria-busy={pending || undefined}>
          {pending ? 'Opening Google…' : 'Link Google sign-in'}
        </button>
      )}
      {status ? (
        <p role={status.tone === 'error' ? 'alert' : 'status'} className={`text-sm ${status.tone === 'error' ? 'text-red-700 dark:text-red-400' : 'text-emerald-800 dark:text-emerald-300'}`}>
          {status.text}
        </p>
      ) : null}
    </section>
  );
}
