import type { ServiceContext } from '../context';
import { type DbTx, transaction } from '../db/client';
import type { ScheduleBlock } from '../generated/prisma/client';
import { notFound, validationError } from '../errors';
import { blockView, lockUserSchedule, recordBlockEvent } from '../scheduling/blocks';
import { type BlockTypeName, maxBlockMinutes } from '../scheduling/schemas';
import { addDays, localDate, localDayBounds, toZonedIso } from '../time';
import { authorizedClient } from './connection';
import { calendarApi, type calendar_v3, googleStatus, type RequestCounter, withGoogleRetry } from './google';
import { type ImportCalendarInput, importCalendarSchema } from './schemas';
import { resolveCalendarId } from './settings';

/**
 * Import of Google Calendar events as blocks with source `imported` (SPEC §6). See the Import
 * section of README.md for the rules: window, incremental sync token, full resync, all-day events,
 * tagged events, and why imported blocks never conflict with Orbita blocks.
 */

export interface ImportSkip {
  event_id: string;
  reason: string;
}

export interface ImportResult {
  calendar_id: string;
  window: { from: string; to: string };
  created: number;
  updated: number;
  removed: number;
  skipped: number;
  /** Events seen whose blocks were already up to date. */
  unchanged: number;
  /** True when a stored sync token could not be used (expired: 410, new day, other window) and the window was listed again. */
  full_resync: boolean;
  /** HTTP requests made to Google (retries included). */
  requests: number;
  /** Why each skipped event was skipped (at most 100 listed). */
  skips: ImportSkip[];
}

export interface ImportOptions {
  onProgress?(done: number, total: number): void;
}

export interface ImportWindow {
  from: Date;
  to: Date;
}

/** Start of today in `zone` for `days` local days: [from, to). */
export function importWindow(now: Date, zone: string, days: number): ImportWindow {
  const today = localDate(now, zone);
  return { from: localDayBounds(today, zone).start, to: localDayBounds(addDays(today, days - 1), zone).end };
}

/** The block(s) one event becomes. */
export interface ImportedSpan {
  externalEventId: string;
  title: string;
  startAt: Date;
  endAt: Date;
}

export type EventMapping = { kind: 'blocks'; spans: ImportedSpan[] } | { kind: 'remove' } | { kind: 'skip'; reason: string };

export interface MappingOptions {
  zone: string;
  window: ImportWindow;
  includeAllDay: boolean;
  taggedOnly: boolean;
}

const maxTitle = 500;
const maxBlockMs = maxBlockMinutes * 60_000;
/** Separates an event id from the local date of one piece of an event split across days. Google event ids never contain it. */
export const PIECE_SEPARATOR = '#';

function titleOf(event: calendar_v3.Schema$Event): string {
  const summary = (event.summary ?? '').trim();
  return summary ? summary.slice(0, maxTitle) : '(no title)';
}

/**
 * [startAt, endAt) cut at local midnights into pieces of at most one local day each; a piece longer
 * than 24 h (the 25-hour day when DST ends) is clamped to 24 h. Only pieces overlapping the window
 * are kept. One piece keeps the event id; several get `<event id>#<local date>`.
 */
function splitByDay(eventId: string, title: string, startAt: Date, endAt: Date, zone: string, window: ImportWindow): ImportedSpan[] {
  if (endAt.getTime() - startAt.getTime() <= maxBlockMs) return [{ externalEventId: eventId, title, startAt, endAt }];
  const pieces: ImportedSpan[] = [];
  let date = localDate(startAt, zone);
  let cursor = startAt;
  while (cursor < endAt) {
    const dayEnd = localDayBounds(date, zone).end;
    const pieceEnd = new Date(Math.min(dayEnd.getTime(), endAt.getTime(), cursor.getTime() + maxBlockMs));
    if (cursor < window.to && pieceEnd > window.from && pieceEnd > cursor) {
      pieces.push({ externalEventId: `${eventId}${PIECE_SEPARATOR}${date}`, title, startAt: cursor, endAt: pieceEnd });
    }
    cursor = dayEnd;
    date = addDays(date, 1);
  }
  return pieces;
}

/**
 * What one Google event means for the import (pure): blocks to hold, removal (cancelled, or
 * outside the window now), or a skip with its reason. `existingBlockIds` is the set of the user's
 * block ids among the events' `orbita_block_id` tags.
 */
