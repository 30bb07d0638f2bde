'use server';

import { revalidatePath } from 'next/cache';
import { calendarConfigured, calendarErrorMessages, isCalendarErrorCode, missingCalendarSettings } from '@/app/api/calendar/oauth/shared';
import { connectionStatus, disconnect } from '@/lib/calendar/connection';
import { getCalendarSettings, getDeleteMissing, listCalendars, setCalendar, setDeleteMissing } from '@/lib/calendar/settings';
import { syncCalendar } from '@/lib/calendar/sync';
import { config } from '@/lib/config';
import { toAppError } from '@/lib/http/errors';
import { sessionContext } from '@/lib/identity/session';
import { logger } from '@/lib/logger';

/** Server side of Settings → "Google Calendar": what the section shows, and its actions. */

export interface CalendarOption {
  id: string;
  summary: string;
  primary: boolean;
  writable: boolean;
}

export interface CalendarSectionData {
  /** OAuth and the encryption key are configured on this server. */
  configured: boolean;
  /** The environment variables still to set when not configured. */
  missing: string[];
  connection: { accountEmail: string | null; status: 'connected' | 'needs_reconnect'; lastError: string | null; connectedAt: string } | null;
  /** The user's calendars (null when they could not be listed: see calendarsError). */
  calendars: CalendarOption[] | null;
  calendarsError: string | null;
  /** The stored choice (null: the default). */
  calendarId: string | null;
  /** What a sync writes to now, and where that comes from. */
  effectiveCalendarId: string;
  calendarSource: 'setting' | 'config' | 'default';
  /** What "Default" means on this server (CALENDAR_ID or primary). */
  defaultCalendarId: string;
  deleteMissing: boolean;
  deleteMissingSource: 'setting' | 'config';
  /** The outcome of the OAuth round trip (from the callback's redirect). */
  flash: { tone: 'success' | 'error'; text: string } | null;
}

export interface CalendarActionResult {
  ok: boolean;
  message: string;
}

export interface SyncCounts {
  calendarId: string;
  from: string;
  to: string;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
  failures: { blockId: string; message: string }[];
}

export type SyncActionResult = { ok: true; message: string; counts: SyncCounts } | { ok: false; message: string; counts: null };

