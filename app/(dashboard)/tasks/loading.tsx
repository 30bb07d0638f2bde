import { PageSkeleton, skeletonBar } from '@/components/skeleton';

/** Tasks while it loads: the same headings and boxes as the page, so nothing shifts when it arrives. */
export default function TasksLoading() {
  return (
    <PageSkeleton title="Tasks" status="Loading tasks…" intro="h-5 w-full max-w-xl">
      <div className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" aria-hidden="true">
        <div className={`${skeletonBar} h-7 w-28`} />
        <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_9rem_9rem_10rem]">
          {Array.from({ length: 4 }, (_, field) => (
            <div key={field} className="space-y-1">
              <div className={`${skeletonBar} h-5 w-24`} />
              <div className={`${skeletonBar} h-9`} />
            </div>
          ))}
        </div>
        <div className={`${skeletonBar} h-20`} />
        <div className={`${skeletonBar} h-9 w-24`} />
      </div>
      <div className="space-y-4" aria-hidden="true">
        <div className={`${skeletonBar} h-7 w-32`} />
        <div className={`${skeletonBar} h-14 max-w-3xl`} />
        <div className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {Array.from({ length: 5 }, (_, row) => (
            <div key={row} className="flex items-start gap-3 p-3">
              <div className={`${skeletonBar} h-5 w-5`} />
              <div className="flex-1 space-y-2">
                <div className={`${skeletonBar} h-5 w-2/3`} />
                <div className={`${skeletonBar} h-4 w-1/2`} />
              </div>
              <div className={`${skeletonBar} h-8 w-20`} />
            </div>
          ))}
        </div>
      </div>
    </PageSkeleton>
  );
}