export function mapEvent(event: calendar_v3.Schema$Event, options: MappingOptions, existingBlockIds: ReadonlySet<string>): EventMapping {
  if (event.status === 'cancelled') return { kind: 'remove' };
  const tags = event.extendedProperties?.private ?? {};
  if (options.taggedOnly && tags.orbita !== '1') return { kind: 'skip', reason: 'not tagged by Orbita (--tagged-only)' };
  if (tags.orbita_block_id && existingBlockIds.has(tags.orbita_block_id)) {
    return { kind: 'skip', reason: `written by Orbita from block ${tags.orbita_block_id}` };
  }
  const title = titleOf(event);
  const { zone, window } = options;
  let startAt: Date;
  let endAt: Date;
  if (event.start?.dateTime && event.end?.dateTime) {
    startAt = new Date(event.start.dateTime);
    endAt = new Date(event.end.dateTime);
  } else if (event.start?.date) {
    if (!options.includeAllDay) return { kind: 'skip', reason: 'all-day event (use --include-all-day)' };
    // All-day: the whole local day(s) in the user's zone; end.date is exclusive.
    const endDate = event.end?.date && event.end.date > event.start.date ? event.end.date : addDays(event.start.date, 1);
    startAt = localDayBounds(event.start.date, zone).start;
    endAt = localDayBounds(endDate, zone).start;
  } else {
    return { kind: 'skip', reason: 'event has no start or end' };
  }
  if (Number.isNaN(startAt.getTime()) || Number.isNaN(endAt.getTime())) return { kind: 'skip', reason: 'event has an unreadable start or end' };
  if (endAt <= startAt) return { kind: 'skip', reason: 'event ends before it starts (zero length)' };
  if (!(startAt < window.to && endAt > window.from)) return { kind: 'remove' };
  const spans = splitByDay(event.id as string, title, startAt, endAt, zone, window);
  return spans.length ? { kind: 'blocks', spans } : { kind: 'remove' };
}

// ───────────────────────── Google ─────────────────────────

interface Listing {
  events: calendar_v3.Schema$Event[];
  nextSyncToken: string | null;
}

async function listEvents(api: calendar_v3.Calendar, calendarId: string, query: { syncToken?: string; window?: ImportWindow }, counter: RequestCounter): Promise<Listing> {
  const events: calendar_v3.Schema$Event[] = [];
  let pageToken: string | undefined;
  let nextSyncToken: string | null = null;
  do {
    const params: calendar_v3.Params$Resource$Events$List = { calendarId, singleEvents: true, showDeleted: true, maxResults: 250, pageToken };
    if (query.syncToken) params.syncToken = query.syncToken;
    else if (query.window) {
      params.timeMin = query.window.from.toISOString();
      params.timeMax = query.window.to.toISOString();
    }
    const { data } = await withGoogleRetry(() => api.events.list(params), { counter }).catch((error: unknown) => {
      // Google's 404 means the account has no such calendar: the caller's input (400, as sync answers), not a 502.
      if (googleStatus(error) === 404) {
        throw validationError(`unknown calendar id ${JSON.stringify(calendarId)}: run \`orbita settings calendar list\``, {
          issues: [{ field: 'calendar', message: 'unknown calendar id' }],
        });
      }
      throw error;
    });
    events.push(...(data.items ?? []));
    pageToken = data.nextPageToken ?? undefined;
    nextSyncToken = data.nextSyncToken ?? nextSyncToken;
  } while (pageToken);
  return { events, nextSyncToken };
}

// ───────────────────────── stored token ─────────────────────────

/**
 * calendar_sync_states.sync_token holds `<query key>|<Google's token>`. A token from a
 * window-limited list only answers for that query, and unchanged events never come back through
 * it, so a different days / type / tagged-only / include-all-day forces a full list.
 */
interface QueryKey {
  days: number;
  type: string;
  taggedOnly: boolean;
  includeAllDay: boolean;
}

function queryKey(q: QueryKey): string {
  return `v1;days=${q.days};type=${q.type};tagged=${q.taggedOnly ? 1 : 0};allday=${q.includeAllDay ? 1 : 0}`;
}

function encodeToken(q: QueryKey, token: string): string {
  return `${queryKey(q)}|${token}`;
}

