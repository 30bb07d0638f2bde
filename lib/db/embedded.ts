import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { logger } from '../logger';
import { orbitaHome } from '../paths';
import { EmbeddedSocketServer, type EmbeddedServerEvent } from './embedded-server';

/**
 * The embedded database: PGlite (Postgres compiled to WASM) behind a loopback Postgres socket, so
 * every process (web, CLI, worker) talks to it with the ordinary `pg` driver. Only one process may
 * own the data directory; it records its address in `.orbita/embedded.json`, and other processes
 * connect to that address instead of opening the files themselves.
 *
 * PGlite has a single session: transactions are serialised, LISTEN/NOTIFY does not cross
 * connections and SKIP LOCKED has no concurrency. The socket server (./embedded-server.ts) hands
 * that session to one connection at a time, for a whole batch or transaction. It is for one
 * person's machine; run PostgreSQL (DATABASE_URL) for anything shared.
 */

export interface EmbeddedDatabase {
  url: string;
  /** True when this process started the server (and must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedInfo {
  pid: number;
  host: string;
  port: number;
  url: string;
  /** Who serves it: `npm start` (the app) or a CLI command that opened the database for its own length. */
  role: EmbeddedRole;
  /** The dashboard's address, when the app serves it. */
  dashboard?: string;
}

export type EmbeddedRole = 'app' | 'command';

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

/** The pid in the lock file, if any. */
function lockHolder(): number | null {
  try {
    return Number(fs.readFileSync(lockFile(), 'utf8')) || null;
  } catch {
    return null;
  }
}

function writeInfo(info: EmbeddedInfo): void {
  fs.writeFileSync(infoFile(), JSON.stringify(info));
}

/** Records the dashboard's address next to the database this process serves (npm start). */
export function advertiseDashboard(dashboard: string): void {
  const info = JSON.parse(fs.readFileSync(infoFile(), 'utf8')) as EmbeddedInfo;
  if (info.pid === process.pid) writeInfo({ ...info, dashboard });
}

/**
 * Waits until no live process holds the data directory (a CLI command that opened the database for
 * its own length), up to `timeoutMs`. True when it is free.
 */
export async function waitForEmbeddedRelease(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const holder = lockHolder();
    if (!holder || !isAlive(holder)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
  /** Recorded in `.orbita/embedded.json` (default `command`). */
  role?: EmbeddedRole;
  /** How long a connection may hold the session idle in a transaction (default 30 s). */
  holdTimeoutMs?: number;
}

function logServerEvent(event: EmbeddedServerEvent): void {
  if (event.kind === 'database-failed') logger.error({ err: event.error }, 'embedded database stopped');
  else if (event.kind === 'hold-timeout') logger.warn({ connection: event.connection, heldMs: event.heldMs }, 'embedded database: cut off a connection idle in a transaction');
  else if (event.kind === 'owner-lost') logger.warn({ connection: event.connection, inTransaction: event.inTransaction }, 'embedded database: a connection closed mid-transaction; rolled back');
  else logger.warn({ connection: event.connection, reason: event.reason }, 'embedded database: dropped a connection that broke the protocol');
}

/** Starts PGlite behind a loopback socket in this process. */
export async function startEmbedded(options: StartEmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const dataDir = options.dataDir ?? embeddedDataDir();
  const inMemory = dataDir.startsWith('memory://');
  const advertise = options.advertise ?? !inMemory;
  if (advertise && !acquireLock()) {
    throw new Error(`the embedded database in ${path.dirname(dataDir)} is in use by another process (pid ${lockHolder() ?? 'unknown'})`);
  }
  try {
    if (!inMemory) fs.mkdirSync(dataDir, { recursive: true });
    const pglite = await PGlite.create(inMemory ? undefined : dataDir, { extensions: { btree_gist } });
    const server = new EmbeddedSocketServer({
      db: pglite,
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      holdTimeoutMs: options.holdTimeoutMs,
      onEvent: logServerEvent,
    });
    const { host, port } = await server.start();
    const url = `postgres://postgres@${host}:${port}/postgres?sslmode=disable`;
    if (advertise) writeInfo({ pid: process.pid, host, port, url, role: options.role ?? 'command' });
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

/** Thrown by `serveEmbeddedApp` when the app already runs on this ORBITA_HOME. */
export class EmbeddedAppRunning extends Error {
  constructor(readonly running: EmbeddedInfo) {
    super(
      `Orbita is already running on ${orbitaHome()} (pid ${running.pid}${running.dashboard ? `, dashboard on ${running.dashboard}` : ''}): ` +
        'stop it first (Ctrl-C in its terminal), or set ORBITA_HOME to another directory',
    );
  }
}

/**
 * The app's own embedded server (`npm start`): never another process's. A second app on the same
 * ORBITA_HOME is refused with where the first one runs; a CLI command that has the database open
 * for its own length is waited for (up to `waitMs`), since its server goes away when it ends.
 */
export async function serveEmbeddedApp(options: { waitMs?: number; onWait?: () => void } = {}): Promise<EmbeddedDatabase> {
  const running = await findRunningEmbedded();
  if (running?.role === 'app') throw new EmbeddedAppRunning(running);
  if (running || !(await waitForEmbeddedRelease(0))) {
    options.onWait?.();
    if (!(await waitForEmbeddedRelease(options.waitMs ?? 30_000))) {
      throw new Error(`the embedded database in ${orbitaHome()} is still in use by another process (pid ${lockHolder() ?? 'unknown'}); stop it and start again`);
    }
  }
  return startEmbedded({ role: 'app' });
}
