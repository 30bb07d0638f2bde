import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (where package.json lives), for the CLI, scripts and tests. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const migrationsDir = path.join(projectRoot, 'prisma', 'migrations');

/** Where the embedded database and local state live (git-ignored). ORBITA_HOME overrides. */
export function orbitaHome(): string {
  return process.env.ORBITA_HOME ? path.resolve(process.env.ORBITA_HOME) : path.join(projectRoot, '.orbita');
}
