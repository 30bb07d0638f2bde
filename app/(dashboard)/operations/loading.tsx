/** Operations while it loads: the heading, the four stat boxes and the table as grey boxes of the same size. */
export default function OperationsLoading() {
  const bar = 'rounded-md bg-slate-200 motion-safe:animate-pulse dark:bg-slate-800';
  return (
    <div className="space-y-8" aria-busy="true">
      <p role="status" className="sr-only">
        Loading operations…
      </p>
      <div>
        <h1 className="text-2xl font-bold">Operations</h1>
        <div className={`${bar} mt-1 h-6 w-full max-w-xl`} />
      </div>
      <section className="space-y-3" aria-hidden="true">
        <div className={`${bar} h-7 w-24`} />
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {Array.from({ length: 4 }, (_, i) => (
            <div key={i} className={`${bar} h-[5.25rem]`} />
          ))}
        </div>
        <div className={`${bar} h-4 w-full max-w-2xl`} />
      </section>
      <section className="space-y-3" aria-hidden="true">
        <div className={`${bar} h-7 w-32`} />
        <div className={`${bar} h-28`} />
      </section>
    </div>
  );
}
