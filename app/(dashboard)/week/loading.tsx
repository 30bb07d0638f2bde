import { skeletonBar } from '@/components/skeleton';
import { defaultRange, pxPerMinute } from './grid';

/** Week while it loads: the heading, links and a grid of the usual size (08:00–18:00), so nothing shifts. */
export default function WeekLoading() {
  const height = (defaultRange.end - defaultRange.start) * pxPerMinute;
  return (
    <section className="space-y-4" aria-busy="true">
      <p role="status" className="sr-only">
        Loading the week…
      </p>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">
            Week
            <span className={`${skeletonBar} my-0.5 block h-6 w-52`} aria-hidden="true" />
          </h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Drag a block to move it. With the keyboard: focus a block, press Enter, use the arrow keys (↑↓ 15 minutes, ←→ one day), Enter to drop, Escape to cancel.
          </p>
        </div>
        <div className="flex flex-wrap gap-2" aria-hidden="true">
          <div className={`${skeletonBar} h-9 w-32`} />
          <div className={`${skeletonBar} h-9 w-24`} />
          <div className={`${skeletonBar} h-9 w-28`} />
        </div>
      </div>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" aria-hidden="true">
        <div className="min-w-[48rem]">
          <div className="grid h-12 grid-cols-[3.5rem_repeat(7,minmax(0,1fr))] items-center gap-2 border-b border-slate-200 px-2 dark:border-slate-800">
            <div />
            {Array.from({ length: 7 }, (_, day) => (
              <div key={day} className={`${skeletonBar} mx-auto h-4 w-14`} />
            ))}
          </div>
          <div className="grid grid-cols-[3.5rem_repeat(7,minmax(0,1fr))]" style={{ height }}>
            <div />
            {Array.from({ length: 7 }, (_, day) => (
              <div key={day} className="border-l border-slate-200 p-1 dark:border-slate-800">
                <div className={`${skeletonBar} h-16`} style={{ marginTop: 60 + ((day * 45) % 180) }} />
              </div>
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}
