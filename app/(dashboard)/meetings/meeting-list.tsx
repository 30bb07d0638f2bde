'use client';

import { type FormEvent, type KeyboardEvent, useEffect, useOptimistic, useRef, useState, useTransition } from 'react';
import { EditFormActions, Field, smallButtonClass } from '@/components/field';
import { useToast } from '@/components/toast';
import type { MeetingView } from '@/lib/meetings/service';
import type { ActionResult } from '../run-action';
import { addCalendarDays, formatWallDateTime } from '@/lib/format';
import { archiveMeetingAction, markMeetingHeldAction, type MeetingFormValues, updateMeetingAction } from './actions';
import { CadenceFields, cadenceText, namedIntervals } from './cadence-fields';
import { unreachableError } from '../call-action';

type Change = { type: 'patch'; id: string; patch: Partial<MeetingView> } | { type: 'remove'; id: string };
type ActionError = Extract<ActionResult, { ok: false }>['error'];
type Draft = Pick<MeetingFormValues, 'cadence' | 'intervalDays' | 'durationMinutes'>;
type Editing = { draft: Draft; errors: Record<string, string> };

/** What a row asks the list to do: show `change` at once, call the server, and roll back if it says no. */
type Run = <T>(change: Change, call: () => Promise<ActionResult<T>>, successMessage: string, onError?: (error: ActionError) => void) => void;


/** The next occurrence after a change made today, as the server will compute it (today + interval at the preferred time). */
const nextFromToday = (today: string, intervalDays: number, time: string) => `${addCalendarDays(today, intervalDays)}T${time}`;

/**
 * The 1:1s with Mark held, Edit and Archive. Each shows its result at once (useOptimistic) and the
 * server's answer replaces it; a refusal rolls the row back and says why in a toast.
 */
export function MeetingList({ meetings, today }: { meetings: MeetingView[]; today: string }) {
  const toast = useToast();
  const [, startTransition] = useTransition();
  const [shown, applyChange] = useOptimistic(meetings, (list: MeetingView[], change: Change) =>
    change.type === 'remove' ? list.filter((m) => m.id !== change.id) : list.map((m) => (m.id === change.id ? { ...m, ...change.patch } : m)),
  );

  const run: Run = (change, call, successMessage, onError) => {
    startTransition(async () => {
      applyChange(change);
      const result = await call().catch(() => null);
      if (result?.ok) {
        toast('success', successMessage);
      } else {
        const error = result ? result.error : unreachableError;
        toast('error', error.message);
        onError?.(error);
      }
    });
  };

  if (shown.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 p-10 text-center dark:border-slate-700" data-testid="meetings-empty">
        <p className="font-medium">No 1:1s yet — add the first one above.</p>
        <p className="text-sm text-slate-600 dark:text-slate-400">Plan my day on Today fits due 1:1s into your working hours.</p>
      </div>
    );
  }
  return (
    <ul aria-label="1:1 meetings" className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
      {shown.map((meeting) => (
        <MeetingRow key={meeting.id} meeting={meeting} today={today} run={run} />
      ))}
    </ul>
  );
}

const draftOf = (meeting: MeetingView): Draft => ({
  cadence: meeting.cadence,
  intervalDays: String(meeting.intervalDays),
  durationMinutes: String(meeting.durationMinutes),
});

