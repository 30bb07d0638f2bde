import type { Heatmap } from '@/lib/habits/heatmap';

/** One habit as the Habits page shows it (computed on the server; plain data for the client). */
export interface HabitCardData {
  id: string;
  name: string;
  description: string | null;
  /** "daily", "weekly (Wed)", "custom 3/wk", … */
  frequencyLabel: string;
  preferredTime: string;
  durationMinutes: number;
  dueToday: boolean;
  doneToday: boolean;
  streak: number;
  bestStreak: number;
  totalDone: number;
  /** The local archive date, null while active. */
  archivedOn: string | null;
  heatmap: Heatmap;
}

export interface HabitLists {
  active: HabitCardData[];
  archived: HabitCardData[];
}

/** A change shown before the server confirms it (rolled back when the action fails). */
export type OptimisticChange = { kind: 'log'; id: string; date: string; today: string } | { kind: 'archive'; id: string; today: string };

/** The day `date` marked done in a habit's heat map (and, for today, its streaks). A day already done is left as it is. */
function withLog(habit: HabitCardData, date: string, today: string): HabitCardData {
  const cell = habit.heatmap.cells.find((c) => c.date === date);
  if (cell?.state === 'done' || (date === today && habit.doneToday)) return habit;
  const heatmap = cell
    ? {
        ...habit.heatmap,
        cells: habit.heatmap.cells.map((c) => (c.date === date ? { ...c, state: 'done' as const } : c)),
        doneDays: habit.heatmap.doneDays + 1,
        dueDays: habit.heatmap.dueDays + (cell.state === 'not-due' ? 1 : 0),
      }
    : habit.heatmap;
  // Logging today always extends the current run by one (a missed day would already have reset it).
  const streak = date === today ? habit.streak + 1 : habit.streak;
  return { ...habit, heatmap, doneToday: habit.doneToday || date === today, streak, bestStreak: Math.max(habit.bestStreak, streak), totalDone: habit.totalDone + 1 };
}

export function applyChange(lists: HabitLists, change: OptimisticChange): HabitLists {
  if (change.kind === 'log') {
    return { ...lists, active: lists.active.map((h) => (h.id === change.id ? withLog(h, change.date, change.today) : h)) };
  }
  const habit = lists.active.find((h) => h.id === change.id);
  if (!habit) return lists;
  return {
    active: lists.active.filter((h) => h.id !== change.id),
    archived: [...lists.archived, { ...habit, archivedOn: change.today, dueToday: false }],
  };
}
