import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { orbitaHome } from '../paths';

/**
 * The embedded database: PGlite (Postgres compiled to WASM) behind a loopback Postgres socket, so
 * every process (web, CLI, worker) talks to it with the ordinary `pg` driver. Only one process may
 * own the data directory; it records its address in `.orbita/embedded.json`, and other processes
 * connect to that address instead of opening the files themselves.
 *
 * PGlite has a single session: transactions are serialised, LISTEN/NOTIFY does not cross
 * connections and SKIP LOCKED has no concurrency. It is for one person's machine; run PostgreSQL
 * (DATABASE_URL) for anything shared.
 */

export interface EmbeddedDatabase {
  url: string;
  /** True when this process started the server (and must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

interface EmbeddedInfo {
  pid: number;
  host: string;
  port: number;
  url: string;
}

const infoFile = () => path.join(orbitaHome(), 'embedded.json');
const lockFile = () => path.join(orbitaHome(), 'embedded.lock');
export const embeddedDataDir = () => path.join(orbitaHome(), 'pgdata');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The running embedded server of another process, if there is one. */
export async function findRunningEmbedded(): Promise<EmbeddedInfo | null> {
  let info: EmbeddedInfo;
  try {
    info = JSON.parse(fs.readFileSync(infoFile(), 'utf8')) as EmbeddedInfo;
  } catch {
    return null;
  }
  if (!isAlive(info.pid)) return null;
  return (await canConnect(info.host, info.port)) ? info : null;
}

/** Takes the data-directory lock; false when a live process holds it. Stale locks are broken. */
function acquireLock(): boolean {
  fs.mkdirSync(orbitaHome(), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile(), String(process.pid), { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockFile(), 'utf8'));
      // A live holder, this process included, owns the files: PGlite must never open them twice.
      if (holder && isAlive(holder)) return false;
      fs.rmSync(lockFile(), { force: true });
    }
  }
  return false;
}

function releaseLock(): void {
  try {
    if (Number(fs.readFileSync(lockFile(), 'utf8')) === process.pid) fs.rmSync(lockFile(), { force: true });
  } catch {
    // already gone
  }
}

export interface StartEmbeddedOptions {
  /** Data directory; `memory://` for a throwaway database (tests). Default `.orbita/pgdata`. */
  dataDir?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Advertise this server in `.orbita/embedded.json` for other processes (default true for on-disk data). */
  advertise?: boolean;
}

/** Starts PGlite behind a loopback socket in this process. */
export async function startEmbedded(options: StartEmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const dataDir = options.dataDir ?? embeddedDataDir();
  const inMemory = dataDir.startsWith('memory://');
  const advertise = options.advertise ?? !inMemory;
  if (advertise && !acquireLock()) {
    throw new Error(`the embedded database in ${path.dirname(dataDir)} is in use by another process`);
  }
  try {
    if (!inMemory) fs.mkdirSync(dataDir, { recursive: true });
    const pglite = await PGlite.create(inMemory ? undefined : dataDir, { extensions: { btree_gist } });
    const host = options.host ?? '127.0.0.1';
    const server = new PGLiteSocketServer({ db: pglite, host, port: options.port ?? 0, maxConnections: 100 });
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    const url = `postgres://postgres@${host}:${port}/postgres?sslmode=disable`;
    if (advertise) {
      const info: EmbeddedInfo = { pid: process.pid, host, port, url };
      fs.writeFileSync(infoFile(), JSON.stringify(info));
    }
    let stopped = false;
    return {
      url,
      owned: true,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await pglite.close();
        if (advertise) {
          fs.rmSync(infoFile(), { force: true });
          releaseLock();
        }
      },
    };
  } catch (error) {
    if (advertise) releaseLock();
    throw error;
  }
}

/**
 * Connects to the embedded database: the running server of another process when there is one
 * (e.g. `npm start`), else a server started in this process for its lifetime.
 */
export async function connectEmbedded(): Promise<EmbeddedDatabase> {
  const running = await findRunningEmbedded();
  if (running) return { url: running.url, owned: false, stop: async () => {} };
  return startEmbedded();
}
