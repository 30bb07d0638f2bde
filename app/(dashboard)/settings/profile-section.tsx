'use client';

import { type FormEvent, useMemo, useState, useTransition } from 'react';
import { buttonClass, Field } from '@/components/field';
import { timeInputProps } from '@/components/time-input';
import { useToast } from '@/components/toast';
import { tidyTime, weekdayNames } from '@/lib/format';
import type { Hours, Profile } from '@/lib/identity/profile';
import { updateProfileAction } from './profile-actions';

/** Monday first, as people read a week; the stored weekday stays 0 = Sunday. */
const displayOrder = [1, 2, 3, 4, 5, 6, 0];

/** The hours a day gets when it is switched on without ever having had any. */
const defaultDay: Hours = { start: '09:00', end: '17:00' };

interface DayRow extends Hours {
  working: boolean;
}

// Times are sent tidied (9 → 09:00, as the field shows on leaving it; Enter saves without leaving it),
// or as typed when they are no time, so the server's message names them. Midnight at the end of the
// day is shown as 24:00 and may be typed as 00:00 too (an end of 00:00 could mean nothing else).
const startFromInput = (start: string) => tidyTime(start) ?? start;
const endFromInput = (end: string) => {
  const tidy = tidyTime(end);
  return tidy === '00:00' ? '24:00' : (tidy ?? end);
};

const inputClass =
  'block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-indigo-600 focus:ring-1 focus:ring-indigo-600 disabled:bg-slate-100 disabled:text-slate-600 aria-invalid:border-red-600 dark:border-slate-700 dark:bg-slate-900 dark:disabled:bg-slate-800 dark:disabled:text-slate-400';
const secondaryButton =
  'inline-flex items-center justify-center rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800';

