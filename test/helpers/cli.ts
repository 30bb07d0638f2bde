import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../lib/paths';
import { clockShiftEnv } from '../../lib/testing/clock-shift';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the real `orbita` binary with only the given environment (plus PATH/HOME and a test clock shift). */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, input?: string): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'orbita.mjs'), ...args], {
      cwd: projectRoot,
      env: { NODE_ENV: 'test', PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent', ...clockShiftEnv(), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - started }));
  });
}
