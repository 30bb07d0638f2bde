'use client';

import { type FormEvent, useRef, useState, useTransition } from 'react';
import { buttonClass, Field } from '@/components/field';
import { useToast } from '@/components/toast';
import { createTaskAction, type TaskFormValues } from './actions';
import { PrioritySelect } from './priority-select';

const empty: TaskFormValues = { title: '', priority: 'none', durationMinutes: '', due: '', description: '' };

const unreachable = 'Could not reach the server. Nothing was saved; please try again.';

/** "Add a task": every field is kept as typed when the server rejects it, with the reason under it. */
export function NewTaskForm() {
  const toast = useToast();
  const [values, setValues] = useState<TaskFormValues>(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, startTransition] = useTransition();
  const titleRef = useRef<HTMLInputElement>(null);
  const set = (field: keyof TaskFormValues) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: event.target.value }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    startTransition(async () => {
      const result = await createTaskAction(values).catch(() => null);
      if (result?.ok) {
        setValues(empty);
        setErrors({});
        toast('success', `Task added: ${result.data.title}`);
        titleRef.current?.focus();
      } else {
        setErrors(result?.error.fields ?? {});
        toast('error', result?.error.message ?? unreachable);
      }
    });
  };

  return (
    <section aria-labelledby="new-task-heading" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="new-task-heading" className="text-lg font-semibold">
        Add a task
      </h2>
      <form noValidate onSubmit={submit} aria-busy={pending} className="space-y-3">
        <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_9rem_9rem_10rem]">
          <Field ref={titleRef} label="Title" name="title" value={values.title} onChange={set('title')} error={errors.title} autoComplete="off" />
          <Field
            label="Estimate (minutes)"
            name="durationMinutes"
            inputMode="numeric"
            value={values.durationMinutes}
            onChange={set('durationMinutes')}
            error={errors.durationMinutes}
            hint="5–480"
          />
          <PrioritySelect id="new-task-priority" value={values.priority} onChange={(priority) => setValues((v) => ({ ...v, priority }))} error={errors.priority} />
          <Field label="Due date" name="due" type="date" value={values.due} onChange={set('due')} error={errors.due} />
        </div>
        <div className="space-y-1">
          <label htmlFor="new-task-notes" className="block text-sm font-medium">
            Notes <span className="font-normal text-slate-600 dark:text-slate-400">(optional)</span>
          </label>
          <textarea
            id="new-task-notes"
            name="description"
            rows={2}
            value={values.description}
            onChange={set('description')}
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={errors.description ? 'new-task-notes-error' : undefined}
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-600 focus:ring-1 focus:ring-indigo-600 aria-invalid:border-red-600 dark:border-slate-700 dark:bg-slate-900"
          />
          {errors.description ? (
            <p id="new-task-notes-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
              {errors.description}
            </p>
          ) : null}
        </div>
        <button type="submit" className={buttonClass} disabled={pending}>
          {pending ? 'Adding…' : 'Add task'}
        </button>
      </form>
    </section>
  );
}
