import { PageSkeleton, skeletonBar } from '@/components/skeleton';

/** Operations while it loads: the heading, the four stat boxes and the table as grey boxes of the same size. */
export default function OperationsLoading() {
  return (
    <PageSkeleton title="Operations" status="Loading operations…" intro="h-6 w-full max-w-xl">
      <section className="space-y-3" aria-hidden="true">
        <div className={`${skeletonBar} h-7 w-24`} />
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {Array.from({ length: 4 }, (_, i) => (
            <div key={i} className={`${skeletonBar} h-[5.25rem]`} />
          ))}
        </div>
        <div className={`${skeletonBar} h-4 w-full max-w-2xl`} />
      </section>
      <section className="space-y-3" aria-hidden="true">
        <div className={`${skeletonBar} h-7 w-32`} />
        <div className={`${skeletonBar} h-28`} />
      </section>
    </PageSkeleton>
  );
}
