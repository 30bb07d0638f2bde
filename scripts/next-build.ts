import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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

/**
 * Warnings that fail `npm run build`. Whole-project tracing comes from a filesystem call whose path
 * Turbopack cannot scope (e.g. one computed from import.meta.url): keep such paths literal under
 * process.cwd(), out of app code, or mark the call with a turbopackIgnore comment.
 */
export const forbiddenBuildWarnings = ['Dynamic filesystem access causes tracing of the whole project'];

/** The forbidden warnings that `output` (a build log, colours and all) contains. */
export function forbiddenWarningsIn(output: string): string[] {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  return forbiddenBuildWarnings.filter((warning) => plain.includes(warning));
}

/** Runs `next build`, passing its output through; the exit status and the forbidden warnings it printed. */
export function runNextBuild(env: NodeJS.ProcessEnv): Promise<{ status: number; forbidden: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: projectRoot,
      stdio: ['inherit', 'pipe', 'pipe'],
      env: { ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}), ...env, NODE_ENV: 'production' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? 1, forbidden: forbiddenWarningsIn(output) }));
  });
}

// `npm run build`: the production build, failing on a forbidden warning as on an error.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { status, forbidden } = await runNextBuild(process.env);
  for (const warning of forbidden) console.error(`next-build: the build warned "${warning}" (see forbiddenBuildWarnings in scripts/next-build.ts)`);
  process.exit(status || (forbidden.length ? 1 : 0));
}
