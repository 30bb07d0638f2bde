/** Tasks while it loads: the same headings and boxes as the page, so nothing shifts when it arrives. */
export default function TasksLoading() {
  const bar = 'rounded-md bg-slate-200 motion-safe:animate-pulse dark:bg-slate-800';
  return (
    <div className="space-y-8" aria-busy="true">
      <p role="status" className="sr-only">
        Loading tasks…
      </p>
      <div>
        <h1 className="text-2xl font-bold">Tasks</h1>
        <div className={`${bar} mt-1 h-5 w-full max-w-xl`} />
      </div>
      <div className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" aria-hidden="true">
        <div className={`${bar} h-7 w-28`} />
        <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_9rem_9rem_10rem]">
          {Array.from({ length: 4 }, (_, field) => (
            <div key={field} className="space-y-1">
              <div className={`${bar} h-5 w-24`} />
              <div className={`${bar} h-9`} />
            </div>
          ))}
        </div>
        <div className={`${bar} h-20`} />
        <div className={`${bar} h-9 w-24`} />
      </div>
      <div className="space-y-4" aria-hidden="true">
        <div className={`${bar} h-7 w-32`} />
        <div className={`${bar} h-14 max-w-3xl`} />
        <div className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {Array.from({ length: 5 }, (_, row) => (
            <div key={row} className="flex items-start gap-3 p-3">
              <div className={`${bar} h-5 w-5`} />
              <div className="flex-1 space-y-2">
                <div className={`${bar} h-5 w-2/3`} />
                <div className={`${bar} h-4 w-1/2`} />
              </div>
              <div className={`${bar} h-8 w-20`} />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
