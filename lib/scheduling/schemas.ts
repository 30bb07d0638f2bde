import { DateTime } from 'luxon';
import { z } from 'zod';
import { localDateSchema, pageSchema, titleSchema, wholeNumberSchema } from '../shared/schemas';
import { inSupportedYears, parseMinute, yearsMessage } from '../time';

/** Block types (SPEC §5). */
export const blockTypes = ['task', 'habit', 'meeting', 'focus', 'break', 'event'] as const;
export type BlockTypeName = (typeof blockTypes)[number];
/** Block types that may (optionally) point at a task, habit or meeting. */
export const referencingTypes = ['task', 'habit', 'meeting'] as const;

export const blockTypeSchema = z.enum(blockTypes, { message: `type must be one of ${blockTypes.join(', ')}` });

/** Shortest and longest block (SPEC §5: at least 5 minutes; at most one day). */
export const minBlockMinutes = 5;
export const maxBlockMinutes = 24 * 60;

export const blockRuleMessages = {
  endAfterStart: 'end must be after start',
  tooShort: `a block must be at least ${minBlockMinutes} minutes`,
  tooLong: 'a block must be at most 24 hours',
} as const;

/**
 * A block boundary as given: a wall-clock time on the block's date (`{ minute }`, minutes after
 * local midnight; 1440 = `24:00`, the end of that day) or an absolute instant (`{ instant }`, epoch ms).
 */
export type TimePoint = { minute: number } | { instant: number };

const isoWithOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** `start`/`end`: HH:MM on `date` in the user's zone, or an ISO-8601 date-time with an offset. */
const timePointSchema = (field: 'start' | 'end') => {
  const message = `${field} must be a time HH:MM (00:00–${field === 'end' ? '24:00' : '23:59'}) or an ISO-8601 date-time with an offset (e.g. 2026-03-30T09:00:00+02:00)`;
  return z
    .string({ message })
    .trim()
    .transform((text, ctx): TimePoint => {
      if (/^\d{1,2}:\d{2}$/.test(text)) {
        const minute = parseMinute(text);
        if (minute !== null && (field === 'end' || minute < 1440)) return { minute };
      } else if (isoWithOffset.test(text)) {
        const parsed = DateTime.fromISO(text, { setZone: true });
        if (parsed.isValid && inSupportedYears(text)) return { instant: parsed.toMillis() };
        if (parsed.isValid) {
          ctx.addIssue({ code: 'custom', message: `${yearsMessage(field)}, got "${text}"` });
          return z.NEVER;
        }
      }
      ctx.addIssue({ code: 'custom', message: `${message}, got "${text}"` });
      return z.NEVER;
    });
};

/**
 * The span rules that need no time zone (both wall times, or both instants). The service checks
 * them again once wall times are placed in the user's zone (mixed forms, DST days).
 */
export function spanProblem(start: TimePoint, end: TimePoint): string | null {
  let minutes: number;
  if ('minute' in start && 'minute' in end) minutes = end.minute - start.minute;
  else if ('instant' in start && 'instant' in end) minutes = (end.instant - start.instant) / 60_000;
  else return null;
  if (minutes <= 0) return blockRuleMessages.endAfterStart;
  if (minutes < minBlockMinutes) return blockRuleMessages.tooShort;
  if (minutes > maxBlockMinutes) return blockRuleMessages.tooLong;
  return null;
}

const spanFields = {
  date: localDateSchema('date').optional().describe('Local date YYYY-MM-DD the HH:MM times are on (default today in your time zone)'),
  start: timePointSchema('start').describe('Start: HH:MM on `date` in your time zone, or an ISO-8601 date-time with an offset'),
  end: timePointSchema('end').describe('End: HH:MM on `date` (24:00 = midnight ending the day), or an ISO-8601 date-time with an offset'),
};

function checkSpan(input: { start: TimePoint; end: TimePoint }, ctx: z.RefinementCtx) {
  if (typeof input.start !== 'object' || typeof input.end !== 'object' || !input.start || !input.end) return;
  const problem = spanProblem(input.start, input.end);
  if (problem) ctx.addIssue({ code: 'custom', path: ['end'], message: problem });
}

export const addBlockSchema = z
  .object({
    type: blockTypeSchema.describe(`One of ${blockTypes.join(', ')}`),
    title: titleSchema('title').describe('What the block is for, 1–500 characters'),
    referenceId: z
      .uuid({ message: 'referenceId must be the id (uuid) of one of your tasks, habits or meetings' })
      .optional()
      .describe('The task, habit or meeting this block is for (its type must match `type`)'),
    ...spanFields,
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.referenceId !== undefined && !(referencingTypes as readonly string[]).includes(input.type)) {
      ctx.addIssue({ code: 'custom', path: ['referenceId'], message: `referenceId is only for ${referencingTypes.join(', ')} blocks` });
    }
    checkSpan(input, ctx);
  });
export type AddBlockInput = z.input<typeof addBlockSchema>;

export const moveBlockSchema = z.object(spanFields).strict().superRefine(checkSpan);
export type MoveBlockInput = z.input<typeof moveBlockSchema>;

export const scheduleDaySchema = z.object({ date: spanFields.date.describe('Local date YYYY-MM-DD (default today)') }).strict();
export type ScheduleDayInput = z.input<typeof scheduleDaySchema>;

export const scheduleWeekSchema = z
  .object({
    date: localDateSchema('date').optional().describe('Any date YYYY-MM-DD in the week (default today)'),
    offset: wholeNumberSchema(-52, 52, 'offset must be a whole number of weeks between -52 and 52', { coerce: true })
      .optional()
      .describe('Weeks from the week of `date` (default this week): 1 = next week, -1 = last week'),
  })
  .strict();
export type ScheduleWeekInput = z.input<typeof scheduleWeekSchema>;

export const freeSlotsSchema = z
  .object({
    date: localDateSchema('date').optional().describe('Local date YYYY-MM-DD (default today)'),
    min: wholeNumberSchema(5, 480, 'min must be a whole number of minutes between 5 and 480', { coerce: true })
      .default(30)
      .describe('Shortest slot to list, minutes 5–480 (default 30)'),
  })
  .strict();
export type FreeSlotsInput = z.input<typeof freeSlotsSchema>;

/** A range bound: a local date (from = its start, to = its end) or an ISO-8601 date-time with an offset. */
const boundSchema = (field: 'from' | 'to') => {
  const message = `${field} must be a date YYYY-MM-DD or an ISO-8601 date-time with an offset`;
  return z
    .string({ message })
    .trim()
    .refine((text) => (/^\d{4}-\d{2}-\d{2}$/.test(text) || isoWithOffset.test(text)) && DateTime.fromISO(text, { setZone: true }).isValid, message)
    .refine(inSupportedYears, yearsMessage(field));
};

export const listBlocksSchema = pageSchema
  .extend({
    from: boundSchema('from').optional().describe('Blocks ending after this: a date YYYY-MM-DD (its local start) or a date-time with an offset'),
    to: boundSchema('to').optional().describe('Blocks starting before this: a date YYYY-MM-DD (through its local end) or a date-time with an offset'),
  })
  .strict();
export type ListBlocksInput = z.input<typeof listBlocksSchema>;
