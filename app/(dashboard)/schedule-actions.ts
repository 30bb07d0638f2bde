'use server';

import { hasModule } from '@/lib/billing/modules';
import { removeBlockEverywhere } from '@/lib/calendar/sync';
import { type AutoScheduleResult, autoSchedule } from '@/lib/scheduling/auto';
import { type BlockView, completeBlock, moveBlock } from '@/lib/scheduling/blocks';
import type { MoveBlockInput } from '@/lib/scheduling/schemas';
import { type ActionResult, runAction } from './run-action';

/** Pages that show blocks; every block change refreshes them. */
const schedulePages = ['/today', '/week'];

/**
 * Moves a block. `input` is the same as `PATCH /api/v1/schedule/blocks/{id}`: `start`/`end` as HH:MM
 * on `date` in the user's zone, or ISO-8601 date-times with an offset. A slot taken by another block
 * answers `{ ok: false, error: { code: 'conflict' } }` and nothing changes.
 */
export async function moveBlockAction(blockId: string, input: MoveBlockInput): Promise<ActionResult<BlockView>> {
  return runAction((ctx) => moveBlock(ctx, blockId, input), schedulePages);
}

export async function completeBlockAction(blockId: string): Promise<ActionResult<BlockView>> {
  return runAction((ctx) => completeBlock(ctx, blockId), schedulePages);
}

/** Removes a block (and its synced calendar event when delete-missing is on). */
export async function removeBlockAction(blockId: string): Promise<ActionResult<{ id: string }>> {
  return runAction(async (ctx) => ({ id: (await removeBlockEverywhere(ctx, blockId)).id }), schedulePages);
}

/**
 * "Plan my day": the auto-scheduler for `date` (default today) with open tasks and due habits, and
 * 1:1s when the user has the smart-1to1 module. Answers what was placed and what failed, and why.
 */
export async function planDayAction(date?: string): Promise<ActionResult<AutoScheduleResult>> {
  return runAction(async (ctx) => autoSchedule(ctx, { ...(date ? { date } : {}), days: 1, habits: true, meetings: await hasModule(ctx, 'smart-1to1') }), [
    ...schedulePages,
    '/tasks',
  ]);
}
