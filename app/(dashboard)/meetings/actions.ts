'use server';

import type { CadenceName } from '@/lib/meetings/rules';
import { archiveMeeting, createMeeting, type MeetingHeld, type MeetingView, markMeetingHeld, updateMeeting } from '@/lib/meetings/service';
import { type ActionResult, runAction } from '../run-action';

/** Pages that show 1:1s (Today plans them). */
const meetingPages = ['/meetings', '/today'];

/** What the meeting forms send: each input's text as typed (the service's schema judges it). */
export interface MeetingFormValues {
  name: string;
  cadence: CadenceName;
  /** Days between meetings, only read for a custom cadence. */
  intervalDays: string;
  durationMinutes: string;
  /** Preferred start, HH:MM. */
  time: string;
}

/** Typed text → a number (NaN for "abc", which the schema answers with the field's own message); empty → not given. */
const numberFrom = (text: string) => (text.trim() === '' ? undefined : Number(text.trim()));

/** The cadence fields of a form: the interval counts only with a custom cadence (a named one sets its own). */
const cadenceFrom = (values: Pick<MeetingFormValues, 'cadence' | 'intervalDays'>) => {
  const intervalDays = values.cadence === 'custom' ? numberFrom(values.intervalDays) : undefined;
  return { cadence: values.cadence, ...(intervalDays !== undefined ? { intervalDays } : {}) };
};

export async function createMeetingAction(values: MeetingFormValues): Promise<ActionResult<MeetingView>> {
  const durationMinutes = numberFrom(values.durationMinutes);
  return runAction(
    (ctx) =>
      createMeeting(ctx, {
        name: values.name,
        ...cadenceFrom(values),
        ...(durationMinutes !== undefined ? { durationMinutes } : {}),
        ...(values.time.trim() !== '' ? { time: values.time } : {}),
      }),
    meetingPages,
  );
}

/** Saves an inline edit of the cadence and the length. */
export async function updateMeetingAction(meetingId: string, values: Pick<MeetingFormValues, 'cadence' | 'intervalDays' | 'durationMinutes'>): Promise<ActionResult<MeetingView>> {
  const durationMinutes = numberFrom(values.durationMinutes);
  return runAction((ctx) => updateMeeting(ctx, meetingId, { ...cadenceFrom(values), ...(durationMinutes !== undefined ? { durationMinutes } : {}) }), meetingPages);
}

/** Records that the 1:1 took place now; the next occurrence moves on from today. */
export async function markMeetingHeldAction(meetingId: string): Promise<ActionResult<MeetingHeld>> {
  return runAction((ctx) => markMeetingHeld(ctx, meetingId), meetingPages);
}

export async function archiveMeetingAction(meetingId: string): Promise<ActionResult<MeetingView>> {
  return runAction((ctx) => archiveMeeting(ctx, meetingId), meetingPages);
}
