import type { ServiceContext } from '../context';
import type { DbTx } from '../db/client';
import type { ScheduleBlock } from '../generated/prisma/client';
import { addDays, localDate, localDayBounds, toZonedIso } from '../time';
import { type BlockView, blocksBetween, blockView, lockUserSchedule, planningHours, recordBlockEvent } from './blocks';
import { type Candidate, plan, type Priority } from './plan';
import { dayName, lengthName, type PlanReasonCode } from './reasons';
import { type Interval, personalWindow, type PlanningHours, workingWindow } from './windows';

/**
 * Blocks follow what they plan (issue 20). A task, habit or 1:1 that changes calls followSource
 * inside its own transaction, so the block changes and their `scheduling.block.*` events commit
 * with the change (and reach the ICS feed and, on the next sync, Google):
 *
 * - a new title renames its planned blocks that have not ended;
 * - a new length resizes its one future planned block when the new length still fits where it is
 *   (no overlap, inside working hours — personal hours for a habit — unless it was pinned by hand),
 *   else re-plans it (same block, a new time: the first free slot of the next 14 days) or, when
 *   nothing fits, removes it and says why; a pinned block is never moved: it keeps its old length;
 * - a task completed or archived removes its future planned blocks and marks a block in progress
 *   (or still planned in the past) done; a habit or 1:1 archived removes its future blocks;
 * - a 1:1 whose cadence or time changed gives up its future unpinned blocks, and its next occurrence
 *   is planned again with the first of them (at the preferred time, else the nearest free start
 *   that day), when it is within 14 days.
 *
 * Every change is reported (ScheduleChange) so each door can say what happened to the calendar.
 */

export type FollowedKind = 'task' | 'habit' | 'meeting';

export interface SourceChange {
  kind: FollowedKind;
  id: string;
  /** The block title now (task title, habit name, `1:1 <name>`), when it changed. */
  title?: string;
  /** The source's length now (a task's estimate, 30 when it has none), when it changed. */
  minutes?: number;
  /** The source is done with. */
  ended?: 'completed' | 'archived';
  /** Tasks: what re-planning a resized block needs (and the due time its blocks' flags read). */
  task?: { priority: Priority; dueAt: Date | null; createdAt: Date };
  /** The user's zone when the caller has it (saves a lookup when only titles change). */
  zone?: string;
  /** 1:1s whose cadence or time changed: the next occurrence to plan its future block on again (null when it has none). */
  replan?: { date: string; preferredStartMinute: number } | null;
}

/** Codes of what following does not do, beside the planner's (lib/scheduling/reasons.ts). */
export type FollowCode = PlanReasonCode | 'pinned_block' | 'split_over_blocks';

export interface ScheduleChange {
  action: 'renamed' | 'resized' | 'moved' | 'removed' | 'completed' | 'kept' | 'unplaced';
  block: BlockView;
  /** Where (and as what) it was before, for renamed, resized and moved blocks. */
  from?: { start: string; end: string; title: string };
  /** Why, for kept and unplaced blocks. */
  code?: FollowCode;
  reason?: string;
  /** One line a person reads: `block moved to tomorrow 09:00–10:30`. */
  summary: string;
}

/** How far ahead a resized block that no longer fits, or a 1:1 whose cadence changed, is re-planned. */
export const replanDays = 14;

/** A 1:1's block title. */
export const meetingBlockTitle = (name: string) => `1:1 ${name}`;

const blockType: Record<FollowedKind, ScheduleBlock['type']> = { task: 'task', habit: 'habit', meeting: 'meeting' };

function fromOf(block: ScheduleBlock, zone: string): NonNullable<ScheduleChange['from']> {
  return { start: toZonedIso(block.startAt, zone), end: toZonedIso(block.endAt, zone), title: block.title };
}

