import { config, ConfigError } from './lib/config';

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
