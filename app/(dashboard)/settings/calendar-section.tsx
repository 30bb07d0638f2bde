'use client';

import { type RefObject, useEffect, useId, useRef, useState, useTransition } from 'react';
import { buttonClass } from '@/components/field';
import {
  type CalendarActionResult,
  type CalendarSectionData,
  disconnectAction,
  saveCalendarAction,
  saveDeleteMissingAction,
  type SyncCounts,
  syncNowAction,
} from './calendar-actions';

const secondaryButton =
  'inline-flex items-center justify-center rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800';
const dangerButton =
  'inline-flex items-center justify-center rounded-md border border-red-300 px-3 py-2 text-sm font-medium text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:opacity-60 dark:border-red-800 dark:text-red-400';
const selectClass =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-600 focus:ring-1 focus:ring-indigo-600 dark:border-slate-700 dark:bg-slate-900';

/** Where "Connect" and "Reconnect" post to: the route creates the consent URL and redirects there. */
const startUrl = '/api/calendar/oauth/start';

type Busy = null | 'calendar' | 'deleteMissing' | 'sync' | 'disconnect';
type Status = { tone: 'success' | 'error' | 'info'; text: string } | null;

const statusTone: Record<'success' | 'error' | 'info', string> = {
  success: 'text-emerald-800 dark:text-emerald-300',
  error: 'text-red-700 dark:text-red-400',
  info: 'text-slate-600 dark:text-slate-400',
};

/** "created N · updated N · deleted N · unchanged N · failed N", the CLI's sync summary. */
const syncSummary = (c: Pick<SyncCounts, 'created' | 'updated' | 'deleted' | 'unchanged' | 'failed'>) =>
  `created ${c.created} · updated ${c.updated} · deleted ${c.deleted} · unchanged ${c.unchanged} · failed ${c.failed}`;

function ConnectForm({ label, primary = true }: { label: string; primary?: boolean }) {
  const [submitting, setSubmitting] = useState(false);
  return (
    // A plain form post (works without JavaScript): the route answers 303 → Google's consent page.
    <form method="post" action={startUrl} onSubmit={() => setSubmitting(true)}>
      <button type="submit" className={primary ? buttonClass : secondaryButton} disabled={submitting} aria-busy={submitting || undefined}>
        {label}
      </button>
    </form>
  );
}