/** Brings the source's blocks in line with `change`; returns what changed. Call inside the source's transaction. */
export async function followSource(tx: DbTx, ctx: ServiceContext, change: SourceChange): Promise<ScheduleChange[]> {
  if (change.title === undefined && change.minutes === undefined && !change.ended && change.replan === undefined) return [];
  const now = ctx.now();
  const planned = await tx.scheduleBlock.findMany({
    where: { userId: ctx.userId, referenceId: change.id, type: blockType[change.kind], source: 'orbita', status: 'planned' },
    orderBy: [{ startAt: 'asc' }, { id: 'asc' }],
  });
  if (!planned.length) return [];
  // Planners and manual edits of this user wait for (or see) these changes: without the lock, a
  // planner that read the old title or the open status could store a block after they were followed.
  await lockUserSchedule(tx, ctx.userId);
  // Only a change of length or time looks for free time, and needs the hours.
  const slots = change.minutes !== undefined || change.replan !== undefined;
  const hours = slots || !change.zone ? await planningHours(tx, ctx.userId) : null;
  const followed = new Followed(tx, ctx, hours, change.zone ?? (hours as PlanningHours).zone, now, change.kind === 'task' && !change.ended ? (change.task?.dueAt ?? null) : null);

  if (change.ended) {
    for (const block of planned) {
      if (block.startAt >= now) await followed.remove(block, `${change.kind}_${change.ended}`);
      else if (change.kind === 'task') await followed.complete(block, `task_${change.ended}`);
    }
    return followed.changes;
  }

  let current = planned.filter((b) => b.endAt > now);
  if (change.title !== undefined) current = await followed.rename(current, change.title);
  if (change.replan !== undefined) return followed.replanMeeting(change, current);
  if (change.minutes !== undefined) await followed.resize(change, current);
  return followed.changes;
}

/** One follow-up's writes and report. */
class Followed {
  readonly changes: ScheduleChange[] = [];

  constructor(
    private readonly tx: DbTx,
    private readonly ctx: ServiceContext,
    /** Loaded when the change looks for free time (lengths, re-plans). */
    private readonly planning: PlanningHours | null,
    private readonly zone: string,
    private readonly now: Date,
    /** The open task's due time, for its blocks' flags (null for habits, 1:1s and tasks done with). */
    private readonly taskDueAt: Date | null,
  ) {}

  private get hours(): PlanningHours {
    if (!this.planning) throw new Error('followSource: planning hours were not loaded for a change of titles only');
    return this.planning;
  }

  private report(change: Omit<ScheduleChange, 'summary'>): void {
    this.changes.push({ ...change, summary: describeChange(change, localDate(this.now, this.zone)) });
  }

  private view(block: ScheduleBlock): BlockView {
    return blockView({ ...block, taskDueAt: this.taskDueAt }, this.zone, this.now);
  }

  /** Deletes a block; reported as removed, or as unplaced with why it could not stay (`unplaced`). */
  async remove(block: ScheduleBlock, reason: string, unplaced?: { code: FollowCode; reason: string }): Promise<void> {
    await this.tx.scheduleBlock.delete({ where: { id: block.id } });
    const view = this.view(block);
    await recordBlockEvent(this.tx, this.ctx, 'scheduling.block.removed', view, { reason });
    this.report(unplaced ? { action: 'unplaced', block: view, ...unplaced } : { action: 'removed', block: view });
  }

  async complete(block: ScheduleBlock, reason: string): Promise<void> {
    const done = await this.tx.scheduleBlock.update({ where: { id: block.id }, data: { status: 'completed', updatedAt: this.now } });
    const view = this.view(done);
    await recordBlockEvent(this.tx, this.ctx, 'scheduling.block.completed', view, { reason });
    this.report({ action: 'completed', block: view });
  }

  async rename(blocks: ScheduleBlock[], title: string): Promise<ScheduleBlock[]> {
    const renamed: ScheduleBlock[] = [];
    for (const block of blocks) {
      if (block.title === title) {
        renamed.push(block);
        continue;
      }
      const updated = await this.tx.scheduleBlock.update({ where: { id: block.id }, data: { title, updatedAt: this.now } });
      const view = this.view(updated);
      const from = fromOf(block, this.zone);
      await recordBlockEvent(this.tx, this.ctx, 'scheduling.block.rescheduled', view, { from, reason: 'source_renamed', changed: ['title'] });
      this.report({ action: 'renamed', block: view, from });
      renamed.push(updated);
    }
    return renamed;
  }

