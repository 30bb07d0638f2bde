import { spawn } from 'node:child_process';
import net from 'node:net';
import { projectRoot } from '../lib/paths';
import { buildIfStale, nextBin } from '../scripts/next-build';

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `next start` on 127.0.0.1:`env.PORT` (built first when .next is older than the sources; the build
 * is shared, so run benches as `flock /tmp/orbita-next.lock npm run bench:…`), ready once
 * /api/health answers.
 */
export async function startNextServer(env: NodeJS.ProcessEnv, base: string): Promise<{ stop(): Promise<void> }> {
  const status = buildIfStale(env, (message) => console.log(message));
  if (status !== 0) throw new Error(`next build failed (${status})`);
  const server = spawn(process.execPath, [nextBin, 'start', '--port', String(env.PORT), '--hostname', '127.0.0.1'], { cwd: projectRoot, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<never>((_, reject) => server.once('exit', (code) => reject(new Error(`next start exited (${code})`))));
  for (let tries = 0; ; tries++) {
    const healthy = await Promise.race([fetch(`${base}/api/health`).then((r) => r.ok, () => false), exited]);
    if (healthy) break;
    if (tries > 600) throw new Error('next start did not answer /api/health within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (server.exitCode !== null) return resolve();
        server.once('exit', () => resolve());
        server.kill('SIGTERM');
      }),
  };
}

/** The machine a bench ran on, for docs/BENCHMARKS.md. */
export async function machine() {
  const os = await import('node:os');
  return { cpu: os.cpus()[0]?.model ?? 'unknown CPU', cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}
