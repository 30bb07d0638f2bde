import { DateTime } from 'luxon';
import { z } from 'zod';
import { descriptionSchema, localDateSchema, minutesSchema, pageSchema, queryBoolean, titleSchema } from '../shared/schemas';
import { inSupportedYears, yearsMessage } from '../time';

export const taskStatuses = ['pending', 'in_progress', 'completed', 'archived'] as const;
export type TaskStatusName = (typeof taskStatuses)[number];
export const priorities = ['none', 'low', 'medium', 'high', 'urgent'] as const;
export type PriorityName = (typeof priorities)[number];

const priorityList = priorities.join(', ');
export const prioritySchema = z.enum(priorities, { message: `priority must be one of ${priorityList}` });
const statusSchema = z.enum(taskStatuses, { message: `status must be one of ${taskStatuses.join(', ')}` });

const dueMessage = 'due must be a date (YYYY-MM-DD) or a date-time (e.g. 2026-12-01T17:00, or with an offset 2026-12-01T17:00:00+01:00)';

/** True for YYYY-MM-DD or an ISO-8601 date-time (offset optional: without one it is read in the user's zone). */
function isDueText(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) && DateTime.fromISO(text, { setZone: true }).isValid;
}

/** A due date (the end of that local day) or a due date-time. */
export const dueSchema = z
  .string({ message: dueMessage })
  .trim()
  .refine(isDueText, dueMessage)
  .refine(inSupportedYears, yearsMessage('due'));

export const taskFields = {
  title: titleSchema('title').describe('What to do, 1–500 characters'),
  description: descriptionSchema.nullable().describe('Free-text notes'),
  priority: prioritySchema.describe(`One of ${priorityList}`),
  durationMinutes: minutesSchema('duration', 5, 480).nullable().describe('Estimated minutes, 5–480 (30 when scheduling if unset)'),
  due: dueSchema.nullable().describe('Due date YYYY-MM-DD, or a date-time ISO-8601 (read in the user\'s time zone when it has no offset)'),
};

export const createTaskSchema = z
  .object({
    title: taskFields.title,
    description: taskFields.description.optional(),
    priority: taskFields.priority.default('none'),
    durationMinutes: taskFields.durationMinutes.optional(),
    due: taskFields.due.optional(),
  })
  .strict();
export type CreateTaskInput = z.input<typeof createTaskSchema>;

export const updateTaskSchema = z
  .object({
    title: taskFields.title.optional(),
    description: taskFields.description.optional(),
    priority: taskFields.priority.optional(),
    durationMinutes: taskFields.durationMinutes.optional(),
    due: taskFields.due.optional(),
    status: z.enum(['pending', 'in_progress', 'completed'], { message: 'status must be one of pending, in_progress, completed (archive with the archive action)' }).optional()
      .describe('Move the task to another status; completing sets completedAt, reopening clears it'),
    version: z.number({ message: 'version must be a number' }).int().positive().optional()
      .describe('The version you read: the update fails with a conflict if the task changed since'),
  })
  .strict()
  .refine((input) => Object.keys(input).some((key) => key !== 'version'), { message: 'nothing to update: give at least one field' });
export type UpdateTaskInput = z.input<typeof updateTaskSchema>;

/** A list of values given as an array, or one comma-separated string (query strings, CLI flags). */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value), z.array(item).min(1));

export const taskSorts = ['priority', 'due', 'created'] as const;

export const listTasksSchema = pageSchema
  .extend({
    status: listOf(statusSchema).optional().describe('Only these statuses (default: every status but archived)'),
    priority: listOf(prioritySchema).optional().describe('Only these priorities'),
    overdue: queryBoolean.optional().describe('Only open tasks whose due time has passed'),
    dueToday: queryBoolean.optional().describe('Only tasks due today in the user\'s time zone'),
    dueBefore: localDateSchema('dueBefore').optional().describe('Only tasks due before this date (YYYY-MM-DD)'),
    dueAfter: localDateSchema('dueAfter').optional().describe('Only tasks due after this date (YYYY-MM-DD)'),
    sort: z.enum(taskSorts, { message: `sort must be one of ${taskSorts.join(', ')}` }).default('priority')
      .describe('priority (urgent first, then earliest due), due (earliest first) or created (oldest first)'),
  })
  .strict();
export type ListTasksInput = z.input<typeof listTasksSchema>;
