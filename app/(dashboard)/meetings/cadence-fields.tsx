import { Field } from '@/components/field';
import type { CadenceName } from '@/lib/meetings/rules';

// The rules module is not imported for values: it would pull the date library into the client bundle.
const cadenceChoices: { value: CadenceName; label: string }[] = [
  { value: 'weekly', label: 'Weekly' },
  { value: 'biweekly', label: 'Every 2 weeks' },
  { value: 'monthly', label: 'Monthly (every 30 days)' },
  { value: 'custom', label: 'Custom interval' },
];

/** "Weekly", "Every 2 weeks", "Monthly (every 30 days)" or "Every 21 days". */
export function cadenceText(cadence: CadenceName, intervalDays: number): string {
  if (cadence === 'custom') return intervalDays === 1 ? 'Every day' : `Every ${intervalDays} days`;
  return cadenceChoices.find((choice) => choice.value === cadence)?.label ?? cadence;
}

/** The days each named cadence stands for (SPEC §4), for showing the next occurrence before the server answers. */
export const namedIntervals: Record<Exclude<CadenceName, 'custom'>, number> = { weekly: 7, biweekly: 14, monthly: 30 };

/**
 * A cadence picker and, for a custom cadence, the number of days between meetings, each with its
 * validation message under it. `idPrefix` keeps ids unique when several rows edit at once.
 */
export function CadenceFields({
  idPrefix,
  cadence,
  intervalDays,
  onCadence,
  onIntervalDays,
  errors,
}: {
  idPrefix: string;
  cadence: CadenceName;
  intervalDays: string;
  onCadence: (cadence: CadenceName) => void;
  onIntervalDays: (text: string) => void;
  errors: Record<string, string>;
}) {
  const id = `${idPrefix}-cadence`;
  return (
    <>
      <div className="space-y-1">
        <label htmlFor={id} className="block text-sm font-medium">
          Cadence
        </label>
        <select
          id={id}
          name="cadence"
          value={cadence}
          onChange={(event) => onCadence(event.target.value as CadenceName)}
          aria-invalid={errors.cadence ? true : undefined}
          aria-describedby={errors.cadence ? `${id}-error` : undefined}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-600 focus:ring-1 focus:ring-indigo-600 aria-invalid:border-red-600 dark:border-slate-700 dark:bg-slate-900"
        >
          {cadenceChoices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        {errors.cadence ? (
          <p id={`${id}-error`} role="alert" className="text-sm text-red-700 dark:text-red-400">
            {errors.cadence}
          </p>
        ) : null}
      </div>
      {cadence === 'custom' ? (
        <Field
          id={`${idPrefix}-interval`}
          label="Every how many days"
          name="intervalDays"
          inputMode="numeric"
          value={intervalDays}
          onChange={(event) => onIntervalDays(event.target.value)}
          error={errors.intervalDays}
          hint="1–365"
        />
      ) : null}
    </>
  );
}
