import type { Command } from 'commander';

export function registerMeeting(program: Command): void {
  program.command('meeting').description('manage meetings');
}
