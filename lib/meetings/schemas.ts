import { z } from 'zod';
import { clockTimeSchema, localDateSchema, minutesSchema, pageSchema, queryBoolean, titleSchema, wholeNumberSchema } from '../shared/schemas';
import { cadences, isCadenceIssue, maxIntervalDays, minIntervalDays, resolveCadence } from './rules';

const cadenceList = cadences.join(', ');
export const cadenceSchema = z.enum(cadences, { message: `cadence must be one of ${cadenceList}` });

const intervalMessage = `intervalDays must be a whole number of days between ${minIntervalDays} and ${maxIntervalDays}`;
export const intervalDaysSchema = wholeNumberSchema(minIntervalDays, maxIntervalDays, intervalMessage);

export const meetingFields = {
  name: titleSchema('name').describe('The person (or group) you meet, 1–500 characters'),
  cadence: cadenceSchema.describe(
    `How often: one of ${cadenceList} (weekly = every 7 days, biweekly = 14, monthly = 30, custom = every intervalDays days)`,
  ),
  intervalDays: intervalDaysSchema.describe(
    `Days between meetings, ${minIntervalDays}–${maxIntervalDays}; required with cadence custom, must match a named cadence; given alone, the cadence follows it (7 weekly, 14 biweekly, 30 monthly, else custom)`,
  ),
  durationMinutes: minutesSchema('duration', 5, 480).describe('Length of the meeting in minutes, 5–480 (default 30)'),
  time: clockTimeSchema('time').describe("Preferred start time HH:MM in the user's time zone (default 10:00)"),
};

export const createMeetingSchema = z
  .object({
    name: meetingFields.name,
    cadence: meetingFields.cadence.optional(),
    intervalDays: meetingFields.intervalDays.optional(),
    durationMinutes: meetingFields.durationMinutes.default(30),
    time: meetingFields.time.optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    const resolved = resolveCadence(input);
    if (isCadenceIssue(resolved)) ctx.addIssue({ code: 'custom', path: [resolved.field], message: resolved.message });
  });
export type CreateMeetingInput = z.input<typeof createMeetingSchema>;

export const updateMeetingSchema = z
  .object({
    name: meetingFields.name.optional(),
    cadence: meetingFields.cadence.optional(),
    intervalDays: meetingFields.intervalDays.optional(),
    durationMinutes: meetingFields.durationMinutes.optional(),
    time: meetingFields.time.optional(),
  })
  .strict()
  .refine((input) => Object.keys(input).length > 0, { message: 'nothing to update: give at least one field' });
export type UpdateMeetingInput = z.input<typeof updateMeetingSchema>;

export const heldMeetingSchema = z
  .object({
    date: localDateSchema('date').optional().describe("The local date it was held, YYYY-MM-DD (default today; not in the future)"),
    time: clockTimeSchema('time').optional().describe('The local time it was held, HH:MM (default: now, or the preferred time when only date is given)'),
  })
  .strict();
export type HeldMeetingInput = z.input<typeof heldMeetingSchema>;

export const listMeetingsSchema = pageSchema
  .extend({
    archived: queryBoolean.optional().describe('Include archived meetings (default: only active ones)'),
  })
  .strict();
export type ListMeetingsInput = z.input<typeof listMeetingsSchema>;

export const meetingsDueOnSchema = localDateSchema('date');
