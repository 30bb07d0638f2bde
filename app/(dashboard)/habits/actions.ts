'use server';

import { type LogResult, logHabit } from '@/lib/habits/service';
import type { LogHabitInput } from '@/lib/habits/schemas';
import { type ActionResult, runAction } from '../run-action';

/** Pages that show habits and their streaks. */
const habitPages = ['/today', '/habits'];

/** Logs a completion (today unless `input.date`); a second log on the same day is a conflict. */
export async function logHabitAction(habitId: string, input: LogHabitInput = {}): Promise<ActionResult<LogResult>> {
  return runAction((ctx) => logHabit(ctx, habitId, input), habitPages);
}