function MeetingRow({ meeting, today, run }: { meeting: MeetingView; today: string; run: Run }) {
  const [editing, setEditing] = useState<Editing | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (!editing && returnFocus.current) {
      returnFocus.current = false;
      editButton.current?.focus();
    }
  }, [editing]);

  const close = () => {
    returnFocus.current = true;
    setEditing(null);
  };

  const markHeld = () =>
    run(
      { type: 'patch', id: meeting.id, patch: { lastHeldAt: today, nextOccurrence: nextFromToday(today, meeting.intervalDays, meeting.time), dueToday: false } },
      () => markMeetingHeldAction(meeting.id),
      `1:1 with ${meeting.name} marked as held`,
    );

  const save = (draft: Draft) => {
    close();
    const before = draftOf(meeting);
    if (draft.cadence === before.cadence && draft.intervalDays === before.intervalDays && draft.durationMinutes === before.durationMinutes) return;
    const typedDays = Number(draft.intervalDays);
    const intervalDays = draft.cadence === 'custom' ? (Number.isInteger(typedDays) && typedDays > 0 ? typedDays : meeting.intervalDays) : namedIntervals[draft.cadence];
    const minutes = Number(draft.durationMinutes);
    const patch: Partial<MeetingView> = {
      cadence: draft.cadence,
      intervalDays,
      durationMinutes: Number.isInteger(minutes) && minutes > 0 ? minutes : meeting.durationMinutes,
    };
    run({ type: 'patch', id: meeting.id, patch }, () => updateMeetingAction(meeting.id, draft), `1:1 with ${meeting.name} saved`, (error) => {
      // Back to the editor with what was typed; a validation message sits under its field.
      returnFocus.current = false;
      setEditing({ draft, errors: error.fields ?? {} });
    });
  };

  if (editing) return <MeetingEditor meeting={meeting} editing={editing} onSave={save} onCancel={close} />;

  return (
    <li className="flex flex-wrap items-start justify-between gap-3 p-4" data-testid="meeting" data-meeting-id={meeting.id}>
      <div className="min-w-0 flex-1 space-y-2">
        <p className="font-medium break-words">{meeting.name}</p>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {cadenceText(meeting.cadence, meeting.intervalDays)} · {meeting.durationMinutes} min · at {meeting.time}
        </p>
        <dl className="grid grid-cols-[6.5rem_minmax(0,1fr)] gap-x-2 gap-y-1 text-sm">
          <dt className="text-slate-600 dark:text-slate-400">Next</dt>
          <dd data-testid="meeting-next">
            {meeting.archived ? (
              'Archived'
            ) : meeting.nextOccurrence ? (
              <>
                {formatWallDateTime(meeting.nextOccurrence, today)}
                {meeting.dueToday ? (
                  <span className="ml-2 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-950 dark:bg-amber-950 dark:text-amber-100">Today</span>
                ) : null}
              </>
            ) : (
              '—'
            )}
          </dd>
          <dt className="text-slate-600 dark:text-slate-400">Last held</dt>
          <dd data-testid="meeting-last-held">{meeting.lastHeldAt ? formatWallDateTime(meeting.lastHeldAt, today) : 'Never'}</dd>
        </dl>
      </div>
      {meeting.archived ? null : (
        <div className="flex flex-wrap gap-2">
          <button type="button" className={smallButtonClass} aria-label={`Mark ${meeting.name} held`} onClick={markHeld}>
            Mark held
          </button>
          <button ref={editButton} type="button" className={smallButtonClass} aria-label={`Edit ${meeting.name}`} onClick={() => setEditing({ draft: draftOf(meeting), errors: {} })}>
            Edit
          </button>
          <button
            type="button"
            className={smallButtonClass}
            aria-label={`Archive ${meeting.name}`}
            onClick={() => run({ type: 'remove', id: meeting.id }, () => archiveMeetingAction(meeting.id), `1:1 with ${meeting.name} archived`)}
          >
            Archive
          </button>
        </div>
      )}
    </li>
  );
}

/** The row as a small form for cadence and length: Enter or Save saves, Escape or Cancel puts the row back. */
function MeetingEditor({ meeting, editing, onSave, onCancel }: { meeting: MeetingView; editing: Editing; onSave: (draft: Draft) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<Draft>(editing.draft);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector('select')?.focus(), []);
  const { errors } = editing;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSave(draft);
  };
  const escape = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
  };

  return (
    <li className="space-y-3 p-4" data-testid="meeting-editor">
      <p className="font-medium break-words">{meeting.name}</p>
      <form ref={form} noValidate onSubmit={submit} onKeyDown={escape} aria-label={`Edit ${meeting.name}`} className="space-y-3">
        <div className="grid gap-3 sm:grid-cols-[12rem_10rem_10rem]">
          <CadenceFields
            idPrefix={`edit-${meeting.id}`}
            cadence={draft.cadence}
            intervalDays={draft.intervalDays}
            onCadence={(cadence) => setDraft((d) => ({ ...d, cadence }))}
            onIntervalDays={(intervalDays) => setDraft((d) => ({ ...d, intervalDays }))}
            errors={errors}
          />
          <Field
            id={`edit-${meeting.id}-duration`}
            label="Length (minutes)"
            name="durationMinutes"
            inputMode="numeric"
            value={draft.durationMinutes}
            onChange={(event) => setDraft((d) => ({ ...d, durationMinutes: event.target.value }))}
            error={errors.durationMinutes}
          />
        </div>
        <EditFormActions formError={errors.form} onCancel={onCancel} />
      </form>
    </li>
  );
}
