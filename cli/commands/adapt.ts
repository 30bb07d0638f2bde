import type { Command } from 'commander';
import { adapt, type AdaptInput } from '../../lib/adapt/service';
import { done } from '../../lib/done/service';
import { describeFrequency } from '../../lib/habits/rules';
import { describeCadence } from '../../lib/meetings/rules';
import { defined, numberFlag } from '../options';
import { printJson, printTable, shortId } from '../output';
import { withUserContext } from '../runtime';

/** One adapt report section: per item old → new (or unchanged) and why. */
function printChanges<T>(items: { id: string; name: string; from: T; to: T; changed: boolean; reason: string }[], what: string, describe: (value: T) => string): void {
  if (items.length === 0) return;
  printTable(
    items.map((item) => ({
      id: shortId(item.id),
      name: item.name,
      change: item.changed ? `${describe(item.from)} → ${describe(item.to)}` : `${describe(item.from)} (unchanged)`,
      why: item.reason,
    })),
    [
      { key: 'id', header: 'id' },
      { key: 'name', header: 'name' },
      { key: 'change', header: what },
      { key: 'why', header: 'why' },
    ],
  );
}

export function registerAdapt(program: Command): void {
  program
    .command('adapt')
    .description('adapt habit frequencies and 1:1 cadences to what actually happened (both unless one is chosen)')
    .option('--habits', 'adapt habits (module adaptive-frequency)')
    .option('--meetings', 'adapt 1:1 cadences (modules adaptive-frequency and smart-1to1)')
    .option('--window-days <n>', 'days of habit history to judge, 7–90', '14')
    .option('--json', 'machine-readable output')
    .action(async (o: { habits?: boolean; meetings?: boolean; windowDays: string; json?: boolean }) => {
      const input = defined({ habits: o.habits, meetings: o.meetings, windowDays: numberFlag(o.windowDays) });
      const report = await withUserContext((ctx) => adapt(ctx, input as AdaptInput));
      if (o.json) return printJson(report);
      if (report.habits) {
        const { evaluated, updated, window } = report.habits;
        console.log(`habits: evaluated ${evaluated}, updated ${updated} (window ${window.from} – ${window.to})`);
        printChanges(report.habits.habits, 'frequency', describeFrequency);
      }
      if (report.meetings) {
        if (report.habits) console.log('');
        console.log(`meetings: evaluated ${report.meetings.evaluated}, updated ${report.meetings.updated}`);
        printChanges(report.meetings.meetings, 'cadence', describeCadence);
      }
    });

  program
    .command('done')
    .description('complete the open task, or log today for the due habit, whose id starts with <prefix>')
    .argument('<prefix>', 'id prefix (case-insensitive), as lists show it')
    .option('--notes <text>', 'notes for a habit completion')
    .option('--json', 'machine-readable output')
    .action(async (prefix: string, o: { notes?: string; json?: boolean }) => {
      const result = await withUserContext((ctx) => done(ctx, defined({ prefix, notes: o.notes }) as { prefix: string }));
      if (o.json) return printJson(result);
      if (result.kind === 'task') console.log(`completed task ${shortId(result.task.id)} "${result.task.title}"`);
      else {
        const { habit, completion } = result.log;
        console.log(`logged "${habit.name}" for ${completion.date} · streak ${habit.streak} (best ${habit.bestStreak})`);
      }
    });
}
