import { createHash } from 'node:crypto';
import type { OAuth2Client } from 'google-auth-library';
import type { ServiceContext } from '../context';
import { AppError, validationError } from '../errors';
import type { ScheduleBlock } from '../generated/prisma/client';
import { userZone } from '../identity/users';
import { logger } from '../logger';
import { calendarSyncEvents, calendarSyncFailures, calendarSyncs } from '../metrics';
import { type BlockView, removeBlock } from '../scheduling/blocks';
import { addDays, localDate, localDayBounds, toZonedIso } from '../time';
import { authorizedClient } from './connection';
import { type calendar_v3, calendarApi, type CalendarApi, type GoogleRetryOptions, googleStatus, isFatalGoogleError, type RequestCounter, withGoogleRetry } from './google';
import { type SyncCalendarInput, syncCalendarSchema } from './schemas';
import { getDeleteMissing, resolveCalendarId } from './settings';

/**
 * Sync of Orbita blocks to Google Calendar events (SPEC §6).
 *
 * - Window: from the start of today in the user's zone, `days` local days long. A block or event
 *   belongs to the window when it *starts* inside it.
 * - Every Orbita block in the window (planned, completed or missed) becomes the event whose id is
 *   the block id without hyphens, tagged `extendedProperties.private = { orbita: '1',
 *   orbita_block_id, orbita_user_id }`. Imported blocks are never written back.
 * - A content hash of the event body (title, times, zone, status, attendees, reminders) and the
 *   target calendar is kept in `synced_hash`: a block whose hash and calendar are unchanged costs
 *   no request. A block last synced to another calendar counts as not synced on the new one (its
 *   old event is left where it is).
 * - Insert answering 409 (the id exists) → update; update answering 404/410 → insert. An insert
 *   answering 404 means the calendar does not exist: the whole sync stops with a validation error.
 * - Delete-missing (flag > stored setting > CALENDAR_DELETE_MISSING) lists the Orbita-tagged events
 *   in the window and deletes those whose block is not an Orbita block of this user in the window;
 *   untagged events, events outside the window and events tagged with another user's
 *   orbita_user_id are never touched. The sync fields of a block
 *   whose event was deleted (a block moved out of the window) are cleared.
 * - At most 4 requests in flight, each through withGoogleRetry. A 4xx (or exhausted 5xx / rate
 *   limit) on one event is counted in `failed` with its message and the sync goes on; only auth
 *   failures (401, needs reconnect) and an unreachable Google stop the whole sync.
 */

export interface SyncFailure {
  block_id: string;
  message: string;
}

export interface SyncResult {
  calendar_id: string;
  window: { from: string; to: string };
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
  failures: SyncFailure[];
  /** HTTP requests made to the Calendar API during this sync (retries included; token refreshes not). */
  requests: number;
  /** Whether delete-missing was in effect. */
  delete_missing: boolean;
}

export interface SyncOptions {
  onProgress?: (done: number, total: number) => void;
  /** Retry tuning (tests shorten the backoff). */
  retry?: Omit<GoogleRetryOptions, 'counter'>;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
}

export const syncConcurrency = 4;

/** The Google event id of a block: its uuid without hyphens (base32hex-safe: 0-9a-f, 32 chars). */
export const eventIdOf = (blockId: string) => blockId.replace(/-/g, '').toLowerCase();

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** JSON with object keys sorted at every level: the same content always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const contentHash = (calendarId: string, body: calendar_v3.Schema$Event) =>
  createHash('sha256').update(canonicalJson({ calendarId, body })).digest('hex');

export interface EventExtras {
  attendees?: string[];
  reminders?: number[];
}

/** The event a block becomes (what insert and update send). */
export function eventBody(block: Pick<ScheduleBlock, 'id' | 'userId' | 'title' | 'type' | 'status' | 'startAt' | 'endAt'>, zone: string, extras: EventExtras = {}): calendar_v3.Schema$Event {
  const attendees = [...new Map((extras.attendees ?? []).map((email) => [email.toLowerCase(), email])).values()];
  const reminders = [...new Set(extras.reminders ?? [])].sort((a, b) => a - b);
  return {
    id: eventIdOf(block.id),
    summary: block.title,
    description: `Planned by Orbita (${block.type} block, ${block.status})`,
    start: { dateTime: toZonedIso(block.startAt, zone), timeZone: zone },
    end: { dateTime: toZonedIso(block.endAt, zone), timeZone: zone },
    status: 'confirmed',
    // orbita_user_id (beyond the contract's two keys) keeps delete-missing off another Orbita user's events on a shared calendar.
    extendedProperties: { private: { orbita: '1', orbita_block_id: block.id, orbita_user_id: block.userId } },
    ...(attendees.length ? { attendees: attendees.map((email) => ({ email })) } : {}),
    ...(reminders.length ? { reminders: { useDefault: false, overrides: reminders.map((minutes) => ({ method: 'popup', minutes })) } } : {}),
  };
}

