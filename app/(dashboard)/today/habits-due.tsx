'use client';

import Link from 'next/link';
import { useOptimistic, useTransition } from 'react';
import { useToast } from '@/components/toast';
import { logHabitAction } from '../habits/actions';
import { callAction } from '../call-action';

export interface DueHabit {
  id: string;
  name: string;
  durationMinutes: number;
  streak: number;
  doneToday: boolean;
}

function logged(habits: DueHabit[], id: string): DueHabit[] {
  return habits.map((h) => (h.id === id && !h.doneToday ? { ...h, doneToday: true, streak: h.streak + 1 } : h));
}

function streakText(streak: number): string {
  return streak > 0 ? `${streak}-day streak` : 'No streak yet';
}

/** Habits due today, each logged with one click (optimistic: done and streak +1 at once, rolled back on failure). */
export function HabitsDue({ habits }: { habits: DueHabit[] }) {
  const toast = useToast();
  const [shown, markLogged] = useOptimistic(habits, logged);
  const [pending, startTransition] = useTransition();

  if (!habits.length) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="habits-empty">
        No habits due today.{' '}
        <Link href="/habits" className="font-medium text-indigo-700 underline dark:text-indigo-300">
          Set up a habit
        </Link>
      </p>
    );
  }

  const log = (habit: DueHabit) =>
    startTransition(async () => {
      markLogged(habit.id);
      const result = await callAction(() => logHabitAction(habit.id));
      if (result.ok) toast('success', `Logged “${habit.name}”: ${streakText(result.data.habit.streak)}`);
      else toast('error', `Could not log “${habit.name}”: ${result.error.message}`);
    });

  return (
    <ul className="space-y-2" aria-label="Habits due today">
      {shown.map((habit) => (
        <li key={habit.id} data-testid="habit-due" className="flex items-center gap-3 rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
          <div className="min-w-0 flex-1">
            <p className="truncate font-medium">{habit.name}</p>
            <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="habit-streak">
              {habit.streak > 0 ? <span aria-hidden="true">🔥 </span> : null}
              {streakText(habit.streak)} · {habit.durationMinutes} min
            </p>
          </div>
          {habit.doneToday ? (
            <span className="shrink-0 text-sm font-semibold text-emerald-800 dark:text-emerald-300" data-testid="habit-done">
              ✓ Done today
            </span>
          ) : (
            <button
              type="button"
              disabled={pending}
              onClick={() => log(habit)}
              aria-label={`Log ${habit.name}`}
              className="shrink-0 rounded-md border border-indigo-600 px-3 py-1.5 text-sm font-semibold text-indigo-700 hover:bg-indigo-50 disabled:opacity-60 dark:border-indigo-400 dark:text-indigo-300 dark:hover:bg-indigo-950"
            >
              Log
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
