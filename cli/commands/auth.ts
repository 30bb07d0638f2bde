import type { Command } from 'commander';
import {
  checkStoredTokens,
  connectionStatus,
  createAuthUrl,
  disconnect,
  exchangeCode,
  rotateEncryptionKeys,
  type ConnectionView,
} from '../../lib/calendar/connection';
import { exchangeCodeSchema } from '../../lib/calendar/schemas';
import { printJson, printRecord } from '../output';
import { defined } from '../options';
import { withDatabase, withUserContext } from '../runtime';

/**
 * Progress on stderr: a redrawn bar when stderr is a terminal, otherwise a line every few seconds
 * (and at the end), so logs of a long rotation still show it moving.
 */
function progressReporter(label: string) {
  const tty = Boolean(process.stderr.isTTY);
  let lastLine = 0;
  let drawn = false;
  return {
    update(done: number, total: number) {
      if (tty) {
        const width = 30;
        const filled = total ? Math.round((done / total) * width) : width;
        const percent = total ? Math.floor((done / total) * 100) : 100;
        process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${percent}%`);
        drawn = true;
        return;
      }
      const now = Date.now();
      if (done === total || now - lastLine >= 2000) {
        lastLine = now;
        process.stderr.write(`${label}: ${done}/${total}\n`);
      }
    },
    finish() {
      if (tty && drawn) process.stderr.write('\n');
    },
  };
}

function printConnection(view: ConnectionView, extra: [string, unknown][] = []): void {
  printRecord([
    ['provider', view.provider],
    ['account', view.accountEmail],
    ['status', view.status === 'needs_reconnect' ? 'needs reconnect (run `orbita auth url`)' : view.status],
    ['scopes', view.scopes.join(' ')],
    ['access token expires', view.expiresAt],
    ['last error', view.lastError],
    ['connected at', view.connectedAt],
    ['updated at', view.updatedAt],
    ...extra,
  ]);
}

export function registerAuth(program: Command): void {
  const auth = program.command('auth').description('connect Google Calendar (OAuth) and manage the encryption of stored tokens');

  auth
    .command('url')
    .description('print the Google consent URL (valid 10 minutes); then run `orbita auth exchange --code <code>`')
    .action(async () => {
      const { url, expiresAt } = await withUserContext((ctx) => createAuthUrl(ctx));
      console.log(url);
      process.stderr.write(
        `Open the URL above in a browser and allow access; then run: orbita auth exchange --code <code>  (before ${expiresAt.toISOString()})\n`,
      );
    });

  auth
    .command('exchange')
    .description('store the tokens for the code from the consent page')
    .requiredOption('--code <code>', 'the authorization code from the consent page')
    .option('--state <state>', 'the state from the callback URL (default: your newest consent)')
    .option('--json', 'machine-readable output')
    .action(async (o: { code: string; state?: string; json?: boolean }) => {
      const input = exchangeCodeSchema.parse(defined({ code: o.code, state: o.state }));
      const view = await withUserContext((ctx) => exchangeCode(ctx, input));
      if (o.json) return printJson(view);
      console.log(`connected Google Calendar${view.accountEmail ? ` as ${view.accountEmail}` : ''}`);
    });

  auth
    .command('status')
    .description('show the Google Calendar connection and check its tokens decrypt with the configured keys')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const { view, tokens } = await withUserContext(async (ctx) => ({ view: await connectionStatus(ctx), tokens: await checkStoredTokens(ctx) }));
      if (tokens && !tokens.ok) process.exitCode = 1;
      if (o.json) return printJson(view ? { connected: view.status === 'connected', ...view, tokens } : { connected: false });
      if (!view) return console.log('not connected: run `orbita auth url` to connect Google Calendar');
      printConnection(view, [
        ['encryption key', tokens ? `${tokens.keyId}${tokens.current ? ' (current)' : ' (old: run `orbita auth rotate-key`)'}` : null],
        ['tokens decrypt', tokens ? (tokens.ok ? 'ok' : `FAIL: ${tokens.error}`) : null],
      ]);
    });

  auth
    .command('disconnect')
    .description('forget the stored Google tokens (does not revoke them at Google)')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const result = await withUserContext((ctx) => disconnect(ctx));
      if (o.json) return printJson(result);
      console.log(result.disconnected ? 'disconnected Google Calendar' : 'no Google Calendar connection, nothing to do');
    });

  auth
    .command('rotate-key')
    .description('re-encrypt every stored token with ORBITA_ENCRYPTION_KEY (old keys in ORBITA_ENCRYPTION_KEYS_OLD); resumable')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const progress = progressReporter('re-encrypting tokens');
      const result = await withDatabase((db) => rotateEncryptionKeys(db, { onProgress: (done, total) => progress.update(done, total) })).finally(() =>
        progress.finish(),
      );
      if (result.failed) process.exitCode = 1;
      for (const failure of result.failures) {
        process.stderr.write(`orbita: token ${failure.id} (user ${failure.userId}, key ${failure.keyId}) failed: ${failure.message}\n`);
      }
      if (o.json) return printJson(result);
      console.log(`total ${result.total}, rotated ${result.rotated}, already current ${result.alreadyCurrent}, failed ${result.failed}`);
    });
}
