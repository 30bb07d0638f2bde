import type { ServiceContext } from '../context';
import { transaction } from '../db/client';
import type { Meeting } from '../generated/prisma/client';
import { userZone } from '../identity/users';
import { localDate } from '../time';
import { type Cadence, daysSinceHeld, decideAdapt, neverHeldReason } from './rules';
import { meetingView, recordMeetingEvent } from './service';

/** One meeting's line in the adapt report. */
export interface AdaptMeetingEntry {
  id: string;
  name: string;
  from: Cadence;
  to: Cadence;
  changed: boolean;
  /** Whole local calendar days since the day it was last held; null when never held. */
  daysSinceHeld: number | null;
  reason: string;
}

export interface AdaptMeetingsReport {
  /** Active meetings looked at (each has an entry, including those never held). */
  evaluated: number;
  /** Meetings whose cadence changed. */
  updated: number;
  meetings: AdaptMeetingEntry[];
}

const cadenceOf = (meeting: Meeting): Cadence => ({ cadence: meeting.cadence, intervalDays: meeting.intervalDays });

/**
 * Adaptive frequency for 1:1s (SPEC §4): every active meeting held at least once gets the cadence
 * decideAdapt gives for the days since it was last held. Each change updates the meeting and records
 * `meetings.smart1to1.frequency_changed` in the same transaction. Module gating (`smart-1to1`,
 * `adaptive-frequency`) is the caller's: the combined `adapt` service does it.
 */
export async function adaptMeetings(ctx: ServiceContext): Promise<AdaptMeetingsReport> {
  const zone = await userZone(ctx);
  const now = ctx.now();
  const today = localDate(now, zone);
  return transaction(ctx.db, async (tx) => {
    // Lock the user's active meetings so a concurrent update or held cannot interleave.
    await tx.$queryRaw`SELECT id FROM meetings WHERE user_id = ${ctx.userId}::uuid AND NOT archived ORDER BY id FOR UPDATE`;
    const meetings = await tx.meeting.findMany({ where: { userId: ctx.userId, archived: false }, orderBy: [{ createdAt: 'asc' }, { name: 'asc' }, { id: 'asc' }] });
    const entries: AdaptMeetingEntry[] = [];
    for (const meeting of meetings) {
      const from = cadenceOf(meeting);
      const base = { id: meeting.id, name: meeting.name, from };
      if (!meeting.lastHeldAt) {
        entries.push({ ...base, to: from, changed: false, daysSinceHeld: null, reason: neverHeldReason });
        continue;
      }
      const days = daysSinceHeld(meeting.lastHeldAt, today, zone);
      const decision = decideAdapt(from, days);
      entries.push({ ...base, to: decision.to, changed: decision.changed, daysSinceHeld: days, reason: decision.reason });
      if (!decision.changed) continue;
      const updated = await tx.meeting.update({
        where: { id: meeting.id },
        data: { cadence: decision.to.cadence, intervalDays: decision.to.intervalDays, updatedAt: now },
      });
      await recordMeetingEvent(tx, ctx, 'meetings.smart1to1.frequency_changed', meetingView(updated, zone, now), {
        from: decision.from,
        to: decision.to,
        daysSinceHeld: days,
      });
    }
    return { evaluated: entries.length, updated: entries.filter((e) => e.changed).length, meetings: entries };
  });
}
