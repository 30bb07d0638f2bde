import { PageSkeleton, skeletonBar } from '@/components/skeleton';

/** Habits while it loads: the page's heading, form and cards as grey boxes of the same size, so nothing shifts. */
export default function HabitsLoading() {
  return (
    <PageSkeleton title="Habits" status="Loading habits…" intro="h-6 w-full max-w-lg">
      <div className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800" aria-hidden="true">
        <div className={`${skeletonBar} h-7 w-28`} />
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {Array.from({ length: 5 }, (_, i) => (
            <div key={i} className={`${skeletonBar} h-[3.75rem] ${i === 4 ? 'sm:col-span-2 lg:col-span-3' : ''}`} />
          ))}
        </div>
        <div className={`${skeletonBar} h-9 w-32`} />
      </div>
      <div className="space-y-3" aria-hidden="true">
        <div className={`${skeletonBar} h-7 w-32`} />
        {Array.from({ length: 3 }, (_, i) => (
          <div key={i} className={`${skeletonBar} h-[13rem] sm:h-[9.5rem]`} />
        ))}
      </div>
    </PageSkeleton>
  );
}
