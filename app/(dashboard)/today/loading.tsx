import { defaultDayRange, pxPerMinute, timelineBoxHeight } from './timeline-layout';

const bar = 'rounded bg-slate-200 dark:bg-slate-800';

/** The Today layout with placeholders of the same sizes (a default working day), so nothing shifts when it loads. */
export default function TodayLoading() {
  const hours = (defaultDayRange.end - defaultDayRange.start) / 60;
  return (
    <div className="animate-pulse space-y-6" role="status" aria-busy="true">
      <span className="sr-only">Loading today…</span>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="space-y-2">
          <div className={`h-8 w-28 ${bar}`} />
          <div className={`h-5 w-80 max-w-full ${bar}`} />
        </div>
        <div className={`h-8 w-56 ${bar}`} />
      </div>
      <div className="grid gap-8 lg:grid-cols-[minmax(0,1fr)_20rem] lg:grid-rows-[auto_1fr]">
        <div className="min-w-0 space-y-8 lg:col-start-2 lg:row-start-1">
          <div className="space-y-2">
            <div className={`h-7 w-28 ${bar}`} />
            <div className={`h-10 w-full ${bar}`} />
            <div className="h-10" />
          </div>
          <div className="space-y-2">
            <div className={`h-7 w-32 ${bar}`} />
            <div className={`h-9 w-32 ${bar}`} />
          </div>
        </div>
        <div className="min-w-0 space-y-3 lg:col-start-1 lg:row-span-2 lg:row-start-1">
          <div className={`h-7 w-24 ${bar}`} />
          <div className={`${timelineBoxHeight} overflow-hidden pt-2`}>
            <div className="relative" style={{ height: hours * 60 * pxPerMinute }}>
              {Array.from({ length: hours + 1 }, (_, i) => (
                <div key={i} className="absolute inset-x-0 flex items-center gap-2" style={{ top: i * 60 * pxPerMinute }}>
                  <div className={`h-3 w-10 ${bar}`} />
                  <div className="flex-1 border-t border-slate-200 dark:border-slate-800" />
                </div>
              ))}
            </div>
          </div>
        </div>
        <div className="min-w-0 space-y-2 lg:col-start-2 lg:row-start-2">
          <div className={`h-7 w-40 ${bar}`} />
          <div className={`h-16 w-full ${bar}`} />
        </div>
      </div>
    </div>
  );
}
