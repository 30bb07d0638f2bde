'use client';

import { type FormEvent, useId, useOptimistic, useState, useTransition } from 'react';
import { useToast } from '@/components/toast';
import { formatDate } from '@/lib/format';
import { callAction } from '../call-action';
import { archiveHabitAction, logHabitAction } from './actions';
import { HeatmapGrid, HeatmapLegend } from './heatmap-grid';
import { applyChange, type HabitCardData, type HabitLists, type OptimisticChange } from './habit-types';

type Apply = (change: OptimisticChange) => void;

const smallButton =
  'inline-flex items-center justify-center rounded-md px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-60';

/** The active habits (log, back-date, archive) and, collapsed, the archived ones. Changes show at once and roll back on an error. */
export function HabitsBoard({ active, archived, today }: HabitLists & { today: string }) {
  const [lists, apply] = useOptimistic<HabitLists, OptimisticChange>({ active, archived }, applyChange);
  return (
    <div className="space-y-6">
      <section aria-labelledby="active-heading" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <h2 id="active-heading" className="text-lg font-semibold">
            Your habits
          </h2>
          <HeatmapLegend />
        </div>
        {lists.active.length === 0 ? (
          <div className="rounded-xl border border-dashed border-slate-300 p-8 text-center dark:border-slate-700" data-testid="habits-empty">
            <p className="font-medium">{lists.archived.length ? 'No active habits.' : 'No habits yet.'}</p>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Start small: <a href="#field-name" className="font-medium text-indigo-700 underline dark:text-indigo-300">create a habit</a> you can do in a few minutes, then log it here every day it is done.
            </p>
          </div>
        ) : (
          <ul className="space-y-3" aria-label="Active habits">
            {lists.active.map((habit) => (
              <HabitCard key={habit.id} habit={habit} today={today} apply={apply} />
            ))}
          </ul>
        )}
      </section>
      {lists.archived.length ? (
        <details className="group rounded-lg border border-slate-200 dark:border-slate-800" data-testid="archived-habits">
          <summary className="cursor-pointer px-4 py-3 font-semibold">Archived ({lists.archived.length})</summary>
          <ul className="space-y-3 px-4 pb-4" aria-label="Archived habits">
            {lists.archived.map((habit) => (
              <li key={habit.id} className="flex flex-col gap-3 border-t border-slate-100 pt-3 sm:flex-row sm:items-start sm:justify-between dark:border-slate-800">
                <div className="min-w-0 space-y-1">
                  <h3 className="font-medium break-words">{habit.name}</h3>
                  <p className="text-sm text-slate-600 dark:text-slate-400">
                    {habit.frequencyLabel} · archived {habit.archivedOn ? formatDate(habit.archivedOn, today) : ''} · best streak {habit.bestStreak} · done {habit.totalDone} times
                  </p>
                </div>
                <HeatmapGrid name={habit.name} heatmap={habit.heatmap} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function HabitCard({ habit, today, apply }: { habit: HabitCardData; today: string; apply: Apply }) {
  const toast = useToast();
  const [pending, startTransition] = useTransition();
  const [backdate, setBackdate] = useState('');
  const [backdateError, setBackdateError] = useState<string | null>(null);
  const dateId = useId();

  function log(date: string | null) {
    startTransition(async () => {
      apply({ kind: 'log', id: habit.id, date: date ?? today, today });
      const result = await callAction(() => logHabitAction(habit.id, date ? { date } : {}));
      if (result.ok) {
        setBackdateError(null);
        if (date) setBackdate('');
        toast('success', date ? `Logged “${habit.name}” for ${formatDate(date, today)}.` : `Logged “${habit.name}” for today: streak ${result.data.habit.streak}.`);
      } else {
        if (date) setBackdateError(result.error.fields?.date ?? result.error.message);
        toast('error', `${habit.name}: ${result.error.message}`);
      }
    });
  }

  function archive() {
    startTransition(async () => {
      apply({ kind: 'archive', id: habit.id, today });
      const result = await callAction(() => archiveHabitAction(habit.id));
      if (result.ok) toast('success', `Archived “${habit.name}”. Its history is kept under Archived.`);
      else toast('error', `${habit.name}: ${result.error.message}`);
    });
  }

  function submitBackdate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    log(backdate);
  }

  const status = habit.doneToday ? 'Done today' : habit.dueToday ? 'Due today' : 'Not due today';
  const statusClass = habit.doneToday
    ? 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100'
    : habit.dueToday
      ? 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100'
      : 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200';

  return (
    <li
      className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:flex-row sm:items-start sm:justify-between dark:border-slate-800 dark:bg-slate-900"
      data-testid="habit-card"
    >
      <div className="min-w-0 space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <h3 className="font-semibold break-words">
            {habit.name}
          </h3>
          <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${statusClass}`} data-testid="habit-status">
            {status}
          </span>
        </div>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {habit.frequencyLabel} · {habit.preferredTime} · {habit.durationMinutes} min
        </p>
        {habit.description ? <p className="text-sm break-words">{habit.description}</p> : null}
        <p className="text-sm">
          Streak <strong data-testid="habit-streak">{habit.streak}</strong> · best <strong data-testid="habit-best">{habit.bestStreak}</strong> · done{' '}
          {habit.totalDone} {habit.totalDone === 1 ? 'time' : 'times'}
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="button"
            onClick={() => log(null)}
            disabled={pending || habit.doneToday}
            aria-label={habit.doneToday ? `${habit.name} is logged for today` : `Log ${habit.name} for today`}
            className={`${smallButton} bg-indigo-600 text-white hover:bg-indigo-700`}
          >
            {habit.doneToday ? 'Logged today' : 'Log today'}
          </button>
          <button
            type="button"
            onClick={archive}
            disabled={pending}
            aria-label={`Archive ${habit.name}`}
            className={`${smallButton} border border-slate-300 text-slate-800 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800`}
          >
            Archive
          </button>
        </div>
        <details className="text-sm" open={backdateError ? true : undefined}>
          <summary className="cursor-pointer text-slate-700 dark:text-slate-300">Log another day</summary>
          <form onSubmit={submitBackdate} noValidate className="mt-2 flex flex-wrap items-start gap-2">
            <div className="space-y-1">
              <label htmlFor={dateId} className="sr-only">
                Day {habit.name} was done
              </label>
              <input
                id={dateId}
                type="date"
                value={backdate}
                max={today}
                onChange={(event) => setBackdate(event.target.value)}
                aria-invalid={backdateError ? true : undefined}
                aria-describedby={backdateError ? `${dateId}-error` : undefined}
                className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm aria-invalid:border-red-600 dark:border-slate-700 dark:bg-slate-900"
              />
              {backdateError ? (
                <p id={`${dateId}-error`} role="alert" className="text-sm text-red-700 dark:text-red-400">
                  {backdateError}
                </p>
              ) : null}
            </div>
            <button
              type="submit"
              disabled={pending}
              aria-label={`Log ${habit.name} for the chosen day`}
              className={`${smallButton} border border-slate-300 text-slate-800 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800`}
            >
              Log day
            </button>
          </form>
        </details>
      </div>
      <HeatmapGrid name={habit.name} heatmap={habit.heatmap} />
    </li>
  );
}
