'use client';

import { usePathname, useRouter } from 'next/navigation';
import { type FormEvent, useTransition } from 'react';

// Option values are what listTasks reads from the URL (comma lists for several statuses); the
// service's schema is not imported here, to keep zod out of the client bundle.
const statusOptions = [
  { value: '', label: 'All but archived' },
  { value: 'pending,in_progress', label: 'Open' },
  { value: 'pending', label: 'Pending' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'completed', label: 'Completed' },
  { value: 'archived', label: 'Archived' },
  { value: 'pending,in_progress,completed,archived', label: 'All, with archived' },
];
const priorityOptions = [
  { value: '', label: 'Any priority' },
  { value: 'urgent', label: 'Urgent' },
  { value: 'high', label: 'High' },
  { value: 'medium', label: 'Medium' },
  { value: 'low', label: 'Low' },
  { value: 'none', label: 'No priority' },
];
const sortOptions = [
  { value: 'priority', label: 'Priority' },
  { value: 'due', label: 'Due date' },
  { value: 'created', label: 'Created' },
];

const selectClass =
  'block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-600 focus:ring-1 focus:ring-indigo-600 dark:border-slate-700 dark:bg-slate-900';

/**
 * Filters and sort as URL search parameters. Without JS it is a plain GET form; with JS every change
 * updates the URL in place (the server re-renders the list, no full reload).
 */
export function TaskFilters({ values }: { values: Record<string, string> }) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();

  const apply = (form: HTMLFormElement) => {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (typeof value === 'string' && value !== '') params.set(key, value);
    if (params.get('sort') === 'priority') params.delete('sort'); // the default: keep URLs short
    const search = params.toString();
    startTransition(() => router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false }));
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    apply(event.currentTarget);
  };

  return (
    <form method="get" onSubmit={submit} onChange={(event) => apply(event.currentTarget)} aria-label="Filter and sort tasks" aria-busy={pending} className="flex flex-wrap items-end gap-3">
      <div className="w-40 space-y-1">
        <label htmlFor="filter-status" className="block text-sm font-medium">
          Status
        </label>
        <select id="filter-status" name="status" defaultValue={values.status ?? ''} className={selectClass}>
          {statusOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="w-36 space-y-1">
        <label htmlFor="filter-priority" className="block text-sm font-medium">
          Priority
        </label>
        <select id="filter-priority" name="priority" defaultValue={values.priority ?? ''} className={selectClass}>
          {priorityOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="w-32 space-y-1">
        <label htmlFor="filter-sort" className="block text-sm font-medium">
          Sort by
        </label>
        <select id="filter-sort" name="sort" defaultValue={values.sort ?? 'priority'} className={selectClass}>
          {sortOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="flex items-center gap-4 pb-1.5 text-sm">
        <legend className="sr-only">Due</legend>
        <label className="flex items-center gap-1.5">
          <input type="checkbox" name="overdue" value="true" defaultChecked={values.overdue === 'true'} className="h-4 w-4 rounded border-slate-300 dark:border-slate-600" />
          Overdue only
        </label>
        <label className="flex items-center gap-1.5">
          <input type="checkbox" name="dueToday" value="true" defaultChecked={values.dueToday === 'true'} className="h-4 w-4 rounded border-slate-300 dark:border-slate-600" />
          Due today only
        </label>
      </fieldset>
      {/* Without JS this applies the filters; with JS they apply on change already. */}
      <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
        {pending ? 'Updating…' : 'Apply'}
      </button>
    </form>
  );
}
