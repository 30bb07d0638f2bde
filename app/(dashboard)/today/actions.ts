'use server';

import { parseQuickAdd } from '@/lib/tasks/quick-add';
import { createTask, type TaskView } from '@/lib/tasks/service';
import { localDate } from '@/lib/time';
import { type ActionResult, runAction } from '../run-action';

/**
 * Quick add: parses the line again on the server (the client's preview is only a preview), with
 * "today" in the user's zone, and creates the task; the task service validates (an empty title is
 * a validation error on `title`).
 */
export async function quickAddAction(text: string): Promise<ActionResult<TaskView>> {
  return runAction(async (ctx, user) => {
    const parsed = parseQuickAdd(typeof text === 'string' ? text : '', { today: localDate(ctx.now(), user.timeZone) });
    return createTask(ctx, {
      title: parsed.title,
      ...(parsed.priority ? { priority: parsed.priority } : {}),
      ...(parsed.estimateMinutes !== undefined ? { durationMinutes: parsed.estimateMinutes } : {}),
      ...(parsed.due ? { due: parsed.due } : {}),
    });
  }, ['/today', '/tasks']);
}
