'use client';

import { type FormEvent, useState, useTransition } from 'react';
import { buttonClass } from '@/components/field';
import { useToast } from '@/components/toast';
import { parseQuickAdd } from '@/lib/tasks/quick-add';
import { quickAddAction } from './actions';
import { callAction } from '../call-action';

/** Task fields the service may reject, in the order their messages are shown. */
const fieldOrder = ['title', 'durationMinutes', 'priority', 'due'];

/** One line in natural language ("Write report 45m !high tomorrow") → a task; shows what it understood while typing. */
export function QuickAdd({ today }: { today: string }) {
  const toast = useToast();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const parsed = text.trim() ? parseQuickAdd(text, { today }) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    startTransition(async () => {
      const result = await callAction(() => quickAddAction(text));
      if (result.ok) {
        setText('');
        setError(null);
        toast('success', `Added task “${result.data.title}”`);
        return;
      }
      const fields = result.error.fields ?? {};
      const titleMissing = Boolean(fields.title) && !parseQuickAdd(text, { today }).title;
      const message = titleMissing ? 'Add a title: type what to do besides the estimate, priority and day.' : (fieldOrder.map((field) => fields[field]).find(Boolean) ?? result.error.message);
      setError(message);
      toast('error', `Could not add the task. ${message}`);
    });
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-2">
      <label htmlFor="quick-add" className="sr-only">
        Quick add
      </label>
      <div className="flex gap-2">
        <input
          id="quick-add"
          name="quick-add"
          type="text"
          autoComplete="off"
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder="Write report 45m !high tomorrow"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'quick-add-error quick-add-preview' : 'quick-add-preview'}
          className="block w-full min-w-0 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-500 focus:border-indigo-600 focus:ring-1 focus:ring-indigo-600 aria-invalid:border-red-600 dark:border-slate-700 dark:bg-slate-900 dark:placeholder:text-slate-400"
        />
        <button type="submit" className={buttonClass} disabled={pending}>
          {pending ? 'Adding…' : 'Add'}
        </button>
      </div>
      {/* Reserved height: the preview appearing never pushes the rest of the column down. */}
      <p id="quick-add-preview" data-testid="quick-add-preview" aria-live="polite" className="min-h-10 text-sm text-slate-700 dark:text-slate-300">
        {parsed ? (
          <>
            <span className="sr-only">Understood: </span>
            <span className="font-medium">{parsed.title || 'no title yet'}</span>
            {parsed.understood.map((label) => (
              <span key={label}> · {label}</span>
            ))}
          </>
        ) : (
          <span className="text-slate-600 dark:text-slate-400">Add an estimate (45m, 1h30m), a priority (!high) and a day (tomorrow, fri, dec 3).</span>
        )}
      </p>
      {error ? (
        <p id="quick-add-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </form>
  );
}