function decodeToken(stored: string | null): { key: string; token: string } | null {
  const at = stored ? stored.indexOf('|') : -1;
  return stored && at > 0 ? { key: stored.slice(0, at), token: stored.slice(at + 1) } : null;
}

// ───────────────────────── the import ─────────────────────────

const importTimeoutMs = 120_000;
const maxListedSkips = 100;

function sameSpan(block: ScheduleBlock, span: ImportedSpan, type: BlockTypeName): boolean {
  return block.title === span.title && block.type === type && block.startAt.getTime() === span.startAt.getTime() && block.endAt.getTime() === span.endAt.getTime();
}

function eventIdOf(externalEventId: string): string {
  const at = externalEventId.indexOf(PIECE_SEPARATOR);
  return at < 0 ? externalEventId : externalEventId.slice(0, at);
}

/**
 * Imports the events of the user's calendar in the window [start of today, +days) as blocks with
 * source `imported`. The first import (and any full resync) lists the window; later imports use the
 * stored sync token and apply only the changes. Re-importing updates blocks in place (one block per
 * event, or per local day of an event longer than 24 h); cancelled events and events moved out of
 * the window remove their blocks. All writes happen in one transaction, together with the new sync
 * token, and emit the same `scheduling.block.*` outbox events as manual edits.
 */
