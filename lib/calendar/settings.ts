import { config } from '../config';
import type { ServiceContext } from '../context';
import { validationError } from '../errors';
import { authorizedClient } from './connection';
import { calendarApi, type RequestCounter, withGoogleRetry } from './google';
import {
  type ListCalendarsInput,
  listCalendarsSchema,
  type SetCalendarInput,
  setCalendarSchema,
  type SetDeleteMissingInput,
  setDeleteMissingSchema,
  type UpdateCalendarSettingsInput,
  updateCalendarSettingsSchema,
} from './schemas';

/**
 * Per-user calendar settings (SPEC §6): the target calendar and the delete-missing preference,
 * stored in user_settings, with the precedence every sync and import resolves the same way.
 * JSON keys are snake_case (the CLI's --json and the REST bodies share them).
 */

export interface CalendarView {
  id: string;
  summary: string;
  primary: boolean;
  access_role: string;
  time_zone: string | null;
}

export interface CalendarSettingsView {
  /** The stored calendar id (null: none stored). */
  calendar_id: string | null;
  /** What a sync without --calendar targets. */
  effective_calendar_id: string;
  /** Where effective_calendar_id comes from: the stored setting, CALENDAR_ID, or the default `primary`. */
  source: 'setting' | 'config' | 'default';
}

export interface DeleteMissingView {
  delete_missing: boolean;
  source: 'setting' | 'config';
}

/** Every calendar on the user's calendar list (all pages). */
export async function listCalendars(ctx: ServiceContext, input: ListCalendarsInput = {}, counter?: RequestCounter): Promise<CalendarView[]> {
  const query = listCalendarsSchema.parse(input);
  const api = calendarApi(await authorizedClient(ctx));
  const views: CalendarView[] = [];
  let pageToken: string | undefined;
  do {
    const { data } = await withGoogleRetry(() => api.calendarList.list({ maxResults: 250, pageToken, showHidden: true }), { counter });
    for (const entry of data.items ?? []) {
      if (!entry.id) continue;
      views.push({
        id: entry.id,
        summary: entry.summaryOverride ?? entry.summary ?? entry.id,
        primary: entry.primary === true,
        access_role: entry.accessRole ?? 'reader',
        time_zone: entry.timeZone ?? null,
      });
    }
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return query.primaryOnly ? views.filter((c) => c.primary) : views;
}

async function storedSettings(ctx: ServiceContext) {
  return ctx.db.userSettings.findUnique({ where: { userId: ctx.userId }, select: { calendarId: true, calendarDeleteMissing: true } });
}

function settingsView(stored: string | null): CalendarSettingsView {
  if (stored) return { calendar_id: stored, effective_calendar_id: stored, source: 'setting' };
  const configured = config().CALENDAR_ID;
  return { calendar_id: null, effective_calendar_id: configured, source: configured === 'primary' ? 'default' : 'config' };
}

export async function getCalendarSettings(ctx: ServiceContext): Promise<CalendarSettingsView> {
  return settingsView((await storedSettings(ctx))?.calendarId ?? null);
}

/**
 * Stores (or, with null / "", clears) the user's calendar. The id must be on the user's calendar
 * list (`primary` is always accepted); an unknown id is a validation error naming the command that
 * lists them.
 */
export async function setCalendar(ctx: ServiceContext, input: SetCalendarInput): Promise<CalendarSettingsView> {
  const { calendar } = setCalendarSchema.parse(input);
  if (calendar !== null && calendar !== 'primary') {
    const calendars = await listCalendars(ctx);
    if (!calendars.some((c) => c.id === calendar)) {
      throw validationError(`unknown calendar id ${JSON.stringify(calendar)}: run \`orbita settings calendar list\``, {
        issues: [{ field: 'calendar', message: 'unknown calendar id' }],
      });
    }
  }
  await ctx.db.userSettings.upsert({
    where: { userId: ctx.userId },
    create: { userId: ctx.userId, calendarId: calendar },
    update: { calendarId: calendar },
  });
  return settingsView(calendar);
}

function deleteMissingView(stored: boolean | null | undefined): DeleteMissingView {
  if (stored === true || stored === false) return { delete_missing: stored, source: 'setting' };
  return { delete_missing: config().CALENDAR_DELETE_MISSING, source: 'config' };
}

/** The stored delete-missing preference, else CALENDAR_DELETE_MISSING. */
export async function getDeleteMissing(ctx: ServiceContext): Promise<DeleteMissingView> {
  return deleteMissingView((await storedSettings(ctx))?.calendarDeleteMissing);
}

export async function setDeleteMissing(ctx: ServiceContext, input: SetDeleteMissingInput): Promise<DeleteMissingView> {
  const { value } = setDeleteMissingSchema.parse(input);
  await ctx.db.userSettings.upsert({
    where: { userId: ctx.userId },
    create: { userId: ctx.userId, calendarDeleteMissing: value },
    update: { calendarDeleteMissing: value },
  });
  return deleteMissingView(value);
}

/** Both settings in one view (GET /api/v1/calendar/settings). */
export type CombinedSettingsView = CalendarSettingsView & { delete_missing: boolean; delete_missing_source: DeleteMissingView['source'] };

export async function calendarSettings(ctx: ServiceContext): Promise<CombinedSettingsView> {
  const stored = await storedSettings(ctx);
  const dm = deleteMissingView(stored?.calendarDeleteMissing);
  return { ...settingsView(stored?.calendarId ?? null), delete_missing: dm.delete_missing, delete_missing_source: dm.source };
}

/** PUT /api/v1/calendar/settings: `calendar` (validated like setCalendar) and/or `delete_missing`. */
export async function updateCalendarSettings(ctx: ServiceContext, input: UpdateCalendarSettingsInput): Promise<CombinedSettingsView> {
  const data = updateCalendarSettingsSchema.parse(input);
  if (data.calendar !== undefined) await setCalendar(ctx, { calendar: data.calendar });
  if (data.delete_missing !== undefined) await setDeleteMissing(ctx, { value: data.delete_missing });
  return calendarSettings(ctx);
}

/**
 * The calendar a sync or import targets: `calendar` > stored setting (unless useConfigCalendar is
 * false) > CALENDAR_ID (unless useConfigCalendar is false) > `primary`.
 */
export async function resolveCalendarId(ctx: ServiceContext, input: { calendar?: string; useConfigCalendar?: boolean } = {}): Promise<string> {
  const explicit = input.calendar?.trim();
  if (explicit) return explicit;
  if (input.useConfigCalendar === false) return 'primary';
  const stored = (await storedSettings(ctx))?.calendarId;
  return stored || config().CALENDAR_ID || 'primary';
}
