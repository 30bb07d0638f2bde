import { skeletonBar } from '@/components/skeleton';

/** Settings while it loads: the same headings and boxes as the page, so nothing shifts when it arrives. */
export default function SettingsLoading() {
  return (
    <div className="space-y-10" aria-busy="true">
      <p role="status" className="sr-only">
        Loading settings…
      </p>
      <h1 className="text-2xl font-bold">Settings</h1>
      <section className="space-y-4" aria-hidden="true">
        <div className="space-y-2">
          <div className={`${skeletonBar} h-7 w-24`} />
          <div className={`${skeletonBar} h-10 w-full max-w-2xl`} />
        </div>
        <div className="max-w-md space-y-1">
          <div className={`${skeletonBar} h-5 w-20`} />
          <div className={`${skeletonBar} h-10`} />
        </div>
        <div className="space-y-2">
          <div className={`${skeletonBar} h-5 w-28`} />
          {Array.from({ length: 7 }, (_, day) => (
            <div key={day} className={`${skeletonBar} h-[4.5rem] max-w-md sm:h-9`} />
          ))}
        </div>
        <div className={`${skeletonBar} h-16 max-w-xs`} />
        <div className={`${skeletonBar} h-9 w-28`} />
      </section>
      {['Personal access tokens', 'Calendar feed (ICS)', 'Google Calendar'].map((title) => (
        <section key={title} className="space-y-3" aria-hidden="true">
          <div className={`${skeletonBar} h-7 w-56`} />
          <div className={`${skeletonBar} h-32`} />
        </section>
      ))}
    </div>
  );
}
