import type { Operation } from '../http/openapi';
import { importCalendarSchema, listCalendarsSchema, syncCalendarSchema, updateCalendarSettingsSchema } from './schemas';

/** The Google Calendar part of REST v1, for the OpenAPI document. */
export const calendarOperations: Operation[] = [
  {
    method: 'post',
    path: '/calendar/sync',
    tag: 'calendar',
    upstream: 'Google Calendar',
    summary: 'Sync your Orbita blocks of the next `days` days to Google Calendar (only changed blocks are written; delete-missing removes Orbita events in the window whose block is gone)',
    body: syncCalendarSchema,
    returns: '`{ calendar_id, window: { from, to }, created, updated, deleted, unchanged, failed, failures: [{ block_id, message }], requests, delete_missing }`',
  },
  {
    method: 'post',
    path: '/calendar/import',
    tag: 'calendar',
    upstream: 'Google Calendar',
    summary: 'Import the events of the next `days` days as blocks of a type (source imported; incremental with sync tokens)',
    body: importCalendarSchema,
    returns: '`{ calendar_id, window: { from, to }, created, updated, removed, skipped, unchanged, full_resync, requests, skips: [{ event_id, reason }] }`',
  },
  {
    method: 'get',
    path: '/calendar/calendars',
    tag: 'calendar',
    upstream: 'Google Calendar',
    summary: 'The calendars of the connected Google account',
    query: listCalendarsSchema,
    returns: '`[{ id, summary, primary, access_role, time_zone }]`',
  },
  {
    method: 'get',
    path: '/calendar/settings',
    tag: 'calendar',
    summary: 'Your stored calendar, the calendar a sync targets, and delete-missing',
    returns: '`{ calendar_id, effective_calendar_id, source, delete_missing, delete_missing_source }`',
  },
  {
    method: 'put',
    path: '/calendar/settings',
    tag: 'calendar',
    upstream: 'Google Calendar',
    summary: 'Store the calendar (checked against your calendar list; null clears it) and/or delete-missing',
    body: updateCalendarSettingsSchema,
    returns: '`{ calendar_id, effective_calendar_id, source, delete_missing, delete_missing_source }`',
  },
];
