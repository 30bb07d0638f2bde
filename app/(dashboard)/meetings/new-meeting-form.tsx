'use client';

import { type FormEvent, useRef, useState, useTransition } from 'react';
import { buttonClass, Field } from '@/components/field';
import { timeInputProps } from '@/components/time-input';
import { useToast } from '@/components/toast';
import { tidyTime } from '@/lib/format';
import { createMeetingAction, type MeetingFormValues } from './actions';
import { CadenceFields } from './cadence-fields';

const empty: MeetingFormValues = { name: '', cadence: 'weekly', intervalDays: '', durationMinutes: '30', time: '10:00' };

/** "Add a 1:1": every field is kept as typed when the server rejects it, with the reason under it. */
export function NewMeetingForm() {
  const toast = useToast();
  const [values, setValues] = useState<MeetingFormValues>(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, startTransition] = useTransition();
  const nameRef = useRef<HTMLInputElement>(null);
  const set = (field: keyof MeetingFormValues) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: event.target.value }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    startTransition(async () => {
      const result = await createMeetingAction({ ...values, time: tidyTime(values.time) ?? values.time }).catch(() => null);
      if (result?.ok) {
        setValues(empty);
        setErrors({});
        toast('success', `1:1 with ${result.data.name} added`);
        nameRef.current?.focus();
      } else {
        setErrors(result?.error.fields ?? {});
        toast('error', result?.error.message ?? 'Could not reach the server. Nothing was saved; please try again.');
      }
    });
  };

  return (
    <section aria-labelledby="new-meeting-heading" className="space-y-3 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="new-meeting-heading" className="text-lg font-semibold">
        Add a 1:1
      </h2>
      <form noValidate onSubmit={submit} aria-busy={pending} className="space-y-3">
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,1fr)_12rem_9rem_9rem_8rem]">
          <Field ref={nameRef} label="Person or title" name="name" value={values.name} onChange={set('name')} error={errors.name} autoComplete="off" />
          <CadenceFields
            idPrefix="new-meeting"
            cadence={values.cadence}
            intervalDays={values.intervalDays}
            onCadence={(cadence) => setValues((v) => ({ ...v, cadence }))}
            onIntervalDays={(intervalDays) => setValues((v) => ({ ...v, intervalDays }))}
            errors={errors}
          />
          <Field label="Length (minutes)" name="durationMinutes" inputMode="numeric" value={values.durationMinutes} onChange={set('durationMinutes')} error={errors.durationMinutes} />
          <Field label="Preferred time" name="time" {...timeInputProps(values.time, (time) => setValues((v) => ({ ...v, time })))} error={errors.time} />
        </div>
        {errors.form ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {errors.form}
          </p>
        ) : null}
        <button type="submit" className={buttonClass} disabled={pending}>
          {pending ? 'Adding…' : 'Add 1:1'}
        </button>
      </form>
    </section>
  );
}
