import { z } from 'zod';
import { inSupportedYears, isCalendarDate, parseMinute, yearsMessage } from '../time';

/**
 * Zod building blocks shared by every context's operation schemas. Messages name the field in
 * words a person typing a flag or a JSON body recognises.
 */

/** A title or name: trimmed, 1–500 characters. */
export const titleSchema = (field: string) =>
  z
    .string({ message: `${field} is required` })
    .trim()
    .min(1, `${field} must not be empty`)
    .max(500, `${field} must be at most 500 characters`);

export const descriptionSchema = z.string().trim().max(5000, 'description must be at most 5000 characters');

/**
 * A whole number within [min, max]. `message` answers a value that is not a whole number and, unless
 * `rangeMessage` says otherwise, one outside the range; `coerce` reads query-string text.
 */
export function wholeNumberSchema(min: number, max: number, message: string, options: { rangeMessage?: string; coerce?: boolean } = {}) {
  const range = options.rangeMessage ?? message;
  const number = options.coerce ? z.coerce.number({ message }) : z.number({ message });
  return number.int(message).min(min, range).max(max, range);
}

/** Whole minutes within [min, max]. */
export const minutesSchema = (field: string, min: number, max: number) =>
  wholeNumberSchema(min, max, `${field} must be a whole number of minutes`, { rangeMessage: `${field} must be between ${min} and ${max} minutes` });

/** A calendar date YYYY-MM-DD (read in the user's time zone). */
export const localDateSchema = (field: string) =>
  z
    .string({ message: `${field} must be a date (YYYY-MM-DD)` })
    .trim()
    .refine(isCalendarDate, `${field} must be a real date written YYYY-MM-DD`)
    .refine(inSupportedYears, yearsMessage(field));

/** A wall-clock time HH:MM (00:00–23:59) in the user's time zone, as minutes after midnight. */
export const clockTimeSchema = (field: string) =>
  z
    .string({ message: `${field} must be a time (HH:MM)` })
    .trim()
    .transform((text, ctx) => {
      const minute = parseMinute(text);
      if (minute === null || minute >= 1440) {
        ctx.addIssue({ code: 'custom', message: `${field} must be a time between 00:00 and 23:59 (HH:MM), got "${text}"` });
        return z.NEVER;
      }
      return minute;
    });

/** A full id or an id prefix (as the CLI shows them), case-insensitive. */
export const idRefSchema = (entity: string) =>
  z
    .string({ message: `${entity} id is required` })
    .trim()
    .toLowerCase()
    .regex(/^[0-9a-f-]{1,36}$/, `${entity} id must be an id or an id prefix (hex digits)`);

/** Cursor pagination shared by every list: `limit` (1–200, default 50) and the previous page's `nextCursor`. */
export const pageSchema = z.object({
  limit: z.coerce
    .number({ message: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be between 1 and 200')
    .max(200, 'limit must be between 1 and 200')
    .default(50),
  cursor: z.string().trim().min(1).optional(),
});

/** Query-string booleans: `true`/`false`/`1`/`0` (a bare `?due` counts as true). */
export const queryBoolean = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])])
  .transform((value) => value === true || value === 'true' || value === '1' || value === '');
