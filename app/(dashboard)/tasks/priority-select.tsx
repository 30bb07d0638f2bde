import type { PriorityName } from '@/lib/tasks/schemas';

/** Priorities from least to most pressing (the schema's list, without importing zod). */
export const priorityChoices: { value: PriorityName; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'low', label: 'Low' },
  { value: 'medium', label: 'Medium' },
  { value: 'high', label: 'High' },
  { value: 'urgent', label: 'Urgent' },
];

export const priorityLabel = (priority: PriorityName) => priorityChoices.find((choice) => choice.value === priority)?.label ?? priority;

/** A labelled priority picker with its validation message under it. */
export function PrioritySelect({
  id,
  value,
  onChange,
  error,
  label = 'Priority',
}: {
  id: string;
  value: PriorityName;
  onChange: (priority: PriorityName) => void;
  error?: string;
  label?: string;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select
        id={id}
        name="priority"
        value={value}
        onChange={(event) => onChange(event.target.value as PriorityName)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-600 focus:ring-1 focus:ring-indigo-600 aria-invalid:border-red-600 dark:border-slate-700 dark:bg-slate-900"
      >
        {priorityChoices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
