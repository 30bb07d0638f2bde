import { z } from 'zod';
import { descriptionSchema, localDateSchema, minutesSchema, pageSchema, queryBoolean, titleSchema } from '../shared/schemas';
import {
  defaultDurationMinutes,
  defaultWindowDays,
  fixedTimesPerWeek,
  frequencies,
  isFrequencyIssue,
  maxBackdateDays,
  maxDurationMinutes,
  maxNotesLength,
  maxTimesPerWeek,
  maxWindowDays,
  minTimesPerWeek,
  preferredTimes,
  resolveFrequency,
} from './rules';

const frequencyList = frequencies.join(', ');
export const frequencySchema = z.enum(frequencies, { message: `frequency must be one of ${frequencyList}` });

const preferredList = preferredTimes.join(', ');
export const preferredTimeSchema = z.enum(preferredTimes, { message: `preferredTime must be one of ${preferredList}` });

const timesMessage = `timesPerWeek must be a whole number between ${minTimesPerWeek} and ${maxTimesPerWeek}`;
export const timesPerWeekSchema = z.number({ message: timesMessage }).int(timesMessage).min(minTimesPerWeek, timesMessage).max(maxTimesPerWeek, timesMessage);

export const habitFields = {
  name: titleSchema('name').describe('What the habit is, 1–500 characters'),
  description: descriptionSchema.nullable().describe('Free-text notes about the habit'),
  frequency: frequencySchema.describe(
    `How often: one of ${frequencyList}. daily = every day (7/week), weekdays = Mon–Fri (5), weekends = Sat–Sun (2), weekly = once a week on the weekday it was created (1), custom = timesPerWeek sessions on any days of a Monday-based week`,
  ),
  timesPerWeek: timesPerWeekSchema.describe(
    `Sessions per week, ${minTimesPerWeek}–${maxTimesPerWeek}: required with frequency custom; with a fixed frequency it must match (daily ${fixedTimesPerWeek.daily}, weekdays ${fixedTimesPerWeek.weekdays}, weekends ${fixedTimesPerWeek.weekends}, weekly ${fixedTimesPerWeek.weekly}); given alone it makes the habit custom`,
  ),
  durationMinutes: minutesSchema('duration', 1, maxDurationMinutes).describe(`Minutes per session, 1–${maxDurationMinutes} (default ${defaultDurationMinutes})`),
  preferredTime: preferredTimeSchema.describe(
    `When in the day it is best done: morning (06–12), afternoon (12–17), evening (17–21), night (21–24) or anytime (default), in the user's time zone`,
  ),
};

export const createHabitSchema = z
  .object({
    name: habitFields.name,
    description: habitFields.description.optional(),
    frequency: habitFields.frequency.optional(),
    timesPerWeek: habitFields.timesPerWeek.optional(),
    durationMinutes: habitFields.durationMinutes.default(defaultDurationMinutes),
    preferredTime: habitFields.preferredTime.default('anytime'),
  })
  .strict()
  .superRefine((input, ctx) => {
    const resolved = resolveFrequency(input);
    if (isFrequencyIssue(resolved)) ctx.addIssue({ code: 'custom', path: [resolved.field], message: resolved.message });
  });
export type CreateHabitInput = z.input<typeof createHabitSchema>;

export const updateHabitSchema = z
  .object({
    name: habitFields.name.optional(),
    description: habitFields.description.optional(),
    frequency: habitFields.frequency.optional(),
    timesPerWeek: habitFields.timesPerWeek.optional(),
    durationMinutes: habitFields.durationMinutes.optional(),
    preferredTime: habitFields.preferredTime.optional(),
  })
  .strict()
  .refine((input) => Object.keys(input).length > 0, { message: 'nothing to update: give at least one field' })
  .superRefine((input, ctx) => {
    // A fixed frequency with a different count is wrong whatever the habit is now; custom without a
    // count keeps the habit's current one (checked by the service).
    if (input.frequency !== undefined && input.frequency !== 'custom') {
      const resolved = resolveFrequency(input);
      if (isFrequencyIssue(resolved)) ctx.addIssue({ code: 'custom', path: [resolved.field], message: resolved.message });
    }
  });
export type UpdateHabitInput = z.input<typeof updateHabitSchema>;

export const notesSchema = z
  .string({ message: 'notes must be text' })
  .trim()
  .max(maxNotesLength, `notes must be at most ${maxNotesLength} characters`);

export const logHabitSchema = z
  .object({
    notes: notesSchema.optional().describe(`Notes about this session, at most ${maxNotesLength} characters`),
    date: localDateSchema('date')
      .optional()
      .describe(`The local date (YYYY-MM-DD) it was done, to back-date a completion: not in the future, at most ${maxBackdateDays} days ago (default today)`),
  })
  .strict();
export type LogHabitInput = z.input<typeof logHabitSchema>;

export const listHabitsSchema = pageSchema
  .extend({
    due: queryBoolean.optional().describe("Only habits due today in the user's time zone (archived habits are never due)"),
    archived: queryBoolean.optional().describe('Include archived habits (default: only active ones)'),
  })
  .strict();
export type ListHabitsInput = z.input<typeof listHabitsSchema>;

export const listCompletionsSchema = pageSchema.strict();
export type ListCompletionsInput = z.input<typeof listCompletionsSchema>;

const windowMessage = `windowDays must be a whole number of days between 1 and ${maxWindowDays}`;
export const adaptHabitsSchema = z
  .object({
    windowDays: z.coerce
      .number({ message: windowMessage })
      .int(windowMessage)
      .min(1, windowMessage)
      .max(maxWindowDays, windowMessage)
      .default(defaultWindowDays)
      .describe(`How many full days to look back, ending yesterday (1–${maxWindowDays}, default ${defaultWindowDays})`),
  })
  .strict();
export type AdaptHabitsInput = z.input<typeof adaptHabitsSchema>;
