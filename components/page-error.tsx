'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useTransition } from 'react';
import { buttonClass } from '@/components/field';

/**
 * What a page shows when it could not be rendered — most often while the database restarts (API
 * calls and actions answer 503 then; a page has nothing to show). Nothing the user saved is
 * affected, and "Try again" renders the page anew from the server. Inside the dashboard the
 * navigation stays around it (app/(dashboard)/error.tsx); when the dashboard itself could not be
 * rendered (app/error.tsx) it offers the ways out itself.
 */
export function PageError({ error, reset, standalone }: { error: Error & { digest?: string }; reset: () => void; standalone: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const retry = () =>
    startTransition(() => {
      router.refresh(); // server components are rendered again, not only the client part
      reset();
    });

  const content = (
    <>
      <h1 ref={heading} tabIndex={-1} className="text-2xl font-semibold outline-none">
        This page could not be loaded
      </h1>
      <p className="text-slate-700 dark:text-slate-300" role="alert">
        Orbita could not reach its server or database just now — it may be restarting. Nothing you saved is lost. Try again in a few seconds.
      </p>
      {error.digest ? <p className="text-sm text-slate-600 dark:text-slate-400">Reference for support: {error.digest}</p> : null}
      <div className="flex flex-wrap items-center gap-4">
        <button type="button" className={buttonClass} onClick={retry} disabled={pending}>
          {pending ? 'Trying…' : 'Try again'}
        </button>
        {standalone ? (
          <nav aria-label="Ways out" className="flex gap-4 text-sm">
            <Link href="/today" className="text-indigo-700 underline dark:text-indigo-300">
              Today
            </Link>
            <Link href="/signin" className="text-indigo-700 underline dark:text-indigo-300">
              Sign in
            </Link>
          </nav>
        ) : null}
      </div>
    </>
  );
  return standalone ? (
    <main id="main" className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-4 p-6">
      {content}
    </main>
  ) : (
    <section className="max-w-lg space-y-4 py-8">{content}</section>
  );
}
