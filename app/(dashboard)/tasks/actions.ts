'use server';

import type { Page } from '@/lib/shared/pagination';
import type { PriorityName } from '@/lib/tasks/schemas';
import { archiveTask, completeTask, createTask, listTasks, startTask, type TaskView, updateTask } from '@/lib/tasks/service';
import { type ActionResult, runAction } from '../run-action';

/** Pages that show tasks; every task change refreshes them. */
const taskPages = ['/tasks', '/today'];

/** What the task forms send: the text of each input as typed (the service's schema judges it). */
export interface TaskFormValues {
  title: string;
  priority: PriorityName;
  /** Estimated minutes, as typed. */
  durationMinutes: string;
  /** YYYY-MM-DD, or YYYY-MM-DDTHH:MM from a date-time input. */
  due: string;
  description: string;
}

/**
 * Typed text → service input. Empty means "not given"; other text becomes a number (NaN for "abc"),
 * so the schema's own message ("duration must be a whole number of minutes") reaches the field.
 */
const minutesFrom = (text: string) => (text.trim() === '' ? null : Number(text.trim()));
const textOrNull = (text: string) => (text.trim() === '' ? null : text);

export async function createTaskAction(values: TaskFormValues): Promise<ActionResult<TaskView>> {
  const minutes = minutesFrom(values.durationMinutes);
  return runAction(
    (ctx) =>
      createTask(ctx, {
        title: values.title,
        priority: values.priority,
        ...(minutes !== null ? { durationMinutes: minutes } : {}),
        ...(textOrNull(values.due) !== null ? { due: values.due } : {}),
        ...(textOrNull(values.description) !== null ? { description: values.description } : {}),
      }),
    taskPages,
  );
}

/**
 * Saves an inline edit: only the fields in `changes`, and only if the task is still at `version`
 * (a stale edit answers a conflict instead of overwriting someone else's change).
 */
export async function updateTaskAction(taskId: string, version: number, changes: Partial<TaskFormValues>): Promise<ActionResult<TaskView>> {
  return runAction(
    (ctx) =>
      updateTask(ctx, taskId, {
        version,
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.priority !== undefined ? { priority: changes.priority } : {}),
        ...(changes.durationMinutes !== undefined ? { durationMinutes: minutesFrom(changes.durationMinutes) } : {}),
        ...(changes.due !== undefined ? { due: textOrNull(changes.due) } : {}),
      }),
    taskPages,
  );
}

export async function completeTaskAction(taskId: string): Promise<ActionResult<TaskView>> {
  return runAction((ctx) => completeTask(ctx, taskId), taskPages);
}

/** Unticking a completed task puts it back to pending. */
export async function reopenTaskAction(taskId: string, version: number): Promise<ActionResult<TaskView>> {
  return runAction((ctx) => updateTask(ctx, taskId, { status: 'pending', version }), taskPages);
}

export async function startTaskAction(taskId: string): Promise<ActionResult<TaskView>> {
  return runAction((ctx) => startTask(ctx, taskId), taskPages);
}

export async function archiveTaskAction(taskId: string): Promise<ActionResult<TaskView>> {
  return runAction((ctx) => archiveTask(ctx, taskId), taskPages);
}

/** The page after `cursor` with the filters and sort of the page's URL ("Load more"); listTasks validates them. */
export async function loadMoreTasksAction(filters: Record<string, string>, cursor: string): Promise<ActionResult<Page<TaskView>>> {
  return runAction((ctx) => listTasks(ctx, { ...filters, cursor }));
}
