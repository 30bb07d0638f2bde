import { z } from 'zod';
import { toAppError } from '../../lib/http/errors';
import { createTaskSchema, listTasksSchema, taskFields, updateTaskSchema } from '../../lib/tasks/schemas';
import { archiveTask, completeTask, createTask, getTask, listTasks, startTask, type TaskView, updateTask } from '../../lib/tasks/service';
import { defineTool, type ToolDefinition } from '../registry';
import { flag, idField, pageFields, toolInput } from './fields';

/** Most tasks one `task_create_many` call creates. */
export const maxBatchTasks = 25;

const taskReturns = 'Returns the task: id, title, description, status, priority, durationMinutes, due (as given), dueAt (ISO-8601 with offset), overdue, completedAt, version, createdAt, updatedAt.';
/** What a change's blocks did, on the tools whose changes the schedule follows. */
const followReturns =
  'Its time blocks follow the change in the same step: a new title renames them, a new estimate resizes its next block (or moves it to the first free slot when the new length does not fit), completing or archiving removes its future blocks; when anything happened, schedule lists it ([{ action: renamed|resized|moved|removed|completed|kept|unplaced, block, from?, code?, reason?, summary }]).';

const createFields = {
  ...createTaskSchema.shape,
  priority: createTaskSchema.shape.priority.describe(`${taskFields.priority.description} (default none)`),
  durationMinutes: createTaskSchema.shape.durationMinutes.describe('Estimated minutes of work, 5–480 (omit if unknown: scheduling then assumes 30)'),
  due: createTaskSchema.shape.due.describe(
    "When it is due: a date YYYY-MM-DD (due at the end of that day) or an ISO-8601 date-time such as 2026-12-01T17:00:00+01:00 (without an offset it is read in the user's time zone)",
  ),
};
const createInput = toolInput(createFields);

const idInput = toolInput({ id: idField('task', 'task_list') });

type BatchItem =
  | { index: number; ok: true; task: TaskView }
  | { index: number; ok: false; error: { code: string; message: string; details?: unknown } };

export const taskTools: ToolDefinition[] = [
  defineTool({
    name: 'task_create',
    title: 'Create a task',
    description: `Creates one task for the user (status pending). Only title is required. ${taskReturns} To create several tasks at once use task_create_many.`,
    input: createInput,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, input) => createTask(ctx, input),
  }),
  defineTool({
    name: 'task_create_many',
    title: 'Create several tasks',
    description:
      `Creates 1–${maxBatchTasks} tasks in one call, in order (e.g. to capture a list the user dictated). Every item is validated first: if any item is malformed nothing is created and the error names the item (tasks.<index>.<field>). ` +
      'Returns { created, failed, results }: one result per item in input order, { index, ok: true, task } or { index, ok: false, error: { code, message } } — items are created independently, so one failing does not undo the others.',
    input: toolInput({
      tasks: z
        .array(createInput)
        .min(1, 'tasks must hold at least one task')
        .max(maxBatchTasks, `tasks must hold at most ${maxBatchTasks} tasks`)
        .describe(`The tasks to create (1–${maxBatchTasks}), each with the fields of task_create: title (required), description, priority, durationMinutes, due`),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: async (ctx, input) => {
      const results: BatchItem[] = [];
      for (const [index, item] of input.tasks.entries()) {
        try {
          results.push({ index, ok: true, task: await createTask(ctx, item) });
        } catch (error) {
          const appError = toAppError(error);
          if (!appError) throw error;
          results.push({ index, ok: false, error: appError.toJSON() });
        }
      }
      const created = results.filter((r) => r.ok).length;
      return { created, failed: results.length - created, results };
    },
  }),
  defineTool({
    name: 'task_list',
    title: 'List tasks',
    description:
      'Lists the user\'s tasks, highest priority first by default; archived tasks only when status asks for them. Filters combine (AND). Returns { items: [task…], nextCursor } — pass nextCursor back as cursor for the next page.',
    input: toolInput({
      ...listTasksSchema.shape,
      ...pageFields,
      status: listTasksSchema.shape.status.describe(
        'Only tasks in these statuses, an array of pending, in_progress, completed, archived (default: every status but archived)',
      ),
      priority: listTasksSchema.shape.priority.describe('Only tasks with these priorities, an array of none, low, medium, high, urgent'),
      overdue: flag(listTasksSchema.shape.overdue.description!),
      dueToday: flag(listTasksSchema.shape.dueToday.description!),
    }),
    annotations: { readOnlyHint: true },
    run: (ctx, input) => listTasks(ctx, input),
  }),
  defineTool({
    name: 'task_get',
    title: 'Show a task',
    description: `Shows one task by id or id prefix. ${taskReturns}`,
    input: idInput,
    annotations: { readOnlyHint: true },
    run: (ctx, input) => getTask(ctx, input.id),
  }),
  defineTool({
    name: 'task_update',
    title: 'Update a task',
    description:
      `Changes fields of a task: give the id and only the fields to change (at least one). description, durationMinutes and due accept null to clear them. status moves it between pending, in_progress and completed (use task_archive to archive). Pass version (from a previous read) to fail with a conflict instead of overwriting someone else's change. Archived tasks cannot be changed. ${taskReturns} ${followReturns}`,
    input: toolInput({
      id: idField('task', 'task_list'),
      ...updateTaskSchema.shape,
      description: updateTaskSchema.shape.description.describe('New free-text notes; null or "" clears them'),
      durationMinutes: updateTaskSchema.shape.durationMinutes.describe('New estimate in minutes, 5–480; null clears it'),
      due: updateTaskSchema.shape.due.describe(
        "New due date YYYY-MM-DD or ISO-8601 date-time (read in the user's time zone when it has no offset); null removes the due date",
      ),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, { id, ...changes }) => updateTask(ctx, id, changes),
  }),
  defineTool({
    name: 'task_start',
    title: 'Start a task',
    description: `Marks a pending task in_progress (a conflict if it is already in progress, completed or archived). ${taskReturns}`,
    input: idInput,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, input) => startTask(ctx, input.id),
  }),
  defineTool({
    name: 'task_complete',
    title: 'Complete a task',
    description: `Marks a task completed and sets completedAt (a conflict if it is already completed or archived). ${taskReturns} ${followReturns}`,
    input: idInput,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, input) => completeTask(ctx, input.id),
  }),
  defineTool({
    name: 'task_archive',
    title: 'Archive a task',
    description: `Archives a task: it disappears from lists and planning and can no longer be changed. Archiving an archived task changes nothing. ${taskReturns} ${followReturns}`,
    input: idInput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    run: (ctx, input) => archiveTask(ctx, input.id),
  }),
];
