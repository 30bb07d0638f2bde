/**
 * The MCP server process (`npm run mcp`, `orbita mcp serve`, `make mcp-serve`): the database like the
 * CLI (DATABASE_URL, else the embedded one), the HTTP server on MCP_ADDR, SIGTERM/SIGINT finish the
 * requests in flight and exit 0.
 */
// First: the test-only clock shift (ORBITA_TEST_CLOCK_OFFSET, honoured only when NODE_ENV=test).
import '../lib/testing/clock-shift';
import { pathToFileURL } from 'node:url';
import { config, ConfigError } from '../lib/config';
import { connectDatabase, disconnectDb } from '../lib/db/client';
import { resolveDatabase } from '../lib/db/resolve';
import { toAppError } from '../lib/http/errors';
import { resolveCliUser } from '../lib/identity/users';
import { logger } from '../lib/logger';
import { type RunningMcpServer, startMcpHttpServer } from './http';
import { allTools } from './tools';

export interface RunMcpOptions {
  /** Called once listening (the CLI prints the address; its logger only shows warnings). */
  onListening?: (server: RunningMcpServer, notice: { authTokenUser: string | null }) => void;
}

/** Runs the MCP server until SIGTERM/SIGINT, then shuts it down and resolves. */
export async function runMcpServer(options: RunMcpOptions = {}): Promise<void> {
  const c = config();
  const database = await resolveDatabase();
  let running: RunningMcpServer | null = null;
  try {
    const db = connectDatabase(database.url);
    // MCP_AUTH_TOKEN acts as ORBITA_USER_ID, else as the CLI's user (the only one, created on first use).
    const authTokenUser = c.MCP_AUTH_TOKEN ? (await resolveCliUser(db, c.ORBITA_USER_ID)).id : null;
    running = await startMcpHttpServer({
      db,
      host: c.MCP_ADDR.host,
      port: c.MCP_ADDR.port,
      mcpAuthToken: c.MCP_AUTH_TOKEN,
      orbitaUserId: authTokenUser ?? undefined,
    });
    logger.info(
      { addr: `${running.address.address}:${running.address.port}`, endpoints: ['POST /mcp', 'GET /mcp/sse', 'POST /mcp/messages', 'GET /health'], tools: allTools.length },
      'mcp server listening',
    );
    if (authTokenUser) logger.info({ userId: authTokenUser }, 'MCP_AUTH_TOKEN accepted: it acts as this user');
    // The CLI prints its own plain-text lines (its logger shows only warnings, on stderr).
    else if (!options.onListening) logger.warn('MCP_AUTH_TOKEN is not set: only personal access tokens are accepted (create one under Settings → Personal access tokens)');
    options.onListening?.(running, { authTokenUser });

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    logger.info({ signal }, 'mcp server stopping: finishing the requests in flight');
    await running.close();
    running = null;
    logger.info('mcp server stopped');
  } finally {
    await running?.close(0).catch(() => {});
    await disconnectDb().catch(() => {});
    await database.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runMcpServer().then(
    () => logger.flush(() => process.exit(0)),
    (error: unknown) => {
      const appError = toAppError(error);
      const message = error instanceof ConfigError ? error.message : `mcp server failed to start: ${appError?.message ?? (error as Error).message}`;
      console.error(`orbita: ${message}`);
      process.exit(1);
    },
  );
}
