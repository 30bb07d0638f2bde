import type { Metadata } from 'next';
import { allHabits, habitHeatmaps } from '@/lib/habits/heatmap';
import { describeFrequency } from '@/lib/habits/rules';
import type { HabitView } from '@/lib/habits/service';
import { sessionContext } from '@/lib/identity/session';
import { localDate } from '@/lib/time';
import { CreateHabitForm } from './create-habit-form';
import type { HabitCardData } from './habit-types';
import { HabitsBoard } from './habits-board';

export const metadata: Metadata = { title: 'Habits' };

const preferredLabel: Record<HabitView['preferredTime'], string> = {
  anytime: 'any time',
  morning: 'mornings',
  afternoon: 'afternoons',
  evening: 'evenings',
  night: 'at night',
};

export default async function HabitsPage() {
  const { ctx, user } = await sessionContext();
  const readCtx = { ...ctx, timeZone: user.timeZone };
  const habits = await allHabits(readCtx);
  const heatmaps = await habitHeatmaps(readCtx, habits);
  const cards = habits.map(
    (habit): HabitCardData => ({
      id: habit.id,
      name: habit.name,
      description: habit.description,
      frequencyLabel: describeFrequency(habit),
      preferredTime: preferredLabel[habit.preferredTime],
      durationMinutes: habit.durationMinutes,
      dueToday: habit.dueToday,
      doneToday: habit.doneToday,
      streak: habit.streak,
      bestStreak: habit.bestStreak,
      totalDone: habit.totalDone,
      archivedOn: habit.archivedAt ? habit.archivedAt.slice(0, 10) : null,
      heatmap: heatmaps.get(habit.id) ?? { cells: [], leadingBlanks: 0, doneDays: 0, dueDays: 0 },
    }),
  );

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold">Habits</h1>
        <p className="text-slate-600 dark:text-slate-400">Log what you did, keep your streaks, and see the last 12 weeks at a glance.</p>
      </div>
      <CreateHabitForm />
      <HabitsBoard active={cards.filter((c) => !c.archivedOn)} archived={cards.filter((c) => c.archivedOn)} today={localDate(ctx.now(), user.timeZone)} />
    </div>
  );
}
