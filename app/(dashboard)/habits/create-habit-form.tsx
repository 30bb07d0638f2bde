'use client';

import { type FormEvent, useEffect, useRef, useState, useTransition } from 'react';
import { buttonClass, Field } from '@/components/field';
import { useToast } from '@/components/toast';
import { createHabitAction, type HabitFormValues } from './actions';

const empty: HabitFormValues = { name: '', description: '', frequency: 'daily', timesPerWeek: '3', durationMinutes: '15', preferredTime: 'anytime' };

const frequencyOptions = [
  { value: 'daily', label: 'Daily' },
  { value: 'weekdays', label: 'Weekdays (Mon–Fri)' },
  { value: 'weekends', label: 'Weekends (Sat–Sun)' },
  { value: 'weekly', label: 'Weekly (on today’s weekday)' },
  { value: 'custom', label: 'Custom: N times a week' },
];

const preferredOptions = [
  { value: 'anytime', label: 'Any time' },
  { value: 'morning', label: 'Morning (06–12)' },
  { value: 'afternoon', label: 'Afternoon (12–17)' },
  { value: 'evening', label: 'Evening (17–21)' },
  { value: 'night', label: 'Night (21–24)' },
];

const selectClass =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-600 focus:ring-1 focus:ring-indigo-600 aria-invalid:border-red-600 dark:border-slate-700 dark:bg-slate-900';

/** A select with its label and its validation message next to it (the Field pattern for selects). */
function SelectField({ name, label, value, error, options, onChange }: {
  name: keyof HabitFormValues;
  label: string;
  value: string;
  error?: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  const id = `field-${name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} name={name} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} className={selectClass}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
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

/** Creates a habit. The server validates; its messages appear next to their fields and what was typed stays. */
export function CreateHabitForm() {
  const toast = useToast();
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, startTransition] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);
  // After a failed submit, take keyboard users to the first field that needs fixing (once it is rendered).
  useEffect(() => {
    if (Object.keys(errors).length) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);
  const set = (field: keyof HabitFormValues) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      let result: Awaited<ReturnType<typeof createHabitAction>>;
      try {
        result = await createHabitAction(values);
      } catch {
        toast('error', 'Could not reach the server. Nothing was saved; please try again.');
        return;
      }
      if (result.ok) {
        setValues(empty);
        setErrors({});
        toast('success', `Created “${result.data.name}”.`);
        return;
      }
      setErrors(result.error.fields ?? {});
      toast('error', result.error.message);
    });
  }

  return (
    <section aria-labelledby="new-habit-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="new-habit-heading" className="text-lg font-semibold">
        New habit
      </h2>
      <form ref={formRef} onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <div className="sm:col-span-2 lg:col-span-1">
          <Field label="Name" name="name" value={values.name} onChange={(e) => set('name')(e.target.value)} error={errors.name} placeholder="e.g. Meditate" />
        </div>
        <SelectField name="frequency" label="Frequency" value={values.frequency} error={errors.frequency} options={frequencyOptions} onChange={set('frequency')} />
        {values.frequency === 'custom' ? (
          <Field
            label="Times per week"
            name="timesPerWeek"
            type="number"
            inputMode="numeric"
            min={1}
            max={7}
            value={values.timesPerWeek}
            onChange={(e) => set('timesPerWeek')(e.target.value)}
            error={errors.timesPerWeek}
          />
        ) : null}
        <SelectField name="preferredTime" label="Preferred time" value={values.preferredTime} error={errors.preferredTime} options={preferredOptions} onChange={set('preferredTime')} />
        <Field
          label="Duration (minutes)"
          name="durationMinutes"
          type="number"
          inputMode="numeric"
          min={1}
          max={480}
          value={values.durationMinutes}
          onChange={(e) => set('durationMinutes')(e.target.value)}
          error={errors.durationMinutes}
        />
        <div className="sm:col-span-2 lg:col-span-3">
          <Field label="Notes (optional)" name="description" value={values.description} onChange={(e) => set('description')(e.target.value)} error={errors.description} />
        </div>
        <div className="sm:col-span-2 lg:col-span-3">
          <button type="submit" className={buttonClass} disabled={pending}>
            {pending ? 'Creating…' : 'Create habit'}
          </button>
        </div>
      </form>
    </section>
  );
}