  /** The window a block of `kind` belongs in on its date (working hours; personal hours for habits). */
  private windowOf(kind: FollowedKind, block: ScheduleBlock): Interval | undefined {
    const date = localDate(block.startAt, this.zone);
    return kind === 'habit' ? personalWindow(date, this.zone, this.hours.personalHours)[0] : workingWindow(date, this.zone, this.hours.workingHours)[0];
  }

  /** Whether [start, end) is free of every other block (Orbita and imported). */
  private async isFree(start: Date, end: Date, exceptId: string): Promise<boolean> {
    const other = await this.tx.scheduleBlock.findFirst({
      where: { userId: this.ctx.userId, id: { not: exceptId }, startAt: { lt: end }, endAt: { gt: start }, status: { not: 'missed' } },
      select: { id: true },
    });
    return other === null;
  }

  async resize(change: SourceChange, blocks: ScheduleBlock[]): Promise<void> {
    const minutes = change.minutes as number;
    const future = blocks.filter((b) => b.startAt >= this.now);
    if (future.length > 1) {
      for (const block of future) {
        this.report({ action: 'kept', block: this.view(block), code: 'split_over_blocks', reason: `the ${change.kind} is split over ${future.length} blocks: they keep their lengths` });
      }
      return;
    }
    const [block] = future;
    if (!block) return;
    const length = minutes * 60_000;
    if (block.endAt.getTime() - block.startAt.getTime() === length) return;
    const end = new Date(block.startAt.getTime() + length);
    const window = this.windowOf(change.kind, block);
    const inHours = block.pinned || (window !== undefined && block.startAt.getTime() >= window.start && end.getTime() <= window.end);
    const from = fromOf(block, this.zone);
    if (inHours && (await this.isFree(block.startAt, end, block.id))) {
      const resized = await this.tx.scheduleBlock.update({ where: { id: block.id }, data: { endAt: end, updatedAt: this.now } });
      const view = this.view(resized);
      await recordBlockEvent(this.tx, this.ctx, 'scheduling.block.rescheduled', view, { from, reason: 'source_resized' });
      this.report({ action: 'resized', block: view, from });
      return;
    }
    if (block.pinned) {
      const reason = `it was placed by hand: it stays at ${from.start.slice(11, 16)} with its old length (a ${lengthName(minutes)} block there would overlap another)`;
      this.report({ action: 'kept', block: this.view(block), code: 'pinned_block', reason });
      return;
    }
    if (change.kind !== 'task') {
      // A habit or 1:1 belongs to its day and time: it is not moved elsewhere.
      await this.remove(block, 'source_resized', { code: 'no_free_time', reason: `a ${lengthName(minutes)} block no longer fits at ${from.start.slice(11, 16)}` });
      return;
    }
    await this.replanTask(change, block, minutes, from);
  }

  /** Gives a task's block a new time (the first free slot of the next 14 days), or removes it saying why. */
  private async replanTask(change: SourceChange, block: ScheduleBlock, minutes: number, from: NonNullable<ScheduleChange['from']>): Promise<void> {
    const today = localDate(this.now, this.zone);
    const dates = Array.from({ length: replanDays }, (_, i) => addDays(today, i));
    const range = { start: localDayBounds(dates[0], this.zone).start, end: localDayBounds(dates[dates.length - 1], this.zone).end };
    const busy = (await blocksBetween(this.tx, this.ctx.userId, range.start, range.end))
      .filter((b) => b.id !== block.id && b.status !== 'missed')
      .map((b) => ({ start: b.startAt.getTime(), end: b.endAt.getTime() }));
    const task = change.task;
    const candidate: Candidate = {
      kind: 'task',
      refId: change.id,
      title: block.title,
      durationMinutes: minutes,
      createdAt: task?.createdAt.getTime() ?? 0,
      priority: task?.priority ?? 'none',
      dueAt: task?.dueAt?.getTime() ?? null,
    };
    const result = plan({ candidates: [candidate], busy, dates, ...this.hours, now: this.now.getTime() });
    const placement = result.placements[0];
    if (!placement) {
      const failure = result.failures[0];
      await this.remove(block, 'source_resized', { code: failure?.code ?? 'no_free_time', reason: failure?.reason ?? `no ${lengthName(minutes)} slot in the next ${replanDays} days` });
      return;
    }
    const moved = await this.tx.scheduleBlock.update({
      where: { id: block.id },
      data: { startAt: new Date(placement.start), endAt: new Date(placement.end), updatedAt: this.now },
    });
    const view = this.view(moved);
    await recordBlockEvent(this.tx, this.ctx, 'scheduling.block.rescheduled', view, { from, reason: 'source_resized' });
    this.report({ action: 'moved', block: view, from, ...(placement.note ? { code: placement.note.code, reason: placement.note.reason } : {}) });
  }

