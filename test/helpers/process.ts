import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../lib/paths';
import { clockShiftEnv } from '../../lib/testing/clock-shift';

/** A free loopback port. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunningProcess {
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[];
  output: () => string;
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a TypeScript entry point (e.g. worker/main.ts) as its own process with the given environment. */
export function startTsProcess(entry: string, env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, entry)], {
    cwd: projectRoot,
    env: { NODE_ENV: 'test', PATH: process.env.PATH, HOME: process.env.HOME, ...clockShiftEnv(), ...env },
  });
  let text = '';
  const logs: Record<string, unknown>[] = [];
  let buffer = '';
  const onData = (chunk: Buffer) => {
    text += chunk;
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        // not a log line
      }
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    logs,
    output: () => text,
    exited,
    async waitForLog(match, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = logs.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`log line not seen; output so far:\n${text.slice(-3000)}`);
        if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}); output:\n${text.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
