'use client';

import { useOptimistic, useTransition } from 'react';
import { useToast } from '@/components/toast';
import { callAction } from '../call-action';
import { redriveAction, redriveAllAction } from './actions';

/** A dead letter as the table shows it (times already formatted in the admin's zone). */
export interface DeadLetterItem {
  eventId: string;
  eventType: string;
  aggregate: string;
  attempts: number;
  lastError: string | null;
  created: string;
}

const smallButton = 'whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-60';

/** Dead letters with a re-drive per event and for all of them; re-driven rows leave at once and come back if the server says no. */
export function DeadLetters({ items }: { items: DeadLetterItem[] }) {
  const toast = useToast();
  const [pending, startTransition] = useTransition();
  const [shown, hide] = useOptimistic<DeadLetterItem[], string | 'all'>(items, (list, id) => (id === 'all' ? [] : list.filter((d) => d.eventId !== id)));

  function redrive(item: DeadLetterItem) {
    startTransition(async () => {
      hide(item.eventId);
      const result = await callAction(() => redriveAction(item.eventId));
      if (result.ok) toast('success', `Re-queued ${item.eventType} (${item.eventId}).`);
      else toast('error', result.error.message);
    });
  }

  function redriveAll() {
    if (!window.confirm(`Put all ${shown.length} dead letters back in the queue? They will be published again.`)) return;
    startTransition(async () => {
      hide('all');
      const result = await callAction(() => redriveAllAction());
      if (result.ok) toast('success', `Re-queued ${result.data.requeued} dead ${result.data.requeued === 1 ? 'letter' : 'letters'}.`);
      else toast('error', result.error.message);
    });
  }

  return (
    <section aria-labelledby="dead-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="dead-heading" className="text-lg font-semibold">
          Dead letters
        </h2>
        {shown.length ? (
          <button type="button" onClick={redriveAll} disabled={pending} className={`${smallButton} bg-indigo-600 text-white hover:bg-indigo-700`}>
            Re-drive all
          </button>
        ) : null}
      </div>
      {shown.length === 0 ? (
        <div className="rounded-xl border border-dashed border-slate-300 p-8 text-center dark:border-slate-700" data-testid="dead-empty">
          <p className="font-medium">No dead letters.</p>
          <p className="text-sm text-slate-600 dark:text-slate-400">Events that fail to publish after every retry land here, ready to be re-driven.</p>
        </div>
      ) : (
        // relative: the header's sr-only text is absolutely positioned and would otherwise escape the scroll box and widen the page.
        <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label="Dead letters table, scrolls sideways">
          <table className="w-full min-w-[44rem] text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-800">
                <th scope="col" className="py-2 pr-3 font-medium">Event</th>
                <th scope="col" className="py-2 pr-3 font-medium">Aggregate</th>
                <th scope="col" className="py-2 pr-3 font-medium">Attempts</th>
                <th scope="col" className="py-2 pr-3 font-medium">Last error</th>
                <th scope="col" className="py-2 pr-3 font-medium">Created</th>
                <th scope="col" className="py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((item) => (
                <tr key={item.eventId} className="border-b border-slate-100 align-top dark:border-slate-800" data-testid="dead-letter" data-event-id={item.eventId}>
                  <td className="py-2 pr-3">
                    <div className="font-medium">{item.eventType}</div>
                    <div className="font-mono text-xs text-slate-600 dark:text-slate-400">{item.eventId}</div>
                  </td>
                  <td className="py-2 pr-3 font-mono text-xs break-all">{item.aggregate}</td>
                  <td className="py-2 pr-3">{item.attempts}</td>
                  <td className="max-w-xs py-2 pr-3 break-words">{item.lastError ?? '—'}</td>
                  <td className="py-2 pr-3 whitespace-nowrap">{item.created}</td>
                  <td className="py-2 text-right">
                    <button
                      type="button"
                      onClick={() => redrive(item)}
                      disabled={pending}
                      aria-label={`Re-drive ${item.eventType} ${item.eventId}`}
                      className={`${smallButton} border border-slate-300 text-slate-800 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800`}
                    >
                      Re-drive
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
