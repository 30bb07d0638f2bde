import { createHabitSchema, listHabitsSchema, logHabitSchema, updateHabitSchema } from '../../lib/habits/schemas';
import { archiveHabit, createHabit, getHabit, listCompletions, listHabits, logHabit, updateHabit } from '../../lib/habits/service';
import { defineTool, type ToolDefinition } from '../registry';
import { flag, forUpdate, idField, pageFields, toolInput } from './fields';

const habitReturns =
  'Returns the habit: id, name, description, frequency, timesPerWeek, weeklyDay (0 = Sunday, weekly habits only), durationMinutes, preferredTime, streak, bestStreak, totalDone, dueToday, doneToday, archived, archivedAt, createdAt, updatedAt (times ISO-8601 with offset).';

const idInput = toolInput({ id: idField('habit', 'habit_list') });

export const habitTools: ToolDefinition[] = [
  defineTool({
    name: 'habit_create',
    title: 'Create a habit',
    description:
      `Creates a recurring habit. Give name and either frequency (daily, weekdays, weekends, weekly) or frequency custom with timesPerWeek (or just timesPerWeek). Without either it is daily. ${habitReturns}`,
    input: toolInput({
      ...createHabitSchema.shape,
      frequency: createHabitSchema.shape.frequency.describe(
        `${createHabitSchema.shape.frequency.unwrap().description} (default daily, or custom when only timesPerWeek is given)`,
      ),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, input) => createHabit(ctx, input),
  }),
  defineTool({
    name: 'habit_list',
    title: 'List habits',
    description: `Lists the user's active habits (oldest first) with their streaks and whether each is due and done today. Returns { items: [habit…], nextCursor }.`,
    input: toolInput({
      ...listHabitsSchema.shape,
      ...pageFields,
      due: flag(listHabitsSchema.shape.due.description!),
      archived: flag(listHabitsSchema.shape.archived.description!),
    }),
    annotations: { readOnlyHint: true },
    run: (ctx, input) => listHabits(ctx, input),
  }),
  defineTool({
    name: 'habit_get',
    title: 'Show a habit',
    description: `Shows one habit by id or id prefix, with its 10 latest completions (recentCompletions: id, date, completedAt, notes). ${habitReturns}`,
    input: idInput,
    annotations: { readOnlyHint: true },
    run: (ctx, input) => getHabit(ctx, input.id),
  }),
  defineTool({
    name: 'habit_update',
    title: 'Update a habit',
    description: `Changes fields of an active habit: give the id and only the fields to change (at least one). Changing frequency/timesPerWeek recomputes the streaks. ${habitReturns}`,
    input: toolInput({
      id: idField('habit', 'habit_list'),
      ...updateHabitSchema.shape,
      description: updateHabitSchema.shape.description.describe('New free-text notes; null or "" clears them'),
      durationMinutes: forUpdate(updateHabitSchema.shape.durationMinutes),
      preferredTime: forUpdate(updateHabitSchema.shape.preferredTime),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, { id, ...changes }) => updateHabit(ctx, id, changes),
  }),
  defineTool({
    name: 'habit_log',
    title: 'Log a habit session',
    description:
      'Records that the user did the habit today (or on a back-dated date). One completion per habit per day: logging a day twice is a conflict. Returns { habit, completion: { id, date, completedAt, notes } } with the updated streaks.',
    input: toolInput({ id: idField('habit', 'habit_list'), ...logHabitSchema.shape }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, { id, ...log }) => logHabit(ctx, id, log),
  }),
  defineTool({
    name: 'habit_completions',
    title: 'List habit completions',
    description: 'Lists the logged sessions of one habit, newest first. Returns { items: [{ id, date (YYYY-MM-DD), completedAt, notes }], nextCursor }.',
    input: toolInput({ id: idField('habit', 'habit_list'), ...pageFields }),
    annotations: { readOnlyHint: true },
    run: (ctx, { id, ...page }) => listCompletions(ctx, id, page),
  }),
  defineTool({
    name: 'habit_archive',
    title: 'Archive a habit',
    description: `Archives a habit: its history is kept, it is never due again and can no longer be logged or changed. Archiving an archived habit changes nothing. ${habitReturns}`,
    input: idInput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    run: (ctx, input) => archiveHabit(ctx, input.id),
  }),
];
