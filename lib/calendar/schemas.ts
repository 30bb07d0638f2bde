import { z } from 'zod';
import { blockTypes, blockTypeSchema } from '../scheduling/schemas';
import { wholeNumberSchema } from '../shared/schemas';

/** `orbita auth exchange --code <code> [--state <s>]`, the OAuth callback route. */
export const exchangeCodeSchema = z.object({
  code: z
    .string({ message: 'code must be the authorization code from the consent page' })
    .trim()
    .min(1, 'code must not be empty: paste the authorization code from the consent page (see `orbita auth url`)'),
  state: z.string({ message: 'state must be a string' }).trim().min(1, 'state must not be empty').optional(),
});
export type ExchangeCodeInput = z.input<typeof exchangeCodeSchema>;

// ───────────── sync and calendar settings (sync.ts, settings.ts) ─────────────

/** A boolean from JSON, a query string or a flag: true/false, 1/0, yes/no. */
const looseBoolean = (field: string) =>
  z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])], { message: `${field} must be true or false` })
    .transform((value) => value === true || value === 'true' || value === '1' || value === 'yes');

/** A Google calendar id (`primary`, an email, or `…@group.calendar.google.com`). */
export const calendarIdSchema = z
  .string({ message: 'calendar must be a calendar id (see `orbita settings calendar list`)' })
  .trim()
  .min(1, 'calendar must not be empty (see `orbita settings calendar list`)')
  .max(1024, 'calendar must be at most 1024 characters')
  // It goes into Google's request URLs: text that cannot be URL-encoded (a lone surrogate) or a
  // control character is not an id, and used to fail the whole call as "Google unreachable" (503).
  .refine((id) => !/[\uD800-\uDFFF\p{Cc}]/u.test(id), 'calendar must be a calendar id without control characters (see `orbita settings calendar list`)');

export const maxReminderMinutes = 40_320; // Google's limit: four weeks
export const maxSyncDays = 90;

/** How many days from the start of today (user's zone) a sync or an import covers. */
const windowDays = (verb: 'sync' | 'import') =>
  wholeNumberSchema(1, maxSyncDays, `days must be a whole number from 1 to ${maxSyncDays}`)
    .default(7)
    .describe(`Days to ${verb} from the start of today in your time zone (1–${maxSyncDays}, default 7)`);

/** `orbita sync`, POST /api/v1/calendar/sync. */
export const syncCalendarSchema = z.object({
  days: windowDays('sync'),
  deleteMissing: looseBoolean('deleteMissing')
    .optional()
    .describe('Delete Orbita-tagged events inside the window whose block is gone (default: the stored setting, else CALENDAR_DELETE_MISSING)'),
  calendar: calendarIdSchema.optional().describe('Target calendar id (default: stored setting, else CALENDAR_ID, else primary)'),
  useConfigCalendar: looseBoolean('useConfigCalendar')
    .optional()
    .describe('false ignores the stored setting and CALENDAR_ID and targets primary (unless `calendar` is given)'),
  attendees: z
    .array(z.email({ error: (issue) => `attendee must be an email address, got ${JSON.stringify(issue.input)}` }), { message: 'attendees must be a list of email addresses' })
    .max(100, 'at most 100 attendees')
    .optional()
    .describe('Attendee emails added to every synced event'),
  reminders: z
    .array(
      z
        .number({ message: `reminder must be a whole number of minutes from 0 to ${maxReminderMinutes}` })
        .int(`reminder must be a whole number of minutes from 0 to ${maxReminderMinutes}`)
        .min(0, `reminder must be a whole number of minutes from 0 to ${maxReminderMinutes}`)
        .max(maxReminderMinutes, `reminder must be a whole number of minutes from 0 to ${maxReminderMinutes}`),
      { message: 'reminders must be a list of minutes' },
    )
    .max(5, 'at most 5 reminders (Google\'s limit)')
    .optional()
    .describe('Popup reminder overrides, minutes before the start (0–40320, at most 5)'),
});
export type SyncCalendarInput = z.input<typeof syncCalendarSchema>;

/** `orbita settings calendar list`, GET /api/v1/calendar/calendars. */
export const listCalendarsSchema = z.object({
  primaryOnly: looseBoolean('primaryOnly').optional().describe('Only the primary calendar'),
});
export type ListCalendarsInput = z.input<typeof listCalendarsSchema>;

/** `orbita settings calendar set --calendar <id>` (null or "" clears the stored calendar). */
export const setCalendarSchema = z.object({
  calendar: z
    .union([z.null(), z.literal(''), calendarIdSchema], { message: 'calendar must be a calendar id, or null to clear it' })
    .transform((value) => (value === '' ? null : value))
    .describe('Calendar id to store, or null to clear it'),
});
export type SetCalendarInput = z.input<typeof setCalendarSchema>;

/** `orbita settings calendar delete-missing set --value=true|false`. */
export const setDeleteMissingSchema = z.object({
  value: looseBoolean('value').describe('Store delete-missing on (true) or off (false)'),
});
export type SetDeleteMissingInput = z.input<typeof setDeleteMissingSchema>;

/** PUT /api/v1/calendar/settings: either field or both. */
export const updateCalendarSettingsSchema = z
  .object({
    calendar: setCalendarSchema.shape.calendar.optional(),
    delete_missing: looseBoolean('delete_missing').optional().describe('Store delete-missing on or off'),
  })
  .refine((value) => value.calendar !== undefined || value.delete_missing !== undefined, { message: 'give calendar and/or delete_missing' });
export type UpdateCalendarSettingsInput = z.input<typeof updateCalendarSettingsSchema>;

// ───────────── import (import.ts) ─────────────

/** `orbita schedule import`, POST /api/v1/calendar/import. */
export const importCalendarSchema = z.object({
  days: windowDays('import'),
  type: blockTypeSchema.describe(`Block type of the imported blocks: one of ${blockTypes.join(', ')}`),
  taggedOnly: looseBoolean('taggedOnly').optional().describe('Only events tagged by Orbita (extendedProperties.private.orbita = 1)'),
  calendar: calendarIdSchema.optional().describe('Source calendar id (default: stored setting, else CALENDAR_ID, else primary)'),
  useConfigCalendar: looseBoolean('useConfigCalendar')
    .optional()
    .describe('false ignores the stored setting and CALENDAR_ID and reads primary (unless `calendar` is given)'),
  includeAllDay: looseBoolean('includeAllDay').optional().describe('Also import all-day events (as blocks covering the local day(s))'),
});
export type ImportCalendarInput = z.input<typeof importCalendarSchema>;
