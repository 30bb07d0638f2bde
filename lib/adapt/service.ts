import type { Operation } from '../http/openapi';
import { z } from 'zod';
import { requireModule } from '../billing/modules';
import type { ServiceContext } from '../context';
import { adaptHabits } from '../habits/adapt';
import { adaptMeetings } from '../meetings/adapt';
import { queryBoolean, wholeNumberSchema } from '../shared/schemas';

export const adaptSchema = z
  .object({
    habits: queryBoolean.optional().describe('Adapt habit frequencies (default: both habits and meetings when neither is chosen)'),
    meetings: queryBoolean.optional().describe('Adapt 1:1 cadences (default: both when neither is chosen)'),
    windowDays: wholeNumberSchema(7, 90, 'window-days must be a whole number of days', { rangeMessage: 'window-days must be between 7 and 90' })
      .default(14)
      .describe('Days of habit history to judge (the full days ending yesterday), 7–90, default 14'),
  })
  .strict();
export type AdaptInput = z.input<typeof adaptSchema>;

export interface AdaptReport {
  habits: Awaited<ReturnType<typeof adaptHabits>> | null;
  meetings: Awaited<ReturnType<typeof adaptMeetings>> | null;
}

/**
 * Adaptive frequency (SPEC §3–4): module `adaptive-frequency`, and `smart-1to1` for the meetings
 * part. With neither `habits` nor `meetings` chosen, adapts both.
 */
export async function adapt(ctx: ServiceContext, input: AdaptInput = {}): Promise<AdaptReport> {
  const data = adaptSchema.parse(input);
  const both = !data.habits && !data.meetings;
  const doHabits = both || data.habits;
  const doMeetings = both || data.meetings;
  await requireModule(ctx, 'adaptive-frequency');
  if (doMeetings) await requireModule(ctx, 'smart-1to1');
  return {
    habits: doHabits ? await adaptHabits(ctx, { windowDays: data.windowDays }) : null,
    meetings: doMeetings ? await adaptMeetings(ctx) : null,
  };
}

export const adaptOperations: Operation[] = [
  {
    method: 'post',
    path: '/adapt',
    tag: 'adapt',
    summary: 'Adapt habit frequencies and/or 1:1 cadences to what actually happened (modules adaptive-frequency, smart-1to1)',
    body: adaptSchema,
    returns: '`{ habits, meetings }` reports: evaluated, updated and per item old → new and why',
  },
];
