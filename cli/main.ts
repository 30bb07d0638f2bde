import { Command, CommanderError } from 'commander';
import { ConfigError, config } from '../lib/config';
import { toAppError } from '../lib/http/errors';
import { registerAdapt } from './commands/adapt';
import { registerAuth } from './commands/auth';
import { registerBilling } from './commands/billing';
import { registerExport } from './commands/export';
import { registerHabit } from './commands/habit';
import { registerHealth } from './commands/health';
import { registerMcp } from './commands/mcp';
import { registerMeeting } from './commands/meeting';
import { registerOutbox } from './commands/outbox';
import { registerSchedule } from './commands/schedule';
import { registerSettings } from './commands/settings';
import { registerSync } from './commands/sync';
import { registerTask } from './commands/task';
import { registerUser } from './commands/user';

/** The `orbita` program. Commands are thin: parse flags, call one lib/ service, print. */
export function buildProgram(): Command {
  const program = new Command('orbita')
    .description('Orbita: tasks, habits and 1:1s planned into time blocks')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text.startsWith('error:') ? `orbita: ${text.slice(7)}` : text) });
  registerHealth(program);
  registerUser(program);
  registerOutbox(program);
  registerTask(program);
  registerHabit(program);
  registerMeeting(program);
  registerAdapt(program);
  registerSchedule(program);
  registerSync(program);
  registerSettings(program);
  registerExport(program);
  registerBilling(program);
  registerMcp(program);
  registerAuth(program);
  return program;
}

/** Maps any failure to one line on stderr and an exit code; a stack trace only with ORBITA_DEBUG=1. */
export function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are successful exits; usage mistakes are exit 2 (commander printed the line).
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof ConfigError) {
    console.error(`orbita: ${error.message}`);
    return 2;
  }
  const appError = toAppError(error);
  if (appError) {
    console.error(`orbita: ${appError.message}`);
    return appError.exitCode;
  }
  console.error(`orbita: unexpected error: ${(error as Error)?.message ?? String(error)}`);
  if (process.env.ORBITA_DEBUG) console.error(error);
  return 1;
}

async function main(argv: string[]): Promise<number> {
  try {
    config(); // validated once, before any command runs
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportFailure(error);
  }
}

process.exit(await main(process.argv));
