import type { ZodError } from 'zod';
import type { ServiceContext } from '../context';
import { type DbTx, transaction } from '../db/client';
import { type AppError, notFound, validationError } from '../errors';
import { formatMinute, parseMinute } from '../time';
import { type UpdateProfileInput, updateProfileSchema } from './schemas';

/** A daily window as HH:MM (end may be 24:00). */
export interface Hours {
  start: string;
  end: string;
}

/** What Settings → Profile edits: the time zone, working hours per weekday (index 0 = Sunday; null = day off) and personal hours. */
export interface Profile {
  timeZone: string;
  workingHours: (Hours | null)[];
  personalHours: Hours;
}

const toHours = (startMinute: number, endMinute: number): Hours => ({ start: formatMinute(startMinute), end: formatMinute(endMinute) });

// The schema has already checked the format, so parseMinute cannot answer null here.
const toMinutes = ({ start, end }: Hours) => ({ startMinute: parseMinute(start) as number, endMinute: parseMinute(end) as number });

async function readProfile(db: DbTx, userId: string): Promise<Profile> {
  const user = await db.user.findFirst({
    where: { id: userId },
    select: { timeZone: true, personalStartMinute: true, personalEndMinute: true, workingHours: { select: { weekday: true, startMinute: true, endMinute: true } } },
  });
  if (!user) throw notFound('user');
  const workingHours: (Hours | null)[] = Array.from({ length: 7 }, () => null);
  for (const day of user.workingHours) workingHours[day.weekday] = toHours(day.startMinute, day.endMinute);
  return { timeZone: user.timeZone, workingHours, personalHours: toHours(user.personalStartMinute, user.personalEndMinute) };
}

/** The acting user's time zone, working hours and personal hours. */
export async function getProfile(ctx: ServiceContext): Promise<Profile> {
  return readProfile(ctx.db, ctx.userId);
}

/**
 * Changes what `input` names: the time zone, the whole week of working hours (the stored set is
 * replaced in the same transaction, so the scheduler never sees half a week), personal hours.
 * No domain event: SPEC §8 lists none for profile changes, and nothing downstream consumes one.
 */
export async function updateProfile(ctx: ServiceContext, input: UpdateProfileInput): Promise<Profile> {
  const parsed = updateProfileSchema.safeParse(input);
  if (!parsed.success) throw invalidProfile(parsed.error);
  const { timeZone, workingHours, personalHours } = parsed.data;
  return transaction(ctx.db, async (tx) => {
    const personal = personalHours ? toMinutes(personalHours) : null;
    const updated = await tx.user.updateMany({
      where: { id: ctx.userId },
      data: {
        updatedAt: ctx.now(),
        ...(timeZone ? { timeZone } : {}),
        ...(personal ? { personalStartMinute: personal.startMinute, personalEndMinute: personal.endMinute } : {}),
      },
    });
    if (updated.count === 0) throw notFound('user');
    if (workingHours) {
      await tx.workingHours.deleteMany({ where: { userId: ctx.userId } });
      const rows = workingHours.flatMap((hours, weekday) => (hours ? [{ userId: ctx.userId, weekday, ...toMinutes(hours) }] : []));
      if (rows.length) await tx.workingHours.createMany({ data: rows });
    }
    return readProfile(tx, ctx.userId);
  });
}

/** Issue messages of the hours schemas already start with their row ("Tuesday: …"); others get their field name. */
function labelled(field: string | null, message: string): string {
  if (!field || /^[A-Z][\w ]*: /.test(message) || message.startsWith(field)) return message;
  return `${field}: ${message}`;
}

/** A validation error listing every problem (a form can show them all at once), with `details.issues` per field path. */
function invalidProfile(error: ZodError): AppError {
  const issues = error.issues.map((issue) => ({ field: issue.path.join('.') || null, message: issue.message }));
  const message = [...new Set(issues.map(({ field, message: text }) => labelled(field, text)))].join('; ');
  return validationError(message || 'invalid profile', { issues });
}

/**
 * The first message per form row: `timeZone`, `personalHours`, and one key per weekday
 * (`workingHours.2` for Tuesday), so each error shows next to its own row.
 */
export function profileFieldErrors(error: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const [first, second] = issue.path;
    const key = first === 'workingHours' && typeof second === 'number' ? `workingHours.${second}` : String(first ?? 'form');
    fields[key] ??= issue.message;
  }
  return fields;
}
