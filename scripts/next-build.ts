import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../lib/paths';

/** The Next.js command line, run with this Node. */
export const nextBin = path.join(projectRoot, 'node_modules', 'next', 'dist', 'bin', 'next');

/** Everything `next build` compiles: a change to any of these makes the build stale. */
const buildInputs = ['app', 'lib', 'components', 'mcp', 'public', 'next.config.js', 'proxy.ts', 'instrumentation.ts', 'package.json', 'tsconfig.json'];

/** True when .next holds a production build newer than every source file. */
export function buildIsFresh(): boolean {
  const buildId = path.join(projectRoot, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return false;
  const builtAt = fs.statSync(buildId).mtimeMs;
  const stack = buildInputs.map((p) => path.join(projectRoot, p));
  while (stack.length) {
    const entry = stack.pop() as string;
    if (!fs.existsSync(entry)) continue;
    const stat = fs.statSync(entry);
    if (stat.isDirectory()) stack.push(...fs.readdirSync(entry).map((child) => path.join(entry, child)));
    else if (stat.mtimeMs > builtAt) return false;
  }
  return true;
}

/** Runs `next build` unless the build is fresh; the exit status of the build (0 when none was needed). */
export function buildIfStale(env: NodeJS.ProcessEnv, say: (message: string) => void): number {
  if (buildIsFresh()) return 0;
  say('building the dashboard (first start or changed sources)…');
  return spawnSync(process.execPath, [nextBin, 'build'], { cwd: projectRoot, stdio: 'inherit', env: { ...env, NODE_ENV: 'production' } }).status ?? 1;
}