/** Settings → "Google Calendar": connect, pick the calendar, delete-missing, sync now, disconnect. */
export function CalendarSection({ data }: { data: CalendarSectionData }) {
  const [status, setStatus] = useState<Status>(data.flash);
  const [counts, setCounts] = useState<SyncCounts | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [, startTransition] = useTransition();
  const [calendar, setCalendar] = useState(data.calendarId ?? '');
  const [deleteMissing, setDeleteMissing] = useState(data.deleteMissing);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const disconnectRef = useRef<HTMLButtonElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const ids = useId();

  // The callback's ?calendar=… has been read into the status line: drop it from the address bar so a
  // reload or a bookmark does not repeat it.
  useEffect(() => {
    const url = new URL(window.location.href);
    if (url.searchParams.has('calendar') || url.searchParams.has('calendar_error')) {
      url.searchParams.delete('calendar');
      url.searchParams.delete('calendar_error');
      window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
    }
  }, []);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  function run<T extends CalendarActionResult>(kind: Exclude<Busy, null>, pendingText: string, action: () => Promise<T>, after?: (result: T) => void) {
    setBusy(kind);
    setStatus({ tone: 'info', text: pendingText });
    startTransition(async () => {
      try {
        const result = await action();
        setStatus({ tone: result.ok ? 'success' : 'error', text: result.message });
        after?.(result);
      } catch {
        setStatus({ tone: 'error', text: 'The request did not reach the server. Check your connection and try again.' });
      } finally {
        setBusy(null);
      }
    });
  }

  // After a disconnect its buttons are gone: keep keyboard focus in the section instead of losing it to the page.
  const afterDisconnect = () => {
    setCounts(null);
    headingRef.current?.focus();
  };

  const connection = data.connection;
  const statusRegion = (
    <div role="status" aria-live="polite" data-testid="calendar-status" className="space-y-1 text-sm">
      {status ? <p className={statusTone[status.tone]}>{status.text}</p> : null}
      {counts ? (
        <p data-testid="calendar-sync-counts" className="font-medium">
          {syncSummary(counts)}
        </p>
      ) : null}
    </div>
  );

  const disconnectControls = (
    <DisconnectControls
      busy={busy}
      confirming={confirming}
      setConfirming={setConfirming}
      confirmRef={confirmRef}
      disconnectRef={disconnectRef}
      onConfirm={() => run('disconnect', 'Disconnecting…', disconnectAction, afterDisconnect)}
    />
  );

  return (
    <section id="google-calendar" aria-labelledby={`${ids}-heading`} className="scroll-mt-8 space-y-4">
      <div>
        <h2 id={`${ids}-heading`} ref={headingRef} tabIndex={-1} className="text-lg font-semibold focus:outline-none">
          Google Calendar
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Orbita writes your blocks as events to the Google calendar you pick, updates them when they change, and never touches events it
          did not create.
        </p>
      </div>

      {statusRegion}

      {!data.configured ? (
        <div
          data-testid="calendar-not-configured"
          className="space-y-2 rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm dark:border-slate-800 dark:bg-slate-900"
        >
          <p className="font-medium">Google Calendar is not set up on this server.</p>
          <p id={`${ids}-setup`} className="text-slate-600 dark:text-slate-400">
            An administrator needs to set {data.missing.length === 1 ? 'this environment variable' : 'these environment variables'} and restart
            Orbita:
          </p>
          <ul className="list-inside list-disc font-mono text-xs">
            {data.missing.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
          <p className="text-slate-600 dark:text-slate-400">
            OAUTH_REDIRECT_URL must be this site’s <code>/api/calendar/oauth/callback</code>; generate ORBITA_ENCRYPTION_KEY with{' '}
            <code>openssl rand -base64 32</code>.
          </p>
          <button type="button" className={buttonClass} disabled aria-describedby={`${ids}-setup`}>
            Connect Google Calendar
          </button>
        </div>
      ) : !connection ? (
        <div className="space-y-2">
          <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="calendar-not-connected">
            Not connected. You will be sent to Google to allow Orbita to manage your calendar events.
          </p>
          <ConnectForm label="Connect Google Calendar" />
        </div>
      ) : connection.status === 'needs_reconnect' ? (
        <div className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-800 dark:bg-amber-950">
          <p className="font-medium" data-testid="calendar-needs-reconnect">
            Google Calendar needs to be reconnected{connection.accountEmail ? ` (${connection.accountEmail})` : ''}: Google no longer accepts the
            stored sign-in, so syncing is paused.
          </p>
          <div className="flex flex-wrap gap-3">
            <ConnectForm label="Reconnect Google Calendar" />
            {disconnectControls}
          </div>
        </div>
      ) : (
        <div className="space-y-6">
          <dl className="grid grid-cols-[10rem_1fr] gap-y-1 text-sm" data-testid="calendar-connection">
            <dt className="text-slate-600 dark:text-slate-400">Status</dt>
            <dd>
              <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">
                Connected
              </span>
            </dd>
            <dt className="text-slate-600 dark:text-slate-400">Account</dt>
            <dd data-testid="calendar-account">{connection.accountEmail ?? 'unknown account'}</dd>
            <dt className="text-slate-600 dark:text-slate-400">Syncing to</dt>
            <dd data-testid="calendar-effective">
              {data.effectiveCalendarId}
              <span className="ml-1 text-slate-600 dark:text-slate-400">
                ({data.calendarSource === 'setting' ? 'your choice' : data.calendarSource === 'config' ? 'server default CALENDAR_ID' : 'default'})
              </span>
            </dd>
          </dl>

          <form
            className="flex flex-wrap items-end gap-3"
            onSubmit={(event) => {
              event.preventDefault();
              run('calendar', 'Saving the calendar…', () => saveCalendarAction(calendar || null));
            }}
          >
            <div className="w-80 max-w-full space-y-1">
              <label htmlFor={`${ids}-calendar`} className="block text-sm font-medium">
                Calendar for synced blocks
              </label>
              <select
                id={`${ids}-calendar`}
                name="calendar"
                value={calendar}
                onChange={(event) => setCalendar(event.currentTarget.value)}
                aria-describedby={`${ids}-calendar-hint`}
                className={selectClass}
              >
                <option value="">Default ({data.defaultCalendarId})</option>
                {(data.calendars ?? [])
                  .filter((cal) => cal.writable || cal.id === data.calendarId)
                  .map((cal) => (
                    <option key={cal.id} value={cal.id}>
                      {cal.summary}
                      {cal.primary ? ' (primary)' : ''}
                    </option>
                  ))}
                {data.calendarId && !(data.calendars ?? []).some((cal) => cal.id === data.calendarId) ? (
                  <option value={data.calendarId}>{data.calendarId}</option>
                ) : null}
              </select>
              <p id={`${ids}-calendar-hint`} className="text-xs text-slate-600 dark:text-slate-400">
                Only calendars you can edit are listed.
              </p>
              {data.calendarsError ? (
                <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="calendar-list-error">
                  {data.calendarsError}
                </p>
              ) : null}
            </div>
            <button type="submit" className={secondaryButton} disabled={busy !== null || calendar === (data.calendarId ?? '')}>
              Save calendar
            </button>
          </form>

          <div className="space-y-1">
            <div className="flex items-center gap-2">
              <input
                id={`${ids}-delete-missing`}
                type="checkbox"
                checked={deleteMissing}
                disabled={busy === 'deleteMissing'}
                aria-describedby={`${ids}-delete-missing-hint`}
                onChange={(event) => {
                  const value = event.currentTarget.checked;
                  setDeleteMissing(value);
                  run('deleteMissing', 'Saving…', () => saveDeleteMissingAction(value), (result) => {
                    if (!result.ok) setDeleteMissing(!value);
                  });
                }}
                className="h-4 w-4 rounded border-slate-300 text-indigo-700 focus-visible:outline-2 focus-visible:outline-indigo-600"
              />
              <label htmlFor={`${ids}-delete-missing`} className="text-sm font-medium">
                Delete events whose block is gone
              </label>
            </div>
            <p id={`${ids}-delete-missing-hint`} className="pl-6 text-xs text-slate-600 dark:text-slate-400">
              When syncing, remove Orbita’s events in the sync window whose block no longer exists. Events Orbita did not create, and events
              outside the window, are never deleted.
              {data.deleteMissingSource === 'config' ? ' (Currently the server default, CALENDAR_DELETE_MISSING.)' : ''}
            </p>
          </div>

          <div className="flex flex-wrap items-center gap-3">
            <button
              type="button"
              className={buttonClass}
              disabled={busy !== null}
              aria-busy={busy === 'sync' || undefined}
              onClick={() =>
                run(
                  'sync',
                  'Syncing the next 7 days…',
                  async () => {
                    setCounts(null);
                    return syncNowAction();
                  },
                  (result) => setCounts(result.counts),
                )
              }
            >
              {busy === 'sync' ? 'Syncing…' : 'Sync now'}
            </button>
            {disconnectControls}
          </div>

          {counts && counts.failures.length > 0 ? (
            <div className="space-y-1 text-sm">
              <p className="font-medium text-red-700 dark:text-red-400">Blocks Google did not accept:</p>
              <ul className="list-inside list-disc" data-testid="calendar-sync-failures">
                {counts.failures.map((failure) => (
                  <li key={failure.blockId}>
                    <span className="font-mono text-xs">{failure.blockId}</span>: {failure.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      )}
    </section>
  );
}

function DisconnectControls(props: {
  busy: Busy;
  confirming: boolean;
  setConfirming: (value: boolean) => void;
  confirmRef: RefObject<HTMLButtonElement | null>;
  disconnectRef: RefObject<HTMLButtonElement | null>;
  onConfirm: () => void;
}) {
  const { busy, confirming, setConfirming, confirmRef, disconnectRef, onConfirm } = props;
  if (!confirming) {
    return (
      <button ref={disconnectRef} type="button" className={dangerButton} disabled={busy !== null} onClick={() => setConfirming(true)}>
        Disconnect
      </button>
    );
  }
  return (
    <div role="group" aria-label="Confirm disconnect" className="flex flex-wrap items-center gap-2 text-sm">
      <span>Disconnect Google Calendar? Events already in Google stay there.</span>
      <button
        ref={confirmRef}
        type="button"
        className={dangerButton}
        disabled={busy !== null}
        onClick={() => {
          setConfirming(false);
          onConfirm();
        }}
      >
        Yes, disconnect
      </button>
      <button
        type="button"
        className={secondaryButton}
        onClick={() => {
          setConfirming(false);
          requestAnimationFrame(() => disconnectRef.current?.focus());
        }}
      >
        Cancel
      </button>
    </div>
  );
}
