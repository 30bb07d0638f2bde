import { connectionStatus } from '../../lib/calendar/connection';
import { importCalendar } from '../../lib/calendar/import';
import { importCalendarSchema, setCalendarSchema, syncCalendarSchema } from '../../lib/calendar/schemas';
import { calendarSettings, listCalendars, updateCalendarSettings } from '../../lib/calendar/settings';
import { syncCalendar } from '../../lib/calendar/sync';
import { defineTool, type ToolDefinition } from '../registry';
import { flag, noInput, toolInput } from './fields';

/**
 * Google Calendar. Connecting needs a browser (OAuth consent), so it stays with Settings and
 * `orbita auth url`; an assistant can see the connection, the calendars and the settings, sync
 * and import.
 */

const sync = syncCalendarSchema.shape;
const imports = importCalendarSchema.shape;

const settingsReturns =
  '{ calendar_id (stored, or null), effective_calendar_id (what a sync without `calendar` targets), source (setting | config | default), delete_missing, delete_missing_source (setting | config) }';

export const calendarTools: ToolDefinition[] = [
  defineTool({
    name: 'calendar_status',
    title: 'Google Calendar connection',
    description:
      'Shows whether Google Calendar is connected. Returns { connected, connection: { provider, accountEmail, status (connected | needs_reconnect), scopes, expiresAt, lastError, connectedAt, updatedAt } | null }. When not connected or needs_reconnect, tell the user to connect from Orbita\'s Settings page (or `orbita auth url`): assistants cannot connect it.',
    input: noInput(),
    annotations: { readOnlyHint: true },
    run: async (ctx) => {
      const connection = await connectionStatus(ctx);
      return { connected: connection?.status === 'connected', connection };
    },
  }),
  defineTool({
    name: 'calendar_list',
    title: 'List Google calendars',
    description:
      "Lists the calendars on the user's Google calendar list. Returns { calendars: [{ id, summary, primary, access_role, time_zone }] }. Use an id as `calendar` in calendar_sync, calendar_import or calendar_settings_set.",
    input: toolInput({ primaryOnly: flag('Only the primary calendar') }),
    annotations: { readOnlyHint: true },
    run: async (ctx, input) => ({ calendars: await listCalendars(ctx, input) }),
  }),
  defineTool({
    name: 'calendar_settings_get',
    title: 'Calendar settings',
    description: `Shows the stored calendar settings and what they resolve to. Returns ${settingsReturns}.`,
    input: noInput(),
    annotations: { readOnlyHint: true },
    run: (ctx) => calendarSettings(ctx),
  }),
  defineTool({
    name: 'calendar_settings_set',
    title: 'Change calendar settings',
    description: `Stores the calendar Orbita syncs to (checked against the user's calendar list; null clears it) and/or whether a sync deletes Orbita's events whose block is gone (delete_missing). Give at least one. Returns ${settingsReturns}.`,
    input: toolInput({
      calendar: setCalendarSchema.shape.calendar.optional(),
      delete_missing: flag('Store delete-missing on (true) or off (false): sync then deletes Orbita-created events inside the window whose block is gone'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    run: (ctx, input) => updateCalendarSettings(ctx, input),
  }),
  defineTool({
    name: 'calendar_sync',
    title: 'Sync the schedule to Google Calendar',
    description:
      "Writes the user's Orbita blocks from the start of today for `days` days to Google Calendar as events (only changed ones are written). With delete-missing in effect it also deletes Orbita-created events inside that window whose block is gone; never other events. Returns { calendar_id, window: { from, to }, created, updated, deleted, unchanged, failed, failures: [{ block_id, message }], requests, delete_missing }.",
    input: toolInput({
      days: sync.days,
      deleteMissing: flag(sync.deleteMissing.description ?? 'Delete Orbita-created events whose block is gone'),
      calendar: sync.calendar,
      useConfigCalendar: flag(sync.useConfigCalendar.description ?? 'false targets primary'),
      attendees: sync.attendees,
      reminders: sync.reminders,
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    run: (ctx, input) => syncCalendar(ctx, input),
  }),
  defineTool({
    name: 'calendar_import',
    title: 'Import Google Calendar events',
    description:
      "Imports the events from the start of today for `days` days as schedule blocks of `type` (source imported), so planning works around them. Re-importing updates those blocks; events cancelled or deleted in Google remove theirs. All-day events are skipped unless includeAllDay. Returns { calendar_id, window, created, updated, removed, skipped, unchanged, full_resync, requests, skips: [{ event_id, reason }] }.",
    input: toolInput({
      days: imports.days,
      type: imports.type,
      taggedOnly: flag(imports.taggedOnly.description ?? 'Only events created by Orbita'),
      calendar: imports.calendar,
      useConfigCalendar: flag(imports.useConfigCalendar.description ?? 'false reads primary'),
      includeAllDay: flag(imports.includeAllDay.description ?? 'Also import all-day events'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    run: (ctx, input) => importCalendar(ctx, input),
  }),
];
