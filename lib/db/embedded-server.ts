import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * The embedded database's loopback PostgreSQL server: every process (web, CLI, worker, MCP) talks
 * to the in-process PGlite through it with the ordinary `pg` driver.
 *
 * Why it exists instead of `@electric-sql/pglite-socket`'s server: PGlite has exactly one backend
 * session, and pglite-socket (0.2.17 and 0.2.18) queues frontend protocol *messages* from all
 * connections into it, keeping a connection's messages together only while a SQL transaction is
 * open. An extended-protocol batch (Parse/Bind/Describe/Execute/Sync) is not a transaction, so two
 * connections' batches interleave and clobber each other's unnamed statement and portal: queries
 * fail ("bind message supplies 4 parameters, but prepared statement "" requires 3") or, worse, run
 * with another query's values. Upstream: https://github.com/electric-sql/pglite/issues/1046 (an
 * unmerged fix in https://github.com/electric-sql/pglite/pull/977). When a release fixes it,
 * compare it with this file's tests (test/db/embedded-server.test.ts) before switching back.
 *
 * The rule here is the protocol's own: a connection owns the session from its first message until
 * the backend answers ReadyForQuery with status idle ('I') at the end of a cycle, so batches and
 * transactions never interleave; other connections wait in arrival order. A connection that closes
 * or dies while it owns the session has its batch ended, its transaction rolled back and the
 * session's state (SET, prepared statements, portals, temp tables) discarded before the next owner
 * runs. One that holds the session idle for longer than `holdTimeoutMs` (idle in a transaction, or
 * mid-batch) is cut off, so a stuck CLI cannot freeze the web app.
 *
 * Bad input never reaches PGlite: only the frontend message types of protocol 3.0 are accepted
 * (an unknown type, or a password message, hangs PGlite's backend), lengths are bounded, and
 * COPY FROM STDIN is refused (PGlite reads a message's input in one piece, so the copy data a
 * client sends afterwards would find the backend gone). A connection that breaks those rules gets a
 * FATAL error and is dropped; the others carry on.
 */

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
const MAX_STARTUP_LENGTH = 10_000;
/** Larger messages are refused; PostgreSQL's own limit is 1 GB, far beyond a local app's needs. */
const MAX_MESSAGE_LENGTH = 64 * 1024 * 1024;
/** Bind, Close, CopyData, CopyDone, CopyFail, Describe, Execute, Flush, FunctionCall, Parse, Query, Sync, Terminate. */
const FRONTEND_TYPES = new Set('BCdcfDEHFPQSX'.split('').map((c) => c.charCodeAt(0)));
/** Messages after which the backend answers ReadyForQuery (the end of a cycle). */
const STARTUP = 0; // a startup message's first byte (its length's high byte)
const CYCLE_ENDS = new Set([STARTUP, ...'SQFcf'.split('').map((c) => c.charCodeAt(0))]);
const QUERY = 0x51; // 'Q'
const PARSE = 0x50; // 'P'
const TERMINATE = 0x58; // 'X'
const READY_FOR_QUERY = 0x5a; // 'Z'
const ERROR_RESPONSE = 0x45; // 'E'
const IDLE = 0x49; // 'I'

export interface EmbeddedServerOptions {
  db: PGlite;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  maxConnections?: number;
  /** How long a connection may hold the session while idle (in a transaction or mid-batch). Default 30 s. */
  holdTimeoutMs?: number;
  /** Told about connections cut off, owners that died holding the session, and a PGlite that stopped. */
  onEvent?: (event: EmbeddedServerEvent) => void;
}

export type EmbeddedServerEvent =
  | { kind: 'hold-timeout'; connection: number; heldMs: number }
  | { kind: 'owner-lost'; connection: number; inTransaction: boolean }
  | { kind: 'protocol-violation'; connection: number; reason: string }
  | { kind: 'database-failed'; error: Error };

export interface EmbeddedServerStats {
  connections: number;
  waiting: number;
  /** Calls into PGlite (one per batch of a connection's messages). */
  executions: number;
}

/** A COPY … FROM STDIN statement (after optional comments) anywhere in a query string. */
const copyFromStdin = /(?:^|;)\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*copy\s[^;]*?\bfrom\s+stdin\b/i;
const refusedCopySql =
  "DO $orbita$BEGIN RAISE EXCEPTION USING ERRCODE = 'feature_not_supported', MESSAGE = " +
  "'COPY FROM STDIN is not supported by the embedded database: use INSERT, or set DATABASE_URL to a PostgreSQL server'; END$orbita$";

function cString(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf8');
}

function message(type: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + body.length);
  out[0] = type;
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

/** An ErrorResponse the way PostgreSQL writes one (severity, code, message). */
export function errorResponse(severity: 'ERROR' | 'FATAL', code: string, text: string): Buffer {
  return message(
    ERROR_RESPONSE,
    Buffer.concat([cString(`S${severity}`), cString(`V${severity}`), cString(`C${code}`), cString(`M${text}`), Buffer.from([0])]),
  );
}

const SYNC = message(0x53, Buffer.alloc(0));
const simpleQuery = (sql: string) => message(QUERY, cString(sql));
/** Ends a copy in progress (outside a copy the backend ignores it) and then the batch. */
const END_BATCH = Buffer.concat([message(0x66, cString('the client connection was closed')), SYNC]);

/** The SQL text of a Query or Parse message, or null for other messages. */
function sqlOf(msg: Buffer): { sql: string; start: number; end: number } | null {
  let start = 5;
  if (msg[0] === PARSE) {
    start = msg.indexOf(0, 5) + 1; // after the statement name
    if (start === 0) return null;
  } else if (msg[0] !== QUERY) {
    return null;
  }
  const end = msg.indexOf(0, start);
  if (end === -1) return null;
  return { sql: msg.toString('utf8', start, end), start, end };
}

/** The message with a COPY FROM STDIN replaced by a statement that fails with a clear error. */
function refuseCopyFromStdin(msg: Buffer): Buffer {
  const found = sqlOf(msg);
  if (!found || !copyFromStdin.test(found.sql)) return msg;
  const body = Buffer.concat([msg.subarray(5, found.start), cString(refusedCopySql), msg.subarray(found.end + 1)]);
  return message(msg[0], body);
}

class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  started = false;
  /** Complete messages waiting for the session. */
  pending: Buffer[] = [];
  closed = false;
  /** Sent Terminate: closes once its earlier messages have run. */
  terminating = false;
  holdTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: number,
    readonly socket: net.Socket,
  ) {}

  append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** The first `length` buffered bytes, if that many have arrived (without consuming them). */
  peek(length: number): Buffer | null {
    if (this.buffered < length) return null;
    if (this.chunks[0].length < length) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0].subarray(0, length);
  }

  take(length: number): Buffer {
    const out = Buffer.from(this.peek(length) as Buffer); // a copy: the chunk may be reused
    this.chunks[0] = this.chunks[0].subarray(length);
    if (this.chunks[0].length === 0) this.chunks.shift();
    this.buffered -= length;
    return out;
  }

  write(data: Buffer): void {
    if (!this.closed && this.socket.writable) this.socket.write(data);
  }

  clearHoldTimer(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
  }
}