export async function importCalendar(ctx: ServiceContext, input: ImportCalendarInput, options: ImportOptions = {}): Promise<ImportResult> {
  const data = importCalendarSchema.parse(input);
  const user = await ctx.db.user.findUnique({ where: { id: ctx.userId }, select: { timeZone: true } });
  if (!user) throw notFound('user');
  const zone = user.timeZone;
  const now = ctx.now();
  const window = importWindow(now, zone, data.days);
  const calendarId = await resolveCalendarId(ctx, { calendar: data.calendar, useConfigCalendar: data.useConfigCalendar });
  const api = calendarApi(await authorizedClient(ctx));
  const counter: RequestCounter = { requests: 0 };

  const state = await ctx.db.calendarSyncState.findUnique({ where: { userId_calendarId: { userId: ctx.userId, calendarId } } });
  const stored = decodeToken(state?.syncToken ?? null);
  // The token is used only when it was taken today (the window slides daily: events entering it
  // from the far end are not changes) and for the same query (see encodeToken).
  const query: QueryKey = { days: data.days, type: data.type, taggedOnly: data.taggedOnly === true, includeAllDay: data.includeAllDay === true };
  const usable = stored !== null && stored.key === queryKey(query) && state?.lastImportAt != null && state.lastImportAt >= window.from;
  let fullResync = stored !== null && !usable;
  let listing: Listing | null = null;
  let full = !usable;
  if (usable) {
    try {
      listing = await listEvents(api, calendarId, { syncToken: stored.token }, counter);
    } catch (error) {
      if (googleStatus(error) !== 410) throw error;
      fullResync = true; // token expired: drop it and list the window again
      full = true;
    }
  }
  if (!listing) listing = await listEvents(api, calendarId, { window }, counter);

  const mapping: MappingOptions = { zone, window, includeAllDay: data.includeAllDay === true, taggedOnly: data.taggedOnly === true };
  const result: ImportResult = {
    calendar_id: calendarId,
    window: { from: toZonedIso(window.from, zone), to: toZonedIso(window.to, zone) },
    created: 0,
    updated: 0,
    removed: 0,
    skipped: 0,
    unchanged: 0,
    full_resync: fullResync,
    requests: 0,
    skips: [],
  };
  const skip = (eventId: string, reason: string) => {
    result.skipped++;
    if (result.skips.length < maxListedSkips) result.skips.push({ event_id: eventId, reason });
  };
  const events = listing.events.filter((e) => {
    if (e.id) return true;
    skip('(none)', 'event has no id');
    return false;
  });
  const nextSyncToken = listing.nextSyncToken;

  await transaction(
    ctx.db,
    async (tx: DbTx) => {
      await lockUserSchedule(tx, ctx.userId);
      const taggedIds = [...new Set(events.map((e) => e.extendedProperties?.private?.orbita_block_id).filter((id): id is string => typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)))];
      const existingTagged = taggedIds.length
        ? new Set((await tx.scheduleBlock.findMany({ where: { userId: ctx.userId, id: { in: taggedIds } }, select: { id: true } })).map((b) => b.id))
        : new Set<string>();
      // Orbita blocks synced to this calendar hold (calendar, event id) too: their events are theirs.
      const synced = new Map(
        (
          await tx.scheduleBlock.findMany({
            where: { userId: ctx.userId, source: 'orbita', externalCalendarId: calendarId, externalEventId: { in: events.map((e) => e.id as string) } },
            select: { id: true, externalEventId: true },
          })
        ).map((b) => [b.externalEventId as string, b.id]),
      );
      const imported = await tx.scheduleBlock.findMany({ where: { userId: ctx.userId, source: 'imported', externalCalendarId: calendarId } });
      const byEvent = new Map<string, ScheduleBlock[]>();
      for (const block of imported) {
        const id = eventIdOf(block.externalEventId ?? '');
        byEvent.set(id, [...(byEvent.get(id) ?? []), block]);
      }

      const remove = async (block: ScheduleBlock) => {
        await tx.scheduleBlock.delete({ where: { id: block.id } });
        await recordBlockEvent(tx, ctx, 'scheduling.block.removed', blockView(block, zone), { reason: 'calendar_import' });
        result.removed++;
      };

      const seen = new Set<string>();
      let done = 0;
      for (const event of events) {
        const eventId = event.id as string;
        seen.add(eventId);
        const blocks = byEvent.get(eventId) ?? [];
        const syncedBlock = synced.get(eventId);
        const mapped: EventMapping =
          syncedBlock && event.status !== 'cancelled' ? { kind: 'skip', reason: `written by Orbita from block ${syncedBlock}` } : mapEvent(event, mapping, existingTagged);
        if (mapped.kind === 'remove') {
          for (const block of blocks) await remove(block);
        } else if (mapped.kind === 'skip') {
          // A skipped event holds no imported block (e.g. it is now tagged, or --tagged-only).
          for (const block of blocks) await remove(block);
          skip(eventId, mapped.reason);
        } else {
          const byPiece = new Map(blocks.map((b) => [b.externalEventId as string, b]));
          let changed = false;
          for (const span of mapped.spans) {
            const block = byPiece.get(span.externalEventId);
            byPiece.delete(span.externalEventId);
            if (!block) {
              const created = await tx.scheduleBlock.create({
                data: {
                  userId: ctx.userId,
                  type: data.type,
                  title: span.title,
                  startAt: span.startAt,
                  endAt: span.endAt,
                  status: 'planned',
                  source: 'imported',
                  externalCalendarId: calendarId,
                  externalEventId: span.externalEventId,
                  createdAt: now,
                  updatedAt: now,
                },
              });
              await recordBlockEvent(tx, ctx, 'scheduling.block.scheduled', blockView(created, zone), { reason: 'calendar_import' });
              result.created++;
              changed = true;
            } else if (!sameSpan(block, span, data.type)) {
              const from = { start: toZonedIso(block.startAt, zone), end: toZonedIso(block.endAt, zone) };
              const updated = await tx.scheduleBlock.update({
                where: { id: block.id },
                data: { type: data.type, title: span.title, startAt: span.startAt, endAt: span.endAt, updatedAt: now },
              });
              await recordBlockEvent(tx, ctx, 'scheduling.block.rescheduled', blockView(updated, zone), { from, reason: 'calendar_import' });
              result.updated++;
              changed = true;
            }
          }
          for (const leftover of byPiece.values()) {
            await remove(leftover);
            changed = true;
          }
          if (!changed) result.unchanged++;
        }
        options.onProgress?.(++done, events.length);
      }

      if (full) {
        // A full list names every live event in the window: blocks of events it did not name were
        // deleted while we had no usable token (e.g. before a 410). Only blocks inside the window.
        for (const [eventId, blocks] of byEvent) {
          if (seen.has(eventId)) continue;
          for (const block of blocks) if (block.startAt < window.to && block.endAt > window.from) await remove(block);
        }
      }

      const syncToken = nextSyncToken ? encodeToken(query, nextSyncToken) : null;
      await tx.calendarSyncState.upsert({
        where: { userId_calendarId: { userId: ctx.userId, calendarId } },
        create: { userId: ctx.userId, calendarId, syncToken, lastImportAt: now },
        update: { syncToken, lastImportAt: now },
      });
    },
    { timeoutMs: importTimeoutMs },
  );

  result.requests = counter.requests;
  return result;
}
