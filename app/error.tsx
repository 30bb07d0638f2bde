'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useTransition } from 'react';
import { buttonClass } from '@/components/field';

/**
 * What any page shows when it could not be rendered — most often while the database restarts
 * (API calls and actions answer 503 then; a page has nothing to show). Nothing the user saved is
 * affected, and "Try again" renders the page anew from the server.
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const retry = () =>
    startTransition(() => {
      router.refresh(); // server components are rendered again, not only the client part
      reset();
    });

  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-4 p-6">
      <h1 ref={heading} tabIndex={-1} className="text-2xl font-semibold outline-none">
        This page could not be loaded
      </h1>
      <p className="text-slate-700 dark:text-slate-300" role="alert">
        Orbita could not reach its server or database just now — it may be restarting. Nothing you saved is lost. Try again in a few seconds.
      </p>
      {error.digest ? <p className="text-sm text-slate-600 dark:text-slate-400">Reference for support: {error.digest}</p> : null}
      <div>
        <button type="button" className={buttonClass} onClick={retry} disabled={pending}>
          {pending ? 'Trying…' : 'Try again'}
        </button>
      </div>
    </main>
  );
}
