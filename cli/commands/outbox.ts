import type { Command } from 'commander';
import pg from 'pg';
import { z } from 'zod';
import { config } from '../../lib/config';
import { guardPool } from '../../lib/db/pg';
import { validationError } from '../../lib/errors';
import { collectStats } from '../../lib/outbox/jobs';
import { deletePublished, listDead, retryDead } from '../../lib/outbox/store';
import { printJson, printTable } from '../output';
import { withDatabase } from '../runtime';

/** Runs `fn` with a plain pg pool on the CLI's database. */
function withPool<T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  return withDatabase(async (_db, url) => {
    const pool = guardPool(new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5000 }));
    try {
      return await fn(pool);
    } finally {
      await pool.end();
    }
  });
}

const eventIdSchema = z.uuid({ message: '--id must be an event id (a UUID, see `orbita outbox dead`)' });
const daysSchema = z.coerce.number({ message: '--older-than-days must be a whole number of days' }).int('--older-than-days must be a whole number of days').min(0).max(36_500);

export function registerOutbox(program: Command): void {
  const outbox = program.command('outbox').description('inspect and operate the transactional outbox');

  outbox
    .command('stats')
    .description('pending, dead and lag of the outbox (lag_seconds = age of the oldest waiting event)')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const stats = await withPool((pool) => collectStats(pool, null));
      const { pending, dead_total, lag_seconds } = stats;
      if (options.json) printJson({ pending, dead_total, lag_seconds });
      else console.log(`pending ${pending}  dead_total ${dead_total}  lag_seconds ${lag_seconds}`);
    });

  outbox
    .command('dead')
    .description('list dead-lettered events with their reason')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'machine-readable output')
    .action(async (options: { limit: string; json?: boolean }) => {
      const limit = z.coerce.number().int().min(1).max(1000).safeParse(options.limit);
      if (!limit.success) throw validationError('--limit must be a whole number from 1 to 1000');
      const dead = await withPool((pool) => listDead(pool, limit.data));
      if (options.json) printJson(dead);
      else if (!dead.length) console.log('no dead letters');
      else printTable(dead as unknown as Record<string, unknown>[], [
        { key: 'eventId', header: 'event id' },
        { key: 'eventType', header: 'type' },
        { key: 'retryCount', header: 'tries' },
        { key: 'deadLetteredAt', header: 'dead since' },
        { key: 'reason', header: 'reason' },
      ]);
    });

  outbox
    .command('retry-dead')
    .description('put dead-lettered events back in the queue (all, or one with --id)')
    .option('--id <event-id>', 'only this event')
    .action(async (options: { id?: string }) => {
      const id = options.id === undefined ? undefined : eventIdSchema.parse(options.id);
      const count = await withPool((pool) => retryDead(pool, id));
      if (id && count === 0) throw validationError(`no dead-lettered event with id ${id}`);
      console.log(`re-queued ${count} dead-lettered event(s)`);
    });

  outbox
    .command('cleanup')
    .description('delete published events older than the retention (never pending or dead ones)')
    .option('--older-than-days <n>', 'retention in days (default OUTBOX_RETENTION_DAYS)')
    .action(async (options: { olderThanDays?: string }) => {
      const days = options.olderThanDays === undefined ? config().OUTBOX_RETENTION_DAYS : daysSchema.parse(options.olderThanDays);
      const deleted = await withPool((pool) => deletePublished(pool, days));
      console.log(`deleted ${deleted} published event(s) older than ${days} day(s)`);
    });
}
