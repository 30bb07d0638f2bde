import { PageSkeleton, skeletonBar } from '@/components/skeleton';

/** Meetings while it loads: the same headings and boxes as the page, so nothing shifts when it arrives. */
export default function MeetingsLoading() {
  return (
    <PageSkeleton title="Meetings" status="Loading meetings…" intro="h-5 w-full max-w-md">
      <div className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" aria-hidden="true">
        <div className={`${skeletonBar} h-7 w-24`} />
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,1fr)_12rem_9rem_9rem_8rem]">
          {Array.from({ length: 4 }, (_, field) => (
            <div key={field} className="space-y-1">
              <div className={`${skeletonBar} h-5 w-28`} />
              <div className={`${skeletonBar} h-9`} />
            </div>
          ))}
        </div>
        <div className={`${skeletonBar} h-9 w-24`} />
      </div>
      <div className="space-y-4" aria-hidden="true">
        <div className="flex justify-between">
          <div className={`${skeletonBar} h-7 w-24`} />
          <div className={`${skeletonBar} h-5 w-28`} />
        </div>
        <div className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {Array.from({ length: 3 }, (_, row) => (
            <div key={row} className="flex flex-wrap items-start justify-between gap-3 p-4">
              <div className="flex-1 space-y-2">
                <div className={`${skeletonBar} h-5 w-40`} />
                <div className={`${skeletonBar} h-5 w-56`} />
                <div className={`${skeletonBar} h-11 w-64`} />
              </div>
              <div className={`${skeletonBar} h-8 w-56`} />
            </div>
          ))}
        </div>
      </div>
    </PageSkeleton>
  );
}
