#!/usr/bin/env node
// Generates the Prisma client into lib/generated/prisma. npm here runs no install scripts, so
// `npm start`, `npm test`, `npm run build` and `npm run typecheck` call this first; with
// --if-missing it does nothing when the client is newer than the schema.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = path.join(root, 'prisma', 'schema.prisma');
const client = path.join(root, 'lib', 'generated', 'prisma', 'client.ts');

if (process.argv.includes('--if-missing') && fs.existsSync(client) && fs.statSync(client).mtimeMs >= fs.statSync(schema).mtimeMs) {
  process.exit(0);
}

const prisma = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [prisma, 'generate'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  // Generating the client needs no engine binary; pointing the schema engine at /bin/false stops
  // Prisma from trying to download one (there is no network here).
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
if (result.status !== 0) {
  console.error('orbita: prisma generate failed');
  process.exit(result.status ?? 1);
}
