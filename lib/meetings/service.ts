import { requireModule } from '../billing/modules';
import type { ServiceContext } from '../context';
import { type DbTx, transaction } from '../db/client';
import { conflict, validationError } from '../errors';
import type { Meeting, Prisma } from '../generated/prisma/client';
import { userZone } from '../identity/users';
import { appendEvent } from '../outbox/append';
import type { EventType } from '../outbox/events';
import { followSource, meetingBlockTitle, type ScheduleChange } from '../scheduling/follow';
import { type Page, toPage } from '../shared/pagination';
import { resolveCursor, resolveRef } from '../shared/refs';
import { formatMinute, localDate, toZonedIso, toZonedIsoOrNull } from '../time';
import {
  type Cadence,
  type CadenceName,
  defaultPreferredMinute,
  heldInstant,
  isCadenceIssue,
  laterOf,
  nextOccurrence,
  type Occurrence,
  resolveCadence,
} from './rules';
import {
  type CreateMeetingInput,
  createMeetingSchema,
  type HeldMeetingInput,
  heldMeetingSchema,
  type ListMeetingsInput,
  listMeetingsSchema,
  meetingsDueOnSchema,
  type UpdateMeetingInput,
  updateMeetingSchema,
} from './schemas';

/** A 1:1 as every door shows it: times ISO-8601 with the user's offset. */
export interface MeetingView {
  id: string;
  name: string;
  cadence: CadenceName;
  intervalDays: number;
  durationMinutes: number;
  /** Preferred local start time, HH:MM. */
  time: string;
  lastHeldAt: string | null;
  /** The next occurrence at the preferred time (never in the past); null for an archived meeting. */
  nextOccurrence: string | null;
  /** True when the next occurrence falls on today's local date. */
  dueToday: boolean;
  archived: boolean;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What `held` returns, and the `meetings.meeting.held` payload. */
export interface MeetingHeld {
  meeting: MeetingView;
  /** The occurrence recorded (lastHeldAt only moves forward, so it may differ). */
  heldAt: string;
}

const smart1to1 = 'smart-1to1' as const;

/** The next occurrence of an active meeting (null when archived). */
export function meetingNext(meeting: Meeting, zone: string, now: Date): Occurrence | null {
  if (meeting.archived) return null;
  return nextOccurrence({
    from: meeting.lastHeldAt ?? meeting.createdAt,
    intervalDays: meeting.intervalDays,
    preferredMinute: meeting.preferredMinute,
    zone,
    now,
  });
}

export function meetingView(meeting: Meeting, zone: string, now: Date, next = meetingNext(meeting, zone, now)): MeetingView {
  return {
    id: meeting.id,
    name: meeting.name,
    cadence: meeting.cadence,
    intervalDays: meeting.intervalDays,
    durationMinutes: meeting.durationMinutes,
    time: formatMinute(meeting.preferredMinute),
    lastHeldAt: toZonedIsoOrNull(meeting.lastHeldAt, zone),
    nextOccurrence: next ? toZonedIso(next.at, zone) : null,
    dueToday: next !== null && next.date === localDate(now, zone),
    archived: meeting.archived,
    archivedAt: toZonedIsoOrNull(meeting.archivedAt, zone),
    createdAt: toZonedIso(meeting.createdAt, zone),
    updatedAt: toZonedIso(meeting.updatedAt, zone),
  };
}

export async function recordMeetingEvent(tx: DbTx, ctx: ServiceContext, eventType: EventType, view: MeetingView, extra: Record<string, unknown> = {}) {
  await appendEvent(tx, { aggregateType: 'meeting', aggregateId: view.id, eventType, userId: ctx.userId, payload: { meeting: view, ...extra } });
}

/** The acting user's meeting for an id or prefix; with `lock`, the row stays locked until the transaction ends. */
async function loadMeeting(tx: DbTx, ctx: ServiceContext, ref: string, lock = false): Promise<Meeting> {
  const id = await resolveRef({ ...ctx, db: tx }, 'meeting', ref);
  if (lock) await tx.$queryRaw`SELECT id FROM meetings WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.meeting.findUniqueOrThrow({ where: { id } });
}

function assertActive(meeting: Meeting) {
  if (meeting.archived) throw conflict('meeting is archived: archived meetings cannot be changed', { archived: true });
}

export async function createMeeting(ctx: ServiceContext, input: CreateMeetingInput): Promise<MeetingView> {
  await requireModule(ctx, smart1to1);
  const data = createMeetingSchema.parse(input);
  const cadence = resolveCadence(data) as Cadence; // the schema rejected every issue
  const zone = await userZone(ctx);
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const meeting = await tx.meeting.create({
      data: {
        userId: ctx.userId,
        name: data.name,
        cadence: cadence.cadence,
        intervalDays: cadence.intervalDays,
        durationMinutes: data.durationMinutes,
        preferredMinute: data.time ?? defaultPreferredMinute,
        createdAt: now,
        updatedAt: now,
      },
    });
    const view = meetingView(meeting, zone, now);
    await recordMeetingEvent(tx, ctx, 'meetings.meeting.created', view);
    return view;
  });
}

export async function getMeeting(ctx: ServiceContext, ref: string): Promise<MeetingView> {
  await requireModule(ctx, smart1to1);
  const zone = await userZone(ctx);
  return meetingView(await loadMeeting(ctx.db, ctx, ref), zone, ctx.now());
}

interface Entry {
  meeting: Meeting;
  next: Occurrence | null;
}

/** List order: active meetings by next occurrence, then archived ones; name, then id, break ties. */
function compareEntries(a: Entry, b: Entry): number {
  const rank = (e: Entry) => (e.next ? 0 : 1);
  const at = (e: Entry) => e.next?.at.getTime() ?? 0;
  return rank(a) - rank(b) || at(a) - at(b) || a.meeting.name.localeCompare(b.meeting.name, 'en') || (a.meeting.id < b.meeting.id ? -1 : a.meeting.id > b.meeting.id ? 1 : 0);
}

/**
 * Meetings sorted by next occurrence (archived ones last, with `archived`). The order is computed,
 * so pages are cut in memory: the cursor row's own sort key says where the next page starts, even
 * if that row changed since.
 */
export async function listMeetings(ctx: ServiceContext, input: ListMeetingsInput = {}): Promise<Page<MeetingView>> {
  await requireModule(ctx, smart1to1);
  const query = listMeetingsSchema.parse(input);
  const zone = await userZone(ctx);
  const now = ctx.now();
  const where: Prisma.MeetingWhereInput = { userId: ctx.userId, ...(query.archived ? {} : { archived: false }) };
  const entry = (meeting: Meeting): Entry => ({ meeting, next: meetingNext(meeting, zone, now) });
  let entries = (await ctx.db.meeting.findMany({ where })).map(entry).sort(compareEntries);
  if (query.cursor) {
    const cursorId = await resolveCursor(ctx, 'meeting', query.cursor);
    const after = entry(await ctx.db.meeting.findUniqueOrThrow({ where: { id: cursorId } }));
    entries = entries.filter((e) => compareEntries(e, after) > 0);
  }
  const rows = entries.slice(0, query.limit + 1).map((e) => ({ id: e.meeting.id, entry: e }));
  return toPage(rows, query.limit, ({ entry: e }) => meetingView(e.meeting, zone, now, e.next));
}

/** Active meetings whose next occurrence falls on local `date` (YYYY-MM-DD), earliest first (for the scheduler; its door gates smart-1to1). */
export async function meetingsDueOn(ctx: ServiceContext, date: string): Promise<MeetingView[]> {
  const day = meetingsDueOnSchema.parse(date);
  const zone = await userZone(ctx);
  const now = ctx.now();
  const rows = await ctx.db.meeting.findMany({ where: { userId: ctx.userId, archived: false } });
  return rows
    .map((meeting) => ({ meeting, next: meetingNext(meeting, zone, now) }))
    .filter((e) => e.next?.date === day)
    .sort(compareEntries)
    .map((e) => meetingView(e.meeting, zone, now, e.next));
}

const editableFields = ['name', 'cadence', 'intervalDays', 'durationMinutes', 'time'] as const;

/** A meeting write's view, with what its blocks did when they followed (present only when something changed). */
export type MeetingChange = MeetingView & { schedule?: ScheduleChange[] };

export async function updateMeeting(ctx: ServiceContext, ref: string, input: UpdateMeetingInput): Promise<MeetingChange> {
  await requireModule(ctx, smart1to1);
  const data = updateMeetingSchema.parse(input);
  const zone = await userZone(ctx);
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const meeting = await loadMeeting(tx, ctx, ref, true);
    assertActive(meeting);
    const cadence = resolveCadence({ cadence: data.cadence, intervalDays: data.intervalDays }, meeting);
    if (isCadenceIssue(cadence)) throw validationError(cadence.message, { issues: [cadence] });
    const before = meetingView(meeting, zone, now);
    const proposed: Meeting = {
      ...meeting,
      name: data.name ?? meeting.name,
      cadence: cadence.cadence,
      intervalDays: cadence.intervalDays,
      durationMinutes: data.durationMinutes ?? meeting.durationMinutes,
      preferredMinute: data.time ?? meeting.preferredMinute,
    };
    const after = meetingView(proposed, zone, now);
    const changed = editableFields.filter((field) => before[field] !== after[field]);
    if (changed.length === 0) return before; // nothing differs: no write, no event
    const updated = await tx.meeting.update({
      where: { id: meeting.id },
      data: {
        name: proposed.name,
        cadence: proposed.cadence,
        intervalDays: proposed.intervalDays,
        durationMinutes: proposed.durationMinutes,
        preferredMinute: proposed.preferredMinute,
        updatedAt: now,
      },
    });
    const view = meetingView(updated, zone, now);
    await recordMeetingEvent(tx, ctx, 'meetings.meeting.updated', view, { changed: [...changed] });
    const replan = changed.some((field) => field === 'cadence' || field === 'intervalDays' || field === 'time');
    const next = replan ? meetingNext(updated, zone, now) : null;
    const schedule = await followSource(tx, ctx, {
      kind: 'meeting',
      id: meeting.id,
      zone,
      // With a re-plan the title and length go along, so the block is planned as the meeting is now.
      ...(replan || changed.includes('name') ? { title: meetingBlockTitle(updated.name) } : {}),
      ...(replan || changed.includes('durationMinutes') ? { minutes: updated.durationMinutes } : {}),
      ...(replan ? { replan: next ? { date: next.date, preferredStartMinute: updated.preferredMinute } : null } : {}),
    });
    return schedule.length ? { ...view, schedule } : view;
  });
}

/**
 * Records that a meeting took place (default now; `date` alone → at the preferred time; never in
 * the future). lastHeldAt becomes the later of the stored and the recorded occurrence.
 */
export async function markMeetingHeld(ctx: ServiceContext, ref: string, input: HeldMeetingInput = {}): Promise<MeetingHeld> {
  await requireModule(ctx, smart1to1);
  const data = heldMeetingSchema.parse(input ?? {});
  const zone = await userZone(ctx);
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const meeting = await loadMeeting(tx, ctx, ref, true);
    assertActive(meeting);
    const heldAt = heldInstant({ date: data.date, minute: data.time, preferredMinute: meeting.preferredMinute, zone, now });
    const updated = await tx.meeting.update({
      where: { id: meeting.id },
      data: { lastHeldAt: laterOf(meeting.lastHeldAt, heldAt), updatedAt: now },
    });
    const result: MeetingHeld = { meeting: meetingView(updated, zone, now), heldAt: toZonedIso(heldAt, zone) };
    await recordMeetingEvent(tx, ctx, 'meetings.meeting.held', result.meeting, { heldAt: result.heldAt });
    return result;
  });
}

/** Archives a meeting (idempotent: archiving an archived meeting changes nothing and records no event). */
export async function archiveMeeting(ctx: ServiceContext, ref: string): Promise<MeetingChange> {
  await requireModule(ctx, smart1to1);
  const zone = await userZone(ctx);
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const meeting = await loadMeeting(tx, ctx, ref, true);
    if (meeting.archived) return meetingView(meeting, zone, now);
    const updated = await tx.meeting.update({ where: { id: meeting.id }, data: { archived: true, archivedAt: now, updatedAt: now } });
    const view = meetingView(updated, zone, now);
    await recordMeetingEvent(tx, ctx, 'meetings.meeting.archived', view);
    const schedule = await followSource(tx, ctx, { kind: 'meeting', id: meeting.id, zone, ended: 'archived' });
    return schedule.length ? { ...view, schedule } : view;
  });
}