  /**
   * A 1:1's cadence or time changed: its future unpinned blocks go, and its next occurrence is
   * planned again (the first block keeps its id, so its calendar event is updated, not replaced).
   */
  async replanMeeting(change: SourceChange, blocks: ScheduleBlock[]): Promise<ScheduleChange[]> {
    const future = blocks.filter((b) => b.startAt >= this.now && !b.pinned);
    if (!future.length) return this.changes;
    const next = change.replan;
    const today = localDate(this.now, this.zone);
    // Planned again only within reach, and not on a day a block put there by hand already holds.
    const inReach = next && next.date <= addDays(today, replanDays - 1) && !blocks.some((b) => b.pinned && localDate(b.startAt, this.zone) === next.date);
    const reusable = inReach ? future[0] : undefined;
    for (const block of future) if (block !== reusable) await this.remove(block, 'source_replanned');
    if (!next || !reusable) return this.changes;
    const { start, end } = localDayBounds(next.date, this.zone);
    const busy = (await blocksBetween(this.tx, this.ctx.userId, start, end))
      .filter((b) => b.id !== reusable.id && b.status !== 'missed')
      .map((b) => ({ start: b.startAt.getTime(), end: b.endAt.getTime() }));
    const candidate: Candidate = {
      kind: 'meeting',
      refId: change.id,
      title: change.title ?? reusable.title,
      durationMinutes: change.minutes ?? Math.round((reusable.endAt.getTime() - reusable.startAt.getTime()) / 60_000),
      createdAt: 0,
      date: next.date,
      preferredStartMinute: next.preferredStartMinute,
    };
    const result = plan({ candidates: [candidate], busy, dates: [next.date], ...this.hours, now: this.now.getTime() });
    const placement = result.placements[0];
    if (!placement) {
      const failure = result.failures[0];
      await this.remove(reusable, 'source_replanned', { code: failure?.code ?? 'no_free_time', reason: failure?.reason ?? `no free slot ${dayName(next.date, today)}` });
      return this.changes;
    }
    if (reusable.startAt.getTime() === placement.start && reusable.endAt.getTime() === placement.end) return this.changes;
    const moved = await this.tx.scheduleBlock.update({
      where: { id: reusable.id },
      data: { startAt: new Date(placement.start), endAt: new Date(placement.end), title: candidate.title, updatedAt: this.now },
    });
    const view = this.view(moved);
    const from = fromOf(reusable, this.zone);
    await recordBlockEvent(this.tx, this.ctx, 'scheduling.block.rescheduled', view, { from, reason: 'source_replanned' });
    this.report({ action: 'moved', block: view, from });
    return this.changes;
  }
}

/** One line per change, as a person reads it (the CLI prints these; the dashboard shows them in its toast). */
function describeChange(change: Omit<ScheduleChange, 'summary'>, today: string): string {
  const b = change.block;
  const when = `${dayName(b.date, today)} ${b.startTime}–${b.endTime}`;
  switch (change.action) {
    case 'renamed':
      return `block ${when} renamed to “${b.title}”`;
    case 'resized':
      return `block resized: ${when}`;
    case 'moved':
      return `block moved to ${when}${change.reason ? ` (${change.reason})` : ''}`;
    case 'removed':
      return `block ${when} removed`;
    case 'completed':
      return `block ${when} marked done`;
    case 'kept':
      return `block ${when} kept: ${change.reason}`;
    case 'unplaced':
      return `block ${when} removed: ${change.reason}`;
  }
}