/** Where the backend stands after a batch: the last ReadyForQuery status, if the output ended with one. */
interface BatchOutcome {
  /** Whether the backend answered at all. */
  wrote: boolean;
  readyStatus: number | null;
  fatal: boolean;
}

export class EmbeddedSocketServer {
  private readonly db: PGlite;
  private readonly host: string;
  private readonly requestedPort: number;
  private readonly maxConnections: number;
  private readonly holdTimeoutMs: number;
  private readonly onEvent: (event: EmbeddedServerEvent) => void;
  private server: net.Server | null = null;
  private readonly connections = new Set<Connection>();
  private nextId = 1;
  /** The connection that owns the session, if any; it keeps it until the backend is idle again. */
  private owner: Connection | null = null;
  /** Whether the owner left the session mid-batch or in a transaction (what a dead owner leaves to clean up). */
  private ownerHoldsState = false;
  private readonly waiting: Connection[] = [];
  private pumping = false;
  private failure: Error | null = null;
  private executions = 0;

  constructor(options: EmbeddedServerOptions) {
    this.db = options.db;
    this.host = options.host ?? '127.0.0.1';
    this.requestedPort = options.port ?? 0;
    this.maxConnections = options.maxConnections ?? 100;
    this.holdTimeoutMs = options.holdTimeoutMs ?? 30_000;
    this.onEvent = options.onEvent ?? (() => {});
  }

