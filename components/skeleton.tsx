import type { ReactNode } from 'react';

/** A grey placeholder box; size it with the element it stands in for. */
export const skeletonBar = 'rounded-md bg-slate-200 motion-safe:animate-pulse dark:bg-slate-800';

/**
 * A dashboard page while it loads: its real heading, a status for screen readers, a bar where the
 * intro text goes (`intro` sizes it) and the page's own placeholders, so nothing shifts on arrival.
 */
export function PageSkeleton({ title, status, intro, children }: { title: string; status: string; intro: string; children: ReactNode }) {
  return (
    <div className="space-y-8" aria-busy="true">
      <p role="status" className="sr-only">
        {status}
      </p>
      <div>
        <h1 className="text-2xl font-bold">{title}</h1>
        <div className={`${skeletonBar} mt-1 ${intro}`} />
      </div>
      {children}
    </div>
  );
}
