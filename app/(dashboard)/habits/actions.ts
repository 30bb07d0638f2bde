'use server';

import type { CreateHabitInput, LogHabitInput } from '@/lib/habits/schemas';
import { archiveHabit, createHabit, type HabitView, type LogResult, logHabit } from '@/lib/habits/service';
import { type ActionResult, runAction } from '../run-action';

/** Pages that show habits and their streaks. */
const habitPages = ['/today', '/habits'];

/** Logs a completion (today unless `input.date`); a second log on the same day is a conflict. */
export async function logHabitAction(habitId: string, input: LogHabitInput = {}): Promise<ActionResult<LogResult>> {
  return runAction((ctx) => logHabit(ctx, habitId, input), habitPages);
}

/** The create form as typed: every field is text. */
export interface HabitFormValues {
  name: string;
  description: string;
  frequency: string;
  timesPerWeek: string;
  durationMinutes: string;
  preferredTime: string;
}

/** A number field as the schema expects it: absent when left empty, NaN (rejected with the field's message) when not a number. */
const numberOrAbsent = (text: string) => (text.trim() === '' ? undefined : Number(text));

/** The service input for the typed form; createHabit validates it (the field errors come back in `fields`). */
function createInput(values: HabitFormValues): CreateHabitInput {
  const frequency = values.frequency as CreateHabitInput['frequency'];
  return {
    name: values.name,
    ...(values.description.trim() ? { description: values.description } : {}),
    frequency,
    // The count only belongs to custom; fixed frequencies imply theirs.
    ...(frequency === 'custom' ? { timesPerWeek: numberOrAbsent(values.timesPerWeek) } : {}),
    durationMinutes: numberOrAbsent(values.durationMinutes),
    preferredTime: values.preferredTime as CreateHabitInput['preferredTime'],
  };
}

export async function createHabitAction(values: HabitFormValues): Promise<ActionResult<HabitView>> {
  return runAction((ctx) => createHabit(ctx, createInput(values)), habitPages);
}

/** Archives a habit: its history is kept, it is never due again. */
export async function archiveHabitAction(habitId: string): Promise<ActionResult<HabitView>> {
  return runAction((ctx) => archiveHabit(ctx, habitId), habitPages);
}
