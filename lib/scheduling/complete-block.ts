import { z } from 'zod';
import type { ServiceContext } from '../context';
import { transaction } from '../db/client';
import { conflict } from '../errors';
import { completeLoadedTask, type TaskChange } from '../tasks/service';
import { type BlockView, completeLoadedBlock, loadBlock, planningHours } from './blocks';

/** What completing a block by hand may say about its task (REST body, MCP arguments, CLI flags). */
export const completeBlockSchema = z
  .object({
    completeTask: z
      .boolean({ message: 'completeTask must be true or false' })
      .optional()
      .describe('For a block of a task that has other planned blocks: true completes the task too, false leaves it open'),
  })
  .strict();
export type CompleteBlockInput = z.input<typeof completeBlockSchema>;

/** The completed block, and its task when completing the block completed it. */
export type CompletedBlock = BlockView & { task?: TaskChange };

/** The detail a door reads to ask its person whether to complete the task too. */
export interface TaskChoiceDetails {
  choice: 'completeTask';
  taskId: string;
  taskTitle: string;
  otherBlocks: number;
}

/**
 * Completes a block by hand (issue 20). A block that plans an open task settles the task too: when
 * it was the task's last planned block the task is completed with it; when the task has other
 * planned blocks, `completeTask` says what to do (true: complete it, which removes its future
 * blocks; false: leave it open) and without it the answer is a conflict carrying TaskChoiceDetails,
 * so each door can ask (a CLI flag, a choice in the dashboard, an MCP argument).
 */
export async function completeBlockAndTask(ctx: ServiceContext, ref: string, input: CompleteBlockInput = {}): Promise<CompletedBlock> {
  const data = completeBlockSchema.parse(input ?? {});
  const { zone } = await planningHours(ctx.db, ctx.userId);
  return transaction(ctx.db, async (tx) => {
    const block = await loadBlock(tx, ctx, ref);
    const task =
      block.type === 'task' && block.referenceId && block.status !== 'completed'
        ? await tx.task.findFirst({ where: { id: block.referenceId, userId: ctx.userId, status: { in: ['pending', 'in_progress'] } } })
        : null;
    let completeTask = false;
    if (task) {
      const otherBlocks = await tx.scheduleBlock.count({
        where: { userId: ctx.userId, referenceId: task.id, type: 'task', source: 'orbita', status: 'planned', endAt: { gt: ctx.now() }, id: { not: block.id } },
      });
      if (otherBlocks > 0 && data.completeTask === undefined) {
        const details: TaskChoiceDetails = { choice: 'completeTask', taskId: task.id, taskTitle: task.title, otherBlocks };
        throw conflict(
          `the task “${task.title}” has ${otherBlocks} more planned block${otherBlocks === 1 ? '' : 's'}: say whether completing this block completes the task too`,
          details,
        );
      }
      completeTask = data.completeTask ?? otherBlocks === 0;
    }
    const view = await completeLoadedBlock(tx, ctx, block, zone);
    if (!task || !completeTask) return view;
    return { ...view, task: await completeLoadedTask(tx, ctx, task) };
  });
}

/** True for the conflict completeBlockAndTask answers when it needs to be told about the task. */
export function isTaskChoice(details: unknown): details is TaskChoiceDetails {
  return typeof details === 'object' && details !== null && (details as { choice?: unknown }).choice === 'completeTask';
}
