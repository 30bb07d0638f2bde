'use client';

import Link from 'next/link';
import { type FormEvent, type KeyboardEvent, useEffect, useMemo, useOptimistic, useRef, useState, useTransition } from 'react';
import { EditFormActions, Field, smallButtonClass } from '@/components/field';
import { timeInputProps } from '@/components/time-input';
import { useToast } from '@/components/toast';
import type { TaskView } from '@/lib/tasks/service';
import type { ActionResult } from '../run-action';
import {
  archiveTaskAction,
  completeTaskAction,
  loadMoreTasksAction,
  reopenTaskAction,
  startTaskAction,
  type TaskFormValues,
  updateTaskAction,
} from './actions';
import { formatWallDateTime, tidyTime, wallParts } from '@/lib/format';
import { priorityLabel, PrioritySelect } from './priority-select';
import { unreachableError } from '../call-action';

type Change = { type: 'patch'; id: string; patch: Partial<TaskView> } | { type: 'remove'; id: string };
type ActionError = Extract<ActionResult, { ok: false }>['error'];
type Draft = Omit<TaskFormValues, 'description'>;
type Editing = { draft: Draft; errors: Record<string, string> };

/** What a row asks the list to do: show `change` at once, call the server, and roll back if it says no. */
type Run = (change: Change | null, call: () => Promise<ActionResult<TaskView>>, successMessage: (task: TaskView) => string, onError?: (error: ActionError) => void) => void;

const isOpen = (status: TaskView['status']) => status === 'pending' || status === 'in_progress';

/** Overdue as far as the browser can tell before the server answers (by date; the server refines it). */
const roughlyOverdue = (due: string | null, today: string) => due !== null && wallParts(due).date < today;

/** The editor's inputs for a task as it is (a due with a time keeps it: YYYY-MM-DDTHH:MM). */
const draftOf = (task: TaskView): Draft => ({
  title: task.title,
  priority: task.priority,
  durationMinutes: task.durationMinutes === null ? '' : String(task.durationMinutes),
  due: task.due ? task.due.slice(0, wallParts(task.due).time ? 16 : 10) : '',
});

const badge = 'rounded-full px-2 py-0.5 text-xs font-medium';

/**
 * The task list with its row actions. Every action shows its result at once (useOptimistic) and
 * the server's answer replaces it; a refusal rolls the row back and says why in a toast.
 */
export function TaskList({
  tasks,
  nextCursor,
  filters,
  pagedFrom,
  filtered,
  today,
}: {
  tasks: TaskView[];
  nextCursor: string | null;
  filters: Record<string, string>;
  /** The cursor in the URL when the page was paged without JS. */
  pagedFrom: string | null;
  filtered: boolean;
  today: string;
}) {
  const toast = useToast();
  const [more, setMore] = useState<TaskView[]>([]);
  const [moreCursor, setMoreCursor] = useState<string | null | undefined>(undefined);
  const [, startTransition] = useTransition();
  const [loadingMore, startLoadingMore] = useTransition();
  const showsArchived = (filters.status ?? '').includes('archived');

  const listed = useMemo(() => {
    const ids = new Set(tasks.map((task) => task.id));
    return [...tasks, ...more.filter((task) => !ids.has(task.id))];
  }, [tasks, more]);
  const [shown, applyChange] = useOptimistic(listed, (list: TaskView[], change: Change) =>
    change.type === 'remove' ? list.filter((task) => task.id !== change.id) : list.map((task) => (task.id === change.id ? { ...task, ...change.patch } : task)),
  );
  const cursor = moreCursor === undefined ? nextCursor : moreCursor;

  const run: Run = (change, call, successMessage, onError) => {
    startTransition(async () => {
      if (change) applyChange(change);
      const result = await call().catch(() => null);
      if (result?.ok) {
        const task = result.data;
        // Pages fetched with "Load more" are not re-rendered by the server: keep them current here.
        setMore((list) => (task.status === 'archived' && !showsArchived ? list.filter((t) => t.id !== task.id) : list.map((t) => (t.id === task.id ? task : t))));
        toast('success', successMessage(task));
      } else {
        const error = result ? result.error : unreachableError;
        toast('error', error.message);
        onError?.(error);
      }
    });
  };

  const loadMore = (event: { preventDefault: () => void }) => {
    event.preventDefault();
    if (!cursor) return;
    startLoadingMore(async () => {
      const result = await loadMoreTasksAction(filters, cursor).catch(() => null);
      if (result?.ok) {
        setMore((list) => [...list, ...result.data.items]);
        setMoreCursor(result.data.nextCursor);
      } else {
        toast('error', result?.error.message ?? unreachableError.message);
      }
    });
  };
  const pageHref = (pageCursor: string | null) => {
    const params = new URLSearchParams(filters);
    if (pageCursor) params.set('cursor', pageCursor);
    const search = params.toString();
    return search ? `/tasks?${search}` : '/tasks';
  };

  if (shown.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 p-10 text-center dark:border-slate-700" data-testid="tasks-empty">
        {filtered || pagedFrom ? (
          <>
            <p className="font-medium">No tasks match these filters.</p>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              <Link href="/tasks" className="font-medium text-indigo-700 underline dark:text-indigo-300">
                Show all tasks
              </Link>
            </p>
          </>
        ) : (
          <>
            <p className="font-medium">No tasks yet — add one above or use Quick add on Today.</p>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              <Link href="/today" className="font-medium text-indigo-700 underline dark:text-indigo-300">
                Go to Today
              </Link>
            </p>
          </>
        )}
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <ul aria-label="Tasks" className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
        {shown.map((task) => (
          <TaskRow key={task.id} task={task} today={today} run={run} />
        ))}
      </ul>
      <div className="flex flex-wrap items-center gap-3">
        {cursor ? (
          <a href={pageHref(cursor)} onClick={loadMore} aria-disabled={loadingMore} className={smallButtonClass}>
            {loadingMore ? 'Loading…' : 'Load more tasks'}
          </a>
        ) : null}
        {pagedFrom ? (
          <Link href={pageHref(null)} className="text-sm font-medium text-indigo-700 underline dark:text-indigo-300">
            Back to the first page
          </Link>
        ) : null}
      </div>
    </div>
  );
}