  async start(): Promise<{ host: string; port: number }> {
    await this.db.waitReady;
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.requestedPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return { host: this.host, port: (server.address() as net.AddressInfo).port };
  }

  /** Stops listening and closes every connection; waits for a running batch. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const connection of this.connections) connection.socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    while (this.pumping) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  stats(): EmbeddedServerStats {
    return { connections: this.connections.size, waiting: this.waiting.length, executions: this.executions };
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    if (!this.server) {
      socket.destroy();
      return;
    }
    const connection = new Connection(this.nextId++, socket);
    if (this.connections.size >= this.maxConnections) {
      socket.end(errorResponse('FATAL', '53300', 'sorry, too many clients already'));
      return;
    }
    this.connections.add(connection);
    socket.on('data', (chunk: Buffer) => this.receive(connection, chunk));
    socket.on('error', () => {}); // a reset is a close; 'close' follows
    socket.on('close', () => this.closed(connection));
  }

  private receive(connection: Connection, chunk: Buffer): void {
    if (connection.closed || connection.terminating) return;
    connection.append(chunk);
    const violation = connection.started ? this.readMessages(connection) : this.readStartup(connection);
    if (violation) {
      this.onEvent({ kind: 'protocol-violation', connection: connection.id, reason: violation });
      connection.socket.end(errorResponse('FATAL', '08P01', violation));
      connection.socket.destroySoon();
      this.closed(connection);
      return;
    }
    if (connection.pending.length === 0 && !connection.terminating) return;
    if (connection === this.owner) connection.clearHoldTimer();
    else if (!this.waiting.includes(connection)) this.waiting.push(connection);
    void this.pump();
  }

  /** Before the startup message: SSL and GSS requests are declined, a cancel request is dropped (PGlite has nothing to cancel). */
  private readStartup(connection: Connection): string | null {
    while (!connection.started) {
      const head = connection.peek(8);
      if (!head) return null;
      const length = head.readInt32BE(0);
      const code = head.readInt32BE(4);
      if (length === 8 && (code === SSL_REQUEST || code === GSSENC_REQUEST)) {
        connection.take(8);
        connection.write(Buffer.from('N'));
        continue;
      }
      if (length === 16 && code === CANCEL_REQUEST) {
        connection.take(16);
        connection.socket.end();
        return null;
      }
      if (code !== PROTOCOL_3) return `unsupported frontend protocol or invalid startup packet (expected protocol 3.0)`;
      if (length < 9 || length > MAX_STARTUP_LENGTH) return `invalid length of startup packet (${length})`;
      const packet = connection.peek(length);
      if (!packet) return null;
      // Name/value pairs, each null-terminated, ending with an empty name.
      if (packet[length - 1] !== 0 || packet.indexOf(0, 8) === -1) return 'invalid startup packet layout: expected terminator as last byte';
      connection.pending.push(connection.take(length));
      connection.started = true;
    }
    return this.readMessages(connection);
  }

  private readMessages(connection: Connection): string | null {
    for (;;) {
      const head = connection.peek(5);
      if (!head) return null;
      const type = head[0];
      const length = head.readInt32BE(1);
      if (!FRONTEND_TYPES.has(type)) return `invalid frontend message type ${type}`;
      if (length < 4 || length > MAX_MESSAGE_LENGTH) return `invalid message length ${length}`;
      const whole = connection.peek(length + 1);
      if (!whole) return null;
      const msg = connection.take(length + 1);
      if (type === TERMINATE) {
        connection.terminating = true;
        return null;
      }
      connection.pending.push(type === QUERY || type === PARSE ? refuseCopyFromStdin(msg) : msg);
    }
  }

  private closed(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    connection.clearHoldTimer();
    connection.pending = [];
    this.connections.delete(connection);
    const at = this.waiting.indexOf(connection);
    if (at !== -1) this.waiting.splice(at, 1);
    if (connection === this.owner) void this.pump();
  }

