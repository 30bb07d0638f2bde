'use server';

import { z } from 'zod';
import { forbidden } from '@/lib/errors';
import type { SessionUser } from '@/lib/identity/session';
import { redriveAllDeadLetters, redriveDeadLetter } from '@/lib/outbox/operations';
import { type ActionResult, runAction } from '../run-action';

const operationsPages = ['/operations'];

const eventIdSchema = z.uuid({ message: 'event id must be a UUID' });

/** The page is hidden from non-admins, but an action can be called directly: check again. */
function assertAdmin(user: SessionUser) {
  if (!user.isAdmin) throw forbidden('only admin users can re-drive dead letters');
}

/** Puts one dead-lettered event back in the outbox queue with a fresh retry budget. */
export async function redriveAction(eventId: string): Promise<ActionResult<{ requeued: number }>> {
  return runAction(async (_ctx, user) => {
    assertAdmin(user);
    await redriveDeadLetter(eventIdSchema.parse(eventId));
    return { requeued: 1 };
  }, operationsPages);
}

/** Puts every dead-lettered event back in the queue. */
export async function redriveAllAction(): Promise<ActionResult<{ requeued: number }>> {
  return runAction(async (_ctx, user) => {
    assertAdmin(user);
    return { requeued: await redriveAllDeadLetters() };
  }, operationsPages);
}