/** Settings → "Profile": time zone, working hours per weekday and personal hours, saved together. */
export function ProfileSection({ email, profile, timeZones }: { email: string | null; profile: Profile; timeZones: string[] }) {
  const toast = useToast();
  const [pending, startTransition] = useTransition();
  const [timeZone, setTimeZone] = useState(profile.timeZone);
  const [days, setDays] = useState<DayRow[]>(() =>
    profile.workingHours.map((hours) => (hours ? { working: true, ...hours } : { working: false, ...defaultDay })),
  );
  const [personal, setPersonal] = useState<Hours>(profile.personalHours);
  const [errors, setErrors] = useState<Record<string, string>>({});

  // The zone in use (or just picked from the browser) is always offered, even as an alias the list lacks.
  const zoneOptions = useMemo(() => (timeZones.includes(timeZone) ? timeZones : [timeZone, ...timeZones]), [timeZones, timeZone]);

  const changeDay = (weekday: number, change: Partial<DayRow>) => setDays((rows) => rows.map((row, index) => (index === weekday ? { ...row, ...change } : row)));

  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = {
      timeZone,
      workingHours: days.map((row) => (row.working ? { start: startFromInput(row.start), end: endFromInput(row.end) } : null)),
      personalHours: { start: startFromInput(personal.start), end: endFromInput(personal.end) },
    };
    startTransition(async () => {
      try {
        const result = await updateProfileAction(input);
        if (result.ok) {
          setErrors({});
          toast('success', 'Settings saved');
        } else {
          // What was typed stays in the inputs; each message shows next to its row.
          setErrors(result.error.fields ?? {});
          toast('error', result.error.message);
        }
      } catch {
        toast('error', 'Could not save your settings (the server did not answer). Nothing was changed; please try again.');
      }
    });
  };

  const rowError = (weekday: number) => errors[`workingHours.${weekday}`];

  return (
    <section aria-labelledby="profile-heading" className="space-y-4">
      <div>
        <h2 id="profile-heading" className="text-lg font-semibold">
          Profile
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Signed in as <span data-testid="profile-email">{email ?? '—'}</span>. Days and times everywhere in Orbita are read in your time zone; tasks
          and 1:1s are planned inside your working hours, habits inside your personal hours.
        </p>
      </div>

      <form noValidate onSubmit={save} className="space-y-6" aria-busy={pending}>
        <div className="max-w-md space-y-1">
          <label htmlFor="profile-time-zone" className="block text-sm font-medium">
            Time zone
          </label>
          <div className="flex flex-wrap gap-2">
            <select
              id="profile-time-zone"
              value={timeZone}
              onChange={(event) => setTimeZone(event.target.value)}
              aria-invalid={errors.timeZone ? true : undefined}
              aria-describedby={errors.timeZone ? 'profile-time-zone-error' : undefined}
              className={`${inputClass} min-w-0 flex-1 py-2`}
            >
              {zoneOptions.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
            <button type="button" className={secondaryButton} onClick={() => setTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone)}>
              Use my browser’s time zone
            </button>
          </div>
          {errors.timeZone ? (
            <p id="profile-time-zone-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
              {errors.timeZone}
            </p>
          ) : null}
        </div>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Working hours</legend>
          <p id="working-hours-hint" className="text-xs text-slate-600 dark:text-slate-400">
            Untick a day to make it a day off. Times are 24-hour (HH:MM; ↑ and ↓ step a quarter hour); an end of 24:00 or 00:00 is midnight.
          </p>
          <div className="hidden grid-cols-[10rem_8rem_8rem] gap-x-3 text-xs font-medium text-slate-600 sm:grid dark:text-slate-400" aria-hidden="true">
            <span>Working day</span>
            <span>Start</span>
            <span>End</span>
          </div>
          <ul className="space-y-2">
            {displayOrder.map((weekday) => {
              const name = weekdayNames[weekday];
              const row = days[weekday];
              const error = rowError(weekday);
              const errorId = `working-hours-${weekday}-error`;
              return (
                <li key={weekday} data-testid={`working-hours-${name.toLowerCase()}`} className="space-y-1">
                  <div className="grid grid-cols-2 items-center gap-x-3 gap-y-1 sm:grid-cols-[10rem_8rem_8rem]">
                    <label className="col-span-2 flex items-center gap-2 text-sm sm:col-span-1">
                      <input
                        type="checkbox"
                        checked={row.working}
                        onChange={(event) => changeDay(weekday, { working: event.target.checked })}
                        className="h-4 w-4 rounded border-slate-300 text-indigo-600 dark:border-slate-600"
                      />
                      {name}
                      <span className="sr-only"> working day</span>
                    </label>
                    <label htmlFor={`working-hours-${weekday}-start`} className="sr-only">
                      {name} start
                    </label>
                    <input
                      id={`working-hours-${weekday}-start`}
                      {...timeInputProps(row.start, (start) => changeDay(weekday, { start }))}
                      disabled={!row.working}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? errorId : undefined}
                      className={inputClass}
                    />
                    <label htmlFor={`working-hours-${weekday}-end`} className="sr-only">
                      {name} end
                    </label>
                    <input
                      id={`working-hours-${weekday}-end`}
                      {...timeInputProps(row.end, (end) => changeDay(weekday, { end }), { endOfDay: true })}
                      disabled={!row.working}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? errorId : 'working-hours-hint'}
                      className={inputClass}
                    />
                  </div>
                  {error ? (
                    <p id={errorId} role="alert" className="text-sm text-red-700 dark:text-red-400">
                      {error}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {errors.workingHours ? (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {errors.workingHours}
            </p>
          ) : null}
        </fieldset>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Personal hours (habits, every day)</legend>
          <div className="grid max-w-xs grid-cols-2 gap-3">
            <Field
              label="Personal hours start"
              name="personalStart"
              {...timeInputProps(personal.start, (start) => setPersonal((hours) => ({ ...hours, start })))}
              aria-invalid={errors.personalHours ? true : undefined}
            />
            <Field
              label="Personal hours end"
              name="personalEnd"
              {...timeInputProps(personal.end, (end) => setPersonal((hours) => ({ ...hours, end })), { endOfDay: true })}
              error={errors.personalHours}
            />
          </div>
        </fieldset>

        {errors.form ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {errors.form}
          </p>
        ) : null}
        <button type="submit" className={buttonClass} disabled={pending}>
          {pending ? 'Saving…' : 'Save profile'}
        </button>
      </form>
    </section>
  );
}
