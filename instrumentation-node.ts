import { config, ConfigError } from './lib/config';
import { logger } from './lib/logger';
import { createProcessor } from './lib/outbox';

// A malformed variable stops the server with one line naming it (SPEC §8).
try {
  config();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`orbita: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

// The web server runs an embedded outbox processor unless OUTBOX_PROCESSOR_ENABLED=false
// (production runs the standalone worker instead). No signal handling here: `next start` exits on
// SIGTERM/SIGINT itself; a batch in flight then goes out again after its lease (at-least-once).
const settings = config();
if (settings.OUTBOX_PROCESSOR_ENABLED && settings.DATABASE_URL && process.env.NEXT_PHASE !== 'phase-production-build') {
  const processor = createProcessor(settings, settings.DATABASE_URL, logger);
  processor.start();
  logger.info({ publisher: processor.publisherName }, 'embedded outbox processor started');
}
