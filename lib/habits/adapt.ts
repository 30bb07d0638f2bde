import type { ServiceContext } from '../context';
import { transaction } from '../db/client';
import { userZone } from '../identity/users';
import { localDate } from '../time';
import { type AdaptWindow, adaptWindow, CompletionDays, decideHabitAdapt, type Frequency, windowStats } from './rules';
import { type AdaptHabitsInput, adaptHabitsSchema } from './schemas';
import { dateColumn, dateOf, habitRule, habitStats, recordFrequencyChanged, viewOf } from './service';

/** One habit in the adapt report. */
export interface HabitAdaptItem {
  id: string;
  name: string;
  from: Frequency;
  to: Frequency;
  changed: boolean;
  /** True when the habit had too little data to judge (see reason). */
  skipped: boolean;
  /** completions ÷ due occasions, 4 decimals; null when skipped. */
  ratio: number | null;
  completions: number;
  /** Due days in the window (custom: timesPerWeek × observed days / 7, 2 decimals). */
  dueOccasions: number;
  /** A sentence saying why, e.g. "completed 13 of 14 due days (92.8%) ≥ 85%: one more session per week". */
  reason: string;
}

export interface HabitAdaptReport {
  /** Active habits looked at (every one is listed in `habits`, skipped ones included). */
  evaluated: number;
  /** Habits whose frequency changed. */
  updated: number;
  /** Habits skipped for too little data. */
  skipped: number;
  window: AdaptWindow;
  habits: HabitAdaptItem[];
}

/**
 * Adaptive frequency for habits (SPEC §3): over the `windowDays` full local days ending yesterday,
 * ratio = completions ÷ due occasions; ≥ 0.85 → one more session per week (max 7), ≤ 0.40 → one
 * fewer (min 1). A change makes the habit custom with the new count and records
 * `habits.habit.frequency_changed` in the same transaction as the update. Archived habits are not
 * evaluated. The module gate (`adaptive-frequency`) is the calling door's job.
 */
export async function adaptHabits(ctx: ServiceContext, input: AdaptHabitsInput = {}): Promise<HabitAdaptReport> {
  const { windowDays } = adaptHabitsSchema.parse(input);
  const zone = await userZone(ctx);
  const now = ctx.now();
  const today = localDate(now, zone);
  const window = adaptWindow(today, windowDays);
  return transaction(ctx.db, async (tx) => {
    const habits = await tx.habit.findMany({ where: { userId: ctx.userId, archived: false }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    const rows = await tx.habitCompletion.findMany({
      where: { userId: ctx.userId, habitId: { in: habits.map((h) => h.id) }, localDate: { gte: dateColumn(window.from), lte: dateColumn(window.to) } },
      select: { habitId: true, localDate: true },
    });
    const earliest = await tx.habitCompletion.groupBy({ by: ['habitId'], where: { userId: ctx.userId, habitId: { in: habits.map((h) => h.id) } }, _min: { localDate: true } });
    const firstDone = new Map(earliest.map((row) => [row.habitId, row._min.localDate ? dateOf(row._min.localDate) : undefined]));
    const inWindow = new Map<string, string[]>();
    for (const row of rows) inWindow.set(row.habitId, [...(inWindow.get(row.habitId) ?? []), dateOf(row.localDate)]);
    const items: HabitAdaptItem[] = [];
    for (const habit of habits) {
      const rule = habitRule(habit, zone, firstDone.get(habit.id));
      const current = { frequency: habit.frequency, timesPerWeek: habit.timesPerWeek };
      const decision = decideHabitAdapt(current, windowStats(rule, window, new CompletionDays(inWindow.get(habit.id) ?? [])));
      items.push({
        id: habit.id,
        name: habit.name,
        from: decision.from,
        to: decision.to,
        changed: decision.changed,
        skipped: decision.skipped,
        ratio: decision.ratio,
        completions: decision.completions,
        dueOccasions: decision.dueOccasions,
        reason: decision.reason,
      });
      if (!decision.changed) continue;
      const changes = { frequency: decision.to.frequency, timesPerWeek: decision.to.timesPerWeek, weeklyDay: null, updatedAt: now };
      const history = await tx.habitCompletion.findMany({ where: { habitId: habit.id }, select: { localDate: true } });
      const { streak, bestStreak, totalDone } = habitStats({ ...habit, ...changes }, zone, today, history.map((c) => dateOf(c.localDate)));
      const updated = await tx.habit.update({ where: { id: habit.id }, data: { ...changes, streak, bestStreak, totalDone } });
      await recordFrequencyChanged(tx, ctx, await viewOf(tx, updated, zone, now), decision.from, decision.to, {
        ratio: decision.ratio,
        windowDays,
        completions: decision.completions,
        dueOccasions: decision.dueOccasions,
        reason: decision.reason,
        source: 'adapt',
      });
    }
    return {
      evaluated: items.length,
      updated: items.filter((i) => i.changed).length,
      skipped: items.filter((i) => i.skipped).length,
      window,
      habits: items,
    };
  });
}
