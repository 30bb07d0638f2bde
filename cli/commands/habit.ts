import type { Command } from 'commander';

export function registerHabit(program: Command): void {
  program.command('habit').description('manage habits');
}