/** A sentence for the dashboard: domain messages, minus the CLI's "run `orbita …`" hints. */
function readable(error: unknown, what: string): string {
  const appError = toAppError(error);
  if (!appError) {
    logger.error({ err: error }, `google calendar: ${what} failed`);
    return `Could not ${what}: something went wrong on our side (details are in the server log).`;
  }
  if (appError.code === 'unauthorized' && /reconnect/i.test(appError.message)) {
    return 'Google Calendar needs to be reconnected: Google no longer accepts the stored sign-in. Use “Reconnect Google Calendar”.';
  }
  if (appError.code === 'not_found' && /connection/i.test(appError.message)) return 'Google Calendar is not connected.';
  if (appError.code === 'rate_limited') return `Could not ${what}: Google is limiting requests right now. Try again in a minute.`;
  const message = appError.message.replace(/[:;,]?\s*(run|use|see)\s+`orbita[^`]*`.*$/s, '').trim();
  return `Could not ${what}: ${message || appError.code.replace('_', ' ')}.`.replace(/\.\.$/, '.');
}

const flashFor = (params: Record<string, string | string[] | undefined>): CalendarSectionData['flash'] => {
  if (params.calendar === 'connected') return { tone: 'success', text: 'Google Calendar connected.' };
  const code = params.calendar_error;
  if (typeof code === 'string') {
    return { tone: 'error', text: isCalendarErrorCode(code) ? calendarErrorMessages[code] : 'Google Calendar was not connected. Try connecting again.' };
  }
  return null;
};

/** Everything the section renders, for the signed-in user. Google errors become calendarsError, never a failed page. */
export async function loadCalendarSection(params: Record<string, string | string[] | undefined> = {}): Promise<CalendarSectionData> {
  const ctx = (await sessionContext()).ctx;
  const c = config();
  const data: CalendarSectionData = {
    configured: calendarConfigured(c),
    missing: missingCalendarSettings(c),
    connection: null,
    calendars: null,
    calendarsError: null,
    calendarId: null,
    effectiveCalendarId: c.CALENDAR_ID,
    calendarSource: c.CALENDAR_ID === 'primary' ? 'default' : 'config',
    defaultCalendarId: c.CALENDAR_ID,
    deleteMissing: c.CALENDAR_DELETE_MISSING,
    deleteMissingSource: 'config',
    flash: flashFor(params),
  };
  const connection = await connectionStatus(ctx);
  if (!connection) return data;
  data.connection = { accountEmail: connection.accountEmail, status: connection.status, lastError: connection.lastError, connectedAt: connection.connectedAt };
  const [settings, deleteMissing] = await Promise.all([getCalendarSettings(ctx), getDeleteMissing(ctx)]);
  Object.assign(data, {
    calendarId: settings.calendar_id,
    effectiveCalendarId: settings.effective_calendar_id,
    calendarSource: settings.source,
    deleteMissing: deleteMissing.delete_missing,
    deleteMissingSource: deleteMissing.source,
  });
  if (connection.status !== 'connected' || !data.configured) return data;
  try {
    const calendars = await listCalendars(ctx, {});
    data.calendars = calendars.map((cal) => ({
      id: cal.id,
      summary: cal.summary || cal.id,
      primary: cal.primary,
      writable: cal.access_role === 'owner' || cal.access_role === 'writer',
    }));
  } catch (error) {
    data.calendarsError = readable(error, 'list your calendars');
    // Listing may have discovered that the connection needs reconnecting.
    const after = await connectionStatus(ctx).catch(() => null);
    if (after && data.connection && after.status !== data.connection.status) data.connection = { ...data.connection, status: after.status, lastError: after.lastError };
  }
  return data;
}

/** The calendar synced blocks go to; '' (or null) returns to the default. */
export async function saveCalendarAction(calendar: string | null): Promise<CalendarActionResult> {
  const ctx = (await sessionContext()).ctx; // outside the try: without a session it redirects to sign-in
  try {
    const saved = await setCalendar(ctx, { calendar: calendar ? calendar : null });
    revalidatePath('/settings');
    return {
      ok: true,
      message: saved.calendar_id ? `Saved: blocks sync to ${saved.calendar_id}.` : `Saved: blocks sync to the default calendar (${saved.effective_calendar_id}).`,
    };
  } catch (error) {
    return { ok: false, message: readable(error, 'save the calendar') };
  }
}

export async function saveDeleteMissingAction(value: boolean): Promise<CalendarActionResult> {
  const ctx = (await sessionContext()).ctx; // outside the try: without a session it redirects to sign-in
  try {
    const saved = await setDeleteMissing(ctx, { value: value === true });
    revalidatePath('/settings');
    return {
      ok: true,
      message: saved.delete_missing
        ? 'Saved: syncing deletes Orbita’s events whose block is gone.'
        : 'Saved: syncing never deletes events from Google Calendar.',
    };
  } catch (error) {
    return { ok: false, message: readable(error, 'save the delete-missing setting') };
  }
}

/** "Sync now": the next 7 days with the stored settings, like `orbita sync`. */
export async function syncNowAction(): Promise<SyncActionResult> {
  const ctx = (await sessionContext()).ctx; // outside the try: without a session it redirects to sign-in
  try {
    const result = await syncCalendar(ctx, { days: 7 }, {});
    const counts: SyncCounts = {
      calendarId: result.calendar_id,
      from: String(result.window.from),
      to: String(result.window.to),
      created: result.created,
      updated: result.updated,
      deleted: result.deleted,
      unchanged: result.unchanged,
      failed: result.failed,
      failures: result.failures.map((f) => ({ blockId: f.block_id, message: f.message })),
    };
    return { ok: true, message: `Synced the next 7 days to ${counts.calendarId}.`, counts };
  } catch (error) {
    return { ok: false, message: readable(error, 'sync'), counts: null };
  } finally {
    // A failed refresh marks the connection "needs reconnect": the banner (layout) and the section show it.
    revalidatePath('/', 'layout');
  }
}

export async function disconnectAction(): Promise<CalendarActionResult> {
  const ctx = (await sessionContext()).ctx; // outside the try: without a session it redirects to sign-in
  try {
    const { disconnected } = await disconnect(ctx);
    revalidatePath('/', 'layout');
    return { ok: true, message: disconnected ? 'Google Calendar disconnected. Events already in Google stay there.' : 'Google Calendar was not connected.' };
  } catch (error) {
    return { ok: false, message: readable(error, 'disconnect') };
  }
}
