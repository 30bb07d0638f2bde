'use client';

import { useActionState, useState } from 'react';
import { buttonClass } from '@/components/field';
import { type IcsFeedState, icsFeedAction } from './ics-actions';

const secondaryButton =
  'inline-flex items-center justify-center rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800';
const dangerButton =
  'inline-flex items-center justify-center rounded-md border border-red-300 px-3 py-2 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-60 dark:border-red-800 dark:text-red-400';

/** Settings → "Calendar feed (ICS)": create, show, rotate or turn off the secret subscription URL. */
export function IcsSection({ url }: { url: string | null }) {
  const [state, action, pending] = useActionState<IcsFeedState, FormData>(icsFeedAction, { url, error: null });
  const [copied, setCopied] = useState(false);

  return (
    <section aria-labelledby="ics-heading" className="space-y-4">
      <div>
        <h2 id="ics-heading" className="text-lg font-semibold">
          Calendar feed (ICS)
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Subscribe to your Orbita schedule from Google Calendar (Other calendars → From URL) or Apple Calendar (File → New Calendar
          Subscription). The feed covers the last 7 and the next 60 days.
        </p>
      </div>

      <form action={action} className="space-y-3">
        {state.url ? (
          <>
            <div className="space-y-1">
              <label htmlFor="ics-feed-url" className="block text-sm font-medium">
                Feed URL
              </label>
              <div className="flex gap-2">
                <input
                  id="ics-feed-url"
                  data-testid="ics-feed-url"
                  readOnly
                  value={state.url}
                  aria-describedby="ics-feed-url-hint"
                  onFocus={(event) => event.currentTarget.select()}
                  className="block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm dark:border-slate-700 dark:bg-slate-900"
                />
                <button
                  type="button"
                  className={secondaryButton}
                  onClick={() => {
                    void navigator.clipboard?.writeText(state.url ?? '').then(() => setCopied(true), () => setCopied(false));
                  }}
                >
                  {copied ? 'Copied' : 'Copy'}
                </button>
              </div>
              <p id="ics-feed-url-hint" className="text-xs text-slate-600 dark:text-slate-400">
                Copy this URL into your calendar app. Anyone with it can read your schedule: rotate it if it leaks.
              </p>
            </div>
            <div className="flex gap-3">
              <button type="submit" name="intent" value="rotate" className={secondaryButton} disabled={pending} onClick={() => setCopied(false)}>
                Rotate URL
              </button>
              <button type="submit" name="intent" value="off" className={dangerButton} disabled={pending}>
                Turn off
              </button>
            </div>
          </>
        ) : (
          <div className="space-y-2">
            <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="ics-feed-off">
              The feed is off.
            </p>
            <button type="submit" name="intent" value="create" className={buttonClass} disabled={pending}>
              Create feed URL
            </button>
          </div>
        )}
        <div aria-live="polite" className="text-sm">
          {pending ? <span className="text-slate-600 dark:text-slate-400">Saving…</span> : null}
        </div>
        {state.error ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {state.error}
          </p>
        ) : null}
      </form>
    </section>
  );
}