function TaskRow({ task, today, run }: { task: TaskView; today: string; run: Run }) {
  const [editing, setEditing] = useState<Editing | null>(null);
  const titleButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (!editing && returnFocus.current) {
      returnFocus.current = false;
      titleButton.current?.focus();
    }
  }, [editing]);

  const open = isOpen(task.status);
  const completed = task.status === 'completed';
  const archived = task.status === 'archived';
  const dueToday = open && !task.overdue && task.due !== null && wallParts(task.due).date === today;

  const startEditing = () => setEditing({ draft: draftOf(task), errors: {} });
  const cancel = () => {
    returnFocus.current = true;
    setEditing(null);
  };

  const save = (draft: Draft) => {
    const before = draftOf(task);
    const changes: Partial<TaskFormValues> = {};
    for (const key of Object.keys(draft) as (keyof Draft)[]) if (draft[key] !== before[key]) Object.assign(changes, { [key]: draft[key] });
    returnFocus.current = true;
    setEditing(null);
    if (Object.keys(changes).length === 0) return;
    const minutes = Number(draft.durationMinutes);
    const patch: Partial<TaskView> = {
      title: draft.title.trim() || task.title,
      priority: draft.priority,
      durationMinutes: draft.durationMinutes === '' ? null : Number.isInteger(minutes) ? minutes : task.durationMinutes,
      due: draft.due || null,
      overdue: roughlyOverdue(draft.due || null, today) && open,
    };
    run(
      { type: 'patch', id: task.id, patch },
      () => updateTaskAction(task.id, task.version, changes),
      (saved) => `Saved “${saved.title}”`,
      (error) => {
        // Back to the editor with what was typed; a validation message sits under its field.
        returnFocus.current = false;
        setEditing({ draft, errors: error.fields ?? {} });
      },
    );
  };

  const toggleComplete = () =>
    completed
      ? run({ type: 'patch', id: task.id, patch: { status: 'pending', completedAt: null } }, () => reopenTaskAction(task.id, task.version), (t) => `Reopened “${t.title}”`)
      : run({ type: 'patch', id: task.id, patch: { status: 'completed', overdue: false } }, () => completeTaskAction(task.id), (t) => `Completed “${t.title}”`);

  if (editing) return <TaskEditor task={task} editing={editing} onSave={save} onCancel={cancel} />;

  return (
    <li className="flex items-start gap-3 p-3" data-testid="task" data-task-id={task.id}>
      <input
        type="checkbox"
        checked={completed}
        disabled={archived}
        onChange={toggleComplete}
        aria-label={`Complete ${task.title}`}
        className="mt-1 h-5 w-5 shrink-0 rounded border-slate-300 dark:border-slate-600"
      />
      <div className="min-w-0 flex-1 space-y-1">
        <button
          ref={titleButton}
          type="button"
          onClick={startEditing}
          disabled={archived}
          aria-label={`Edit ${task.title}`}
          title={archived ? undefined : 'Edit'}
          className={`max-w-full text-left font-medium break-words hover:underline disabled:hover:no-underline ${completed || archived ? 'text-slate-600 line-through dark:text-slate-400' : ''}`}
        >
          {task.title}
        </button>
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
          {task.status === 'in_progress' ? <span className={`${badge} bg-indigo-100 text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100`}>In progress</span> : null}
          {completed ? <span className={`${badge} bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100`}>Completed</span> : null}
          {archived ? <span className={`${badge} bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200`}>Archived</span> : null}
          {task.priority !== 'none' ? <span>Priority: {priorityLabel(task.priority)}</span> : null}
          {task.durationMinutes !== null ? <span>Estimate: {task.durationMinutes} min</span> : null}
          {task.due ? <span>Due {formatWallDateTime(task.due, today)}</span> : null}
          {open && task.overdue ? <span className={`${badge} bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-100`}>Overdue</span> : null}
          {dueToday ? <span className={`${badge} bg-amber-100 text-amber-950 dark:bg-amber-950 dark:text-amber-100`}>Due today</span> : null}
        </p>
      </div>
      <div className="flex shrink-0 flex-wrap justify-end gap-2">
        {task.status === 'pending' ? (
          <button
            type="button"
            className={smallButtonClass}
            aria-label={`Start ${task.title}`}
            onClick={() => run({ type: 'patch', id: task.id, patch: { status: 'in_progress' } }, () => startTaskAction(task.id), (t) => `Started “${t.title}”`)}
          >
            Start
          </button>
        ) : null}
        {archived ? null : (
          <button
            type="button"
            className={smallButtonClass}
            aria-label={`Archive ${task.title}`}
            onClick={() => run({ type: 'remove', id: task.id }, () => archiveTaskAction(task.id), (t) => `Archived “${t.title}”`)}
          >
            Archive
          </button>
        )}
      </div>
    </li>
  );
}

