/**
 * The standalone worker (`npm run worker`): outbox processor, cleanup job, periodic stats log and
 * the health server on WORKER_HEALTH_ADDR, and the Prometheus listener on METRICS_HOST:METRICS_PORT
 * (worker/metrics.ts). SIGTERM/SIGINT drain the batch in flight and exit 0.
 */
// First: the test-only clock shift (ORBITA_TEST_CLOCK_OFFSET, honoured only when NODE_ENV=test).
import '../lib/testing/clock-shift';
import pg from 'pg';
import { config, ConfigError } from '../lib/config';
import { connectDatabase, disconnectDb } from '../lib/db/client';
import { guardPool } from '../lib/db/pg';
import { resolveDatabase } from '../lib/db/resolve';
import { formatDuration } from '../lib/duration';
import { logger } from '../lib/logger';
import { createProcessor } from '../lib/outbox';
import { collectStats, runCleanup } from '../lib/outbox/jobs';
import { missedDetectionIntervalMs, runMissedDetection } from '../lib/scheduling/jobs';
import { createHealthServer } from './health';
import { startMetricsServer } from './metrics';

async function main() {
  const c = config();
  const database = await resolveDatabase();
  const processor = createProcessor(c, database.url, logger);
  const pool = guardPool(new pg.Pool({ connectionString: database.url, max: 2, connectionTimeoutMillis: 5000 }));

  processor.start();
  logger.info(
    {
      publisher: processor.publisherName,
      batch_size: c.OUTBOX_BATCH_SIZE,
      poll_interval: formatDuration(c.OUTBOX_POLL_INTERVAL),
      max_retries: c.OUTBOX_MAX_RETRIES,
      owner: processor.owner,
    },
    'outbox worker started',
  );

  const logStats = async () => {
    try {
      logger.info(await collectStats(pool, processor), 'outbox stats');
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'outbox stats unavailable');
    }
  };
  const cleanup = async () => {
    try {
      await runCleanup(pool, c.OUTBOX_RETENTION_DAYS, logger);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'outbox cleanup failed');
    }
  };
  const prisma = connectDatabase(database.url);
  const detectMissed = async () => {
    try {
      const marked = await runMissedDetection(prisma);
      if (marked) logger.info({ marked }, 'missed blocks marked');
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'missed-block detection failed');
    }
  };
  const statsTimer = setInterval(logStats, c.OUTBOX_STATS_INTERVAL);
  const missedTimer = setInterval(detectMissed, missedDetectionIntervalMs);
  void detectMissed();
  const cleanupTimer = setInterval(cleanup, c.OUTBOX_CLEANUP_INTERVAL);
  void cleanup();

  const health = createHealthServer({ pool, processor, databaseUrl: database.url, pollIntervalMs: c.OUTBOX_POLL_INTERVAL, metricsToken: c.METRICS_TOKEN });
  const { host, port } = c.WORKER_HEALTH_ADDR;
  await new Promise<void>((resolve, reject) => {
    health.once('error', reject);
    health.listen(port, host, () => resolve());
  });
  const address = health.address();
  logger.info({ addr: typeof address === 'object' && address ? `${address.address}:${address.port}` : `${host}:${port}` }, 'worker health server listening');

  const metrics = await startMetricsServer({
    pool,
    processor,
    pollIntervalMs: c.OUTBOX_POLL_INTERVAL,
    token: c.METRICS_TOKEN,
    host: c.METRICS_HOST,
    port: c.METRICS_PORT,
    logger,
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping: draining the batch in flight');
    clearInterval(statsTimer);
    clearInterval(cleanupTimer);
    clearInterval(missedTimer);
    health.close();
    await processor.stop();
    await metrics?.close();
    await logStats();
    await pool.end().catch(() => {});
    await disconnectDb().catch(() => {});
    await database.stop();
    logger.info('worker stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  const message = error instanceof ConfigError ? error.message : `worker failed to start: ${(error as Error).message}`;
  console.error(`orbita: ${message}`);
  process.exit(1);
});
