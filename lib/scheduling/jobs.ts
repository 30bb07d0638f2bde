import { type DbTx, transaction } from '../db/client';
import { markMissedBlocks } from './blocks';

/** How often the worker looks for missed blocks. */
export const missedDetectionIntervalMs = 60_000;

/**
 * One tick of missed-block detection (SPEC §5, §12): blocks still planned an hour after their end
 * become missed. Takes a Postgres advisory lock so exactly one worker runs each tick; returns the
 * number marked, or null when another worker holds the tick.
 */
export async function runMissedDetection(db: DbTx, now = new Date()): Promise<number | null> {
  return transaction(db, async (tx) => {
    const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtextextended('orbita:job:missed-blocks', 0)) AS locked`;
    if (!locked) return null;
    return markMissedBlocks(tx, now);
  });
}
