import type { Operation } from '../http/openapi';
import { z } from 'zod';
import type { ServiceContext } from '../context';
import { notFound } from '../errors';
import { habitsDueToday, logHabit } from '../habits/service';
import { ambiguous } from '../shared/refs';
import { idRefSchema } from '../shared/schemas';
import { completeTask } from '../tasks/service';

export const doneSchema = z
  .object({
    prefix: z.string({ message: 'prefix is required' }).trim().min(1, 'prefix is required').describe('An id prefix of an open task or of a habit due today'),
    notes: z.string().max(2000, 'notes must be at most 2000 characters').optional().describe('Notes for a habit completion'),
  })
  .strict();
export type DoneInput = z.input<typeof doneSchema>;

/** What `done <prefix>` finished. */
export type DoneResult =
  | { kind: 'task'; task: Awaited<ReturnType<typeof completeTask>> }
  | { kind: 'habit'; log: Awaited<ReturnType<typeof logHabit>> };

/**
 * `orbita done <prefix>`: completes the open task or logs today's completion of the due habit whose
 * id starts with `prefix` (case-insensitive). Several matches → a validation error listing them.
 */
export async function done(ctx: ServiceContext, input: DoneInput): Promise<DoneResult> {
  const options = doneSchema.parse(input);
  const parsed = idRefSchema('item').safeParse(options.prefix);
  if (!parsed.success) throw notFound(`open task or due habit ${JSON.stringify(options.prefix)}`);
  const prefix = parsed.data;
  const tasks = await ctx.db.$queryRaw<{ id: string; label: string }[]>`
    SELECT id::text AS id, title AS label FROM tasks
     WHERE user_id = ${ctx.userId}::uuid AND status IN ('pending', 'in_progress') AND id::text LIKE ${`${prefix}%`}
     ORDER BY created_at LIMIT 11`;
  const habits = (await habitsDueToday(ctx)).filter((habit) => habit.id.startsWith(prefix)).map((habit) => ({ id: habit.id, label: habit.name }));
  const candidates = [...tasks.map((t) => ({ ...t, kind: 'task' })), ...habits.map((h) => ({ ...h, kind: 'habit' }))];
  if (candidates.length === 0) throw notFound(`open task or due habit matching "${prefix}"`);
  if (candidates.length > 1) throw ambiguous(prefix, candidates);
  const [only] = candidates;
  if (only.kind === 'task') return { kind: 'task', task: await completeTask(ctx, only.id) };
  return { kind: 'habit', log: await logHabit(ctx, only.id, options.notes === undefined ? {} : { notes: options.notes }) };
}

export const doneOperations: Operation[] = [
  { method: 'post', path: '/done', tag: 'tasks', summary: 'Complete the open task or log the due habit an id prefix names', body: doneSchema, returns: '`{ kind: "task", task }` or `{ kind: "habit", log: { habit, completion } }`' },
];