/** The sync window: the start of today in `zone` and the end of the `days`-th local day. */
export function syncWindow(now: Date, zone: string, days: number): { from: Date; to: Date } {
  const today = localDate(now, zone);
  return { from: localDayBounds(today, zone).start, to: localDayBounds(addDays(today, days - 1), zone).end };
}

const unknownCalendar = (calendarId: string) =>
  validationError(`unknown calendar id ${JSON.stringify(calendarId)}: run \`orbita settings calendar list\``, {
    issues: [{ field: 'calendar', message: 'unknown calendar id' }],
  });

/** Runs `worker` over `items` with at most `limit` in flight; the first fatal error stops new work and is rethrown. */
async function pool<T>(items: T[], limit: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let fatal: unknown = null;
  const lane = async () => {
    while (fatal === null && next < items.length) {
      const item = items[next++];
      try {
        await worker(item);
      } catch (error) {
        fatal ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (fatal !== null) throw fatal;
}

const failureMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Every Orbita-tagged event on `calendarId` in [from, to) (all pages), by event id. */
async function listTaggedEvents(
  api: CalendarApi,
  calendarId: string,
  window: { from: Date; to: Date },
  call: <R>(fn: () => Promise<R>) => Promise<R>,
): Promise<calendar_v3.Schema$Event[]> {
  const events: calendar_v3.Schema$Event[] = [];
  let pageToken: string | undefined;
  do {
    const { data } = await call(() =>
      api.events.list({
        calendarId,
        privateExtendedProperty: ['orbita=1'],
        timeMin: window.from.toISOString(),
        timeMax: window.to.toISOString(),
        showDeleted: false,
        maxResults: 2500,
        pageToken,
      }),
    );
    events.push(...(data.items ?? []));
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return events;
}

/** The start instant of an event (timed events only; all-day events are never Orbita's). */
function eventStart(event: calendar_v3.Schema$Event): Date | null {
  const text = event.start?.dateTime;
  if (!text) return null;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * Pushes the user's Orbita blocks in the window to their calendar. See the module comment. Counted
 * in orbita_calendar_sync_total / orbita_calendar_sync_failures_total{reason} (a sync that stopped:
 * its error code; one that finished with failed events: "events_failed").
 */
export async function syncCalendar(ctx: ServiceContext, input: SyncCalendarInput = {}, options: SyncOptions = {}): Promise<SyncResult> {
  let result: SyncResult;
  try {
    result = await runSync(ctx, input, options);
  } catch (error) {
    calendarSyncs.inc();
    calendarSyncFailures.inc({ reason: error instanceof AppError ? error.code : (error as Error)?.name === 'ZodError' ? 'validation_error' : 'error' });
    throw error;
  }
  calendarSyncs.inc();
  if (result.failed) calendarSyncFailures.inc({ reason: 'events_failed' });
  for (const outcome of ['created', 'updated', 'deleted', 'unchanged', 'failed'] as const) {
    if (result[outcome]) calendarSyncEvents.inc({ outcome }, result[outcome]);
  }
  return result;
}

async function runSync(ctx: ServiceContext, input: SyncCalendarInput, options: SyncOptions): Promise<SyncResult> {
  const data = syncCalendarSchema.parse(input);
  const zone = await userZone({ ...ctx, timeZone: undefined });
  const calendarId = await resolveCalendarId(ctx, { calendar: data.calendar, useConfigCalendar: data.useConfigCalendar });
  const deleteMissing = data.deleteMissing ?? (await getDeleteMissing(ctx)).delete_missing;
  const now = ctx.now();
  const window = syncWindow(now, zone, data.days);
  const auth: OAuth2Client = await authorizedClient(ctx); // fails the sync when not connected / needs reconnect
  const api = calendarApi(auth);
  const counter: RequestCounter = { requests: 0 };
  const call = <R>(fn: () => Promise<R>) => withGoogleRetry(fn, { ...options.retry, counter });

  const result: SyncResult = {
    calendar_id: calendarId,
    window: { from: toZonedIso(window.from, zone), to: toZonedIso(window.to, zone) },
    created: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    failed: 0,
    failures: [],
    requests: 0,
    delete_missing: deleteMissing,
  };

  const blocks = await ctx.db.scheduleBlock.findMany({
    where: { userId: ctx.userId, source: 'orbita', startAt: { gte: window.from, lt: window.to } },
    orderBy: [{ startAt: 'asc' }, { id: 'asc' }],
  });
  const inWindow = new Set(blocks.map((b) => b.id));

  // Delete-missing needs the remote list first: it also tells which unchanged blocks lost their event.
  let tagged: calendar_v3.Schema$Event[] | null = null;
  if (deleteMissing) {
    try {
      tagged = await listTaggedEvents(api, calendarId, window, call);
    } catch (error) {
      if (googleStatus(error) === 404) throw unknownCalendar(calendarId);
      throw error;
    }
  }
  const remoteIds = tagged ? new Set(tagged.map((e) => e.id)) : null;
  const doomed = (tagged ?? []).filter((event) => {
    const blockId = event.extendedProperties?.private?.orbita_block_id;
    const start = eventStart(event);
    const tags = event.extendedProperties?.private ?? {};
    if (tags.orbita !== '1' || !event.id || !start) return false; // never untagged ones
    if (tags.orbita_user_id && tags.orbita_user_id !== ctx.userId) return false; // never another Orbita user's
    if (start < window.from || start >= window.to) return false; // never outside the window
    return !blockId || !inWindow.has(blockId);
  });

  const total = blocks.length + doomed.length;
  let done = 0;
  const progress = () => options.onProgress?.(++done, total);
  const fail = (blockId: string, error: unknown) => {
    result.failed++;
    result.failures.push({ block_id: blockId, message: failureMessage(error) });
  };

  const insert = async (body: calendar_v3.Schema$Event) => {
    try {
      await call(() => api.events.insert({ calendarId, requestBody: body, sendUpdates: 'none' }));
    } catch (error) {
      if (googleStatus(error) === 404) throw unknownCalendar(calendarId);
      throw error;
    }
  };
  const update = (eventId: string, body: calendar_v3.Schema$Event) =>
    call(() => api.events.update({ calendarId, eventId, requestBody: body, sendUpdates: 'none' }));

  const upsert = async (block: ScheduleBlock) => {
    const body = eventBody(block, zone, data);
    const eventId = body.id as string;
    const hash = contentHash(calendarId, body);
    const onThisCalendar = block.externalCalendarId === calendarId && block.externalEventId !== null && block.syncedHash !== null;
    const goneRemotely = remoteIds !== null && onThisCalendar && !remoteIds.has(block.externalEventId);
    if (onThisCalendar && block.syncedHash === hash && !goneRemotely) {
      result.unchanged++;
      return;
    }
    let outcome: 'created' | 'updated';
    if (onThisCalendar) {
      try {
        await update(block.externalEventId as string, body);
        outcome = 'updated';
      } catch (error) {
        const status = googleStatus(error);
        if (status !== 404 && status !== 410) throw error;
        await insert(body);
        outcome = 'created';
      }
    } else {
      try {
        await insert(body);
        outcome = 'created';
      } catch (error) {
        if (googleStatus(error) !== 409) throw error;
        await update(eventId, body); // ours already (synced before from another database state or calendar switch)
        outcome = 'updated';
      }
    }
    // Keep updated_at: a sync is not a change of the block.
    await ctx.db.scheduleBlock.updateMany({
      where: { id: block.id, userId: ctx.userId },
      data: { externalCalendarId: calendarId, externalEventId: eventId, syncedHash: hash, syncedAt: now, updatedAt: block.updatedAt },
    });
    result[outcome]++;
  };

  const clearedBlockIds: string[] = [];
  const remove = async (event: calendar_v3.Schema$Event) => {
    try {
      await call(() => api.events.delete({ calendarId, eventId: event.id as string, sendUpdates: 'none' }));
    } catch (error) {
      const status = googleStatus(error);
      if (status !== 404 && status !== 410) throw error; // already gone counts as deleted
    }
    result.deleted++;
    const blockId = event.extendedProperties?.private?.orbita_block_id;
    if (blockId && uuidPattern.test(blockId)) clearedBlockIds.push(blockId);
  };

  type Job = { kind: 'upsert'; block: ScheduleBlock } | { kind: 'delete'; event: calendar_v3.Schema$Event };
  const jobs: Job[] = [...blocks.map((block) => ({ kind: 'upsert' as const, block })), ...doomed.map((event) => ({ kind: 'delete' as const, event }))];
  try {
    await pool(jobs, options.concurrency ?? syncConcurrency, async (job) => {
      const blockId = job.kind === 'upsert' ? job.block.id : (job.event.extendedProperties?.private?.orbita_block_id ?? `event:${job.event.id}`);
      try {
        if (job.kind === 'upsert') await upsert(job.block);
        else await remove(job.event);
      } catch (error) {
        if (isFatalGoogleError(error) || (error instanceof AppError && error.code === 'validation_error')) throw error;
        fail(blockId, error);
      }
      progress();
    });
  } finally {
    result.requests = counter.requests;
    if (clearedBlockIds.length) {
      // The events of blocks that left the window are gone: a later sync inserts them afresh.
      await ctx.db.scheduleBlock.updateMany({
        where: { userId: ctx.userId, id: { in: clearedBlockIds }, externalCalendarId: calendarId, source: 'orbita' },
        data: { externalCalendarId: null, externalEventId: null, syncedHash: null, syncedAt: null },
      });
    }
  }

  await ctx.db.calendarSyncState.upsert({
    where: { userId_calendarId: { userId: ctx.userId, calendarId } },
    create: { userId: ctx.userId, calendarId, lastSyncedAt: now },
    update: { lastSyncedAt: now },
  });
  if (result.failed) {
    logger.warn({ userId: ctx.userId, calendarId, failed: result.failed, firstFailure: result.failures[0]?.message }, 'calendar sync finished with failures');
  }
  return result;
}

// ───────────────────────── schedule remove → delete the event ─────────────────────────

export interface RemovedEventOutcome {
  calendarId: string;
  eventId: string;
  /** True when the event is gone from the calendar (deleted now, or already gone). */
  deleted: boolean;
  /** Why it was not deleted (delete-missing off, or the error). */
  reason?: string;
}

/** A block whose Google event came from an Orbita sync (imported blocks' events are never deleted). */
function syncedEventOf(block: Pick<ScheduleBlock, 'source' | 'externalCalendarId' | 'externalEventId' | 'syncedHash'>) {
  if (block.source !== 'orbita' || !block.externalCalendarId || !block.externalEventId || !block.syncedHash) return null;
  return { calendarId: block.externalCalendarId, eventId: block.externalEventId };
}

/**
 * Deletes the calendar event an Orbita sync created for `block` (404/410: already gone, counts as
 * deleted). Throws on any other failure; does not look at delete-missing (see removeBlockEverywhere).
 */
export async function deleteSyncedEvent(
  ctx: ServiceContext,
  block: Pick<ScheduleBlock, 'source' | 'externalCalendarId' | 'externalEventId' | 'syncedHash'>,
  options: { retry?: Omit<GoogleRetryOptions, 'counter'>; counter?: RequestCounter } = {},
): Promise<{ deleted: boolean }> {
  const synced = syncedEventOf(block);
  if (!synced) return { deleted: false };
  const api = calendarApi(await authorizedClient(ctx));
  try {
    await withGoogleRetry(() => api.events.delete({ calendarId: synced.calendarId, eventId: synced.eventId, sendUpdates: 'none' }), { ...options.retry, counter: options.counter });
  } catch (error) {
    const status = googleStatus(error);
    if (status !== 404 && status !== 410) throw error;
  }
  return { deleted: true };
}

export type RemovedBlockView = BlockView & {
  /** The block's synced calendar event and what happened to it; null when the block had none. */
  calendarEvent: RemovedEventOutcome | null;
};

/**
 * `schedule remove` through every door: removes the block (its own short transaction, emitting
 * `scheduling.block.removed`), then — after commit, best effort — deletes its synced Google event
 * when delete-missing is in effect (stored setting, else CALENDAR_DELETE_MISSING). A failed delete
 * is logged as a warning and reported in `calendarEvent`; the removal stands.
 */
export async function removeBlockEverywhere(ctx: ServiceContext, ref: string, options: { retry?: Omit<GoogleRetryOptions, 'counter'> } = {}): Promise<RemovedBlockView> {
  let removed: ScheduleBlock | null = null;
  const view = await removeBlock(ctx, ref, {
    onRemoved: async (_tx, r) => {
      removed = r.block;
    },
  });
  const synced = removed ? syncedEventOf(removed) : null;
  if (!removed || !synced) return { ...view, calendarEvent: null };
  const block: ScheduleBlock = removed;
  const outcome: RemovedEventOutcome = { ...synced, deleted: false };
  try {
    const { delete_missing: on } = await getDeleteMissing(ctx);
    if (!on) return { ...view, calendarEvent: { ...outcome, reason: 'delete-missing is off' } };
    await deleteSyncedEvent(ctx, block, options);
    return { ...view, calendarEvent: { ...outcome, deleted: true } };
  } catch (error) {
    const message = failureMessage(error);
    logger.warn({ userId: ctx.userId, blockId: view.id, calendarId: synced.calendarId, err: message }, 'calendar event delete failed');
    return { ...view, calendarEvent: { ...outcome, reason: message } };
  }
}