  /** Runs the owner's messages, hands the session on when the owner is done, cleans up after a dead one. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        if (!this.owner) {
          this.owner = this.waiting.shift() ?? null;
          this.ownerHoldsState = false;
          if (!this.owner) break;
        }
        const owner = this.owner;
        if (owner.closed) {
          if (this.ownerHoldsState) await this.cleanUpAfter(owner);
          this.owner = null;
          continue;
        }
        if (owner.pending.length === 0) {
          if (owner.terminating) {
            owner.socket.end();
            this.closed(owner);
            continue;
          }
          if (this.ownerHoldsState) this.armHoldTimer(owner);
          else this.owner = null;
          if (this.owner) break;
          continue;
        }
        // Everything the owner sent so far in one call (PGlite runs a buffer of messages in turn),
        // except the startup message (always a connection's first), which PGlite only reads alone.
        const messages = owner.pending.splice(0, owner.pending[0][0] === STARTUP ? 1 : owner.pending.length);
        const batch = messages.length === 1 ? messages[0] : Buffer.concat(messages);
        const outcome = await this.execute(batch, (data) => owner.write(data));
        if (outcome === null) continue; // PGlite failed; the owner was told and dropped
        // No output (a Flush, or messages skipped after an error until Sync) leaves things as they were.
        if (outcome.wrote) this.ownerHoldsState = !(CYCLE_ENDS.has(messages[messages.length - 1][0]) && outcome.readyStatus === IDLE);
        if (outcome.fatal) {
          owner.socket.end();
          this.closed(owner);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private armHoldTimer(owner: Connection): void {
    if (owner.holdTimer) return;
    const since = Date.now();
    owner.holdTimer = setTimeout(() => {
      owner.holdTimer = undefined;
      if (this.owner !== owner || owner.pending.length) return;
      const seconds = Math.round(this.holdTimeoutMs / 100) / 10;
      this.onEvent({ kind: 'hold-timeout', connection: owner.id, heldMs: Date.now() - since });
      owner.socket.end(
        errorResponse(
          'FATAL',
          '25P03',
          `terminating connection: it held the embedded database for ${seconds} s without finishing its transaction, and every other connection was waiting`,
        ),
      );
      owner.socket.destroySoon();
      this.closed(owner);
    }, this.holdTimeoutMs);
    owner.holdTimer.unref();
  }

  /** Ends a dead owner's batch, rolls back its transaction and discards its session state. */
  private async cleanUpAfter(owner: Connection): Promise<void> {
    const discard = () => {};
    const ended = await this.execute(END_BATCH, discard);
    const inTransaction = ended !== null && ended.readyStatus !== IDLE;
    this.onEvent({ kind: 'owner-lost', connection: owner.id, inTransaction });
    if (inTransaction) await this.execute(simpleQuery('ROLLBACK'), discard);
    await this.execute(simpleQuery('DISCARD ALL'), discard);
  }

  /**
   * One call into PGlite with a batch of whole messages; its output goes to `write` in one piece.
   * Null when PGlite itself failed (it is then unusable: every connection is told and dropped).
   */
  private async execute(batch: Buffer, write: (data: Buffer) => void): Promise<BatchOutcome | null> {
    if (this.failure) {
      write(errorResponse('FATAL', '57P01', `the embedded database stopped: ${this.failure.message}; restart Orbita`));
      if (this.owner) this.closed(this.owner);
      return null;
    }
    const output: Buffer[] = [];
    this.executions++;
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(batch, {
          onRawData: (data) => {
            output.push(Buffer.from(data)); // a copy: PGlite hands out a view of its own memory
          },
        }),
      );
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return this.execute(batch, write);
    }
    const data = output.length === 1 ? output[0] : Buffer.concat(output);
    if (data.length) write(data);
    return outcomeOf(data);
  }

  private fail(error: Error): void {
    this.failure = error;
    this.onEvent({ kind: 'database-failed', error });
    for (const connection of this.connections) {
      if (connection === this.owner) continue;
      connection.socket.end(errorResponse('FATAL', '57P01', `the embedded database stopped: ${error.message}; restart Orbita`));
      this.closed(connection);
    }
  }
}

/** Walks the backend messages of a batch's output: the status of a final ReadyForQuery, and whether a FATAL error was sent. */
function outcomeOf(data: Buffer): BatchOutcome {
  let readyStatus: number | null = null;
  let fatal = false;
  let at = 0;
  while (at + 5 <= data.length) {
    const type = data[at];
    const length = data.readInt32BE(at + 1);
    if (type === READY_FOR_QUERY && length === 5) readyStatus = data[at + 5];
    else readyStatus = null;
    if (type === ERROR_RESPONSE && data.toString('latin1', at + 5, Math.min(at + 1 + length, at + 12)).startsWith('SFATAL')) fatal = true;
    at += 1 + length;
  }
  return { wrote: data.length > 0, readyStatus, fatal };
}