/** A row turned into a small form: Enter or Save saves, Escape or Cancel puts the row back. */
function TaskEditor({ task, editing, onSave, onCancel }: { task: TaskView; editing: Editing; onSave: (draft: Draft) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<Draft>(editing.draft);
  const titleInput = useRef<HTMLInputElement>(null);
  useEffect(() => titleInput.current?.focus(), []);
  const set = (field: keyof Draft) => (event: { target: { value: string } }) => setDraft((d) => ({ ...d, [field]: event.target.value }));
  const { errors } = editing;
  const id = (field: string) => `edit-${task.id}-${field}`;

  // A due with a time of day (set through the API) is edited as a date and a 24-hour time, like every time in Orbita.
  const withTime = editing.draft.due.length > 10;
  const dueDate = draft.due.slice(0, 10);
  const dueTime = draft.due.slice(11);
  const setDue = (date: string, time: string) => setDraft((d) => ({ ...d, due: withTime && date ? `${date}T${time}` : date }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSave(withTime && dueDate ? { ...draft, due: `${dueDate}T${tidyTime(dueTime) ?? dueTime}` } : draft);
  };
  const escape = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
  };

  return (
    <li className="p-3" data-testid="task-editor">
      <form noValidate onSubmit={submit} onKeyDown={escape} aria-label={`Edit ${task.title}`} className="space-y-3">
        <div className={`grid gap-3 ${withTime ? 'sm:grid-cols-[minmax(0,1fr)_8rem_8rem_11rem_6rem]' : 'sm:grid-cols-[minmax(0,1fr)_8rem_8rem_11rem]'}`}>
          <Field ref={titleInput} id={id('title')} label="Title" name="title" value={draft.title} onChange={set('title')} error={errors.title} autoComplete="off" />
          <PrioritySelect id={id('priority')} value={draft.priority} onChange={(priority) => setDraft((d) => ({ ...d, priority }))} error={errors.priority} />
          <Field
            id={id('estimate')}
            label="Estimate (min)"
            name="durationMinutes"
            inputMode="numeric"
            value={draft.durationMinutes}
            onChange={set('durationMinutes')}
            error={errors.durationMinutes}
          />
          <Field id={id('due')} label="Due" name="due" type="date" value={dueDate} onChange={(event) => setDue(event.target.value, dueTime)} error={errors.due} />
          {withTime ? <Field id={id('due-time')} label="Due time" name="dueTime" {...timeInputProps(dueTime, (time) => setDue(dueDate, time))} /> : null}
        </div>
        <EditFormActions formError={errors.form} onCancel={onCancel} />
      </form>
    </li>
  );
}
