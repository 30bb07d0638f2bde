import type { Command } from 'commander';
import { type AutoScheduleInput, autoSchedule } from '../../lib/scheduling/auto';
import { type RescheduleMissedInput, rescheduleMissed } from '../../lib/scheduling/missed';
import { defined, numberFlag } from '../options';
import { flagText, printJson, printTable, shortId } from '../output';
import { withUserContext } from '../runtime';

const blockColumns = [
  { key: 'date', header: 'date' },
  { key: 'time', header: 'time' },
  { key: 'kind', header: 'type' },
  { key: 'title', header: 'title' },
  { key: 'id', header: 'block' },
  { key: 'flag', header: 'flag' },
];

/** `schedule auto` and `schedule reschedule-missed` (the planner's commands). */
export function registerScheduleAuto(schedule: Command): void {
  schedule
    .command('auto')
    .description('plan open tasks (and due habits / 1:1s) into free working time; running it again adds nothing twice')
    .option('--date <date>', 'first day to plan, YYYY-MM-DD (default today)')
    .option('--days <n>', 'how many days to plan (1–31)', '1')
    .option('--habits', 'also plan habits due on those days (personal hours)')
    .option('--meetings', 'also plan 1:1s due on those days (module smart-1to1)')
    .option('--json', 'machine-readable output')
    .action(async (o: { date?: string; days: string; habits?: boolean; meetings?: boolean; json?: boolean }) => {
      const input = defined({ date: o.date, days: numberFlag(o.days), habits: o.habits, meetings: o.meetings });
      const result = await withUserContext((ctx) => autoSchedule(ctx, input as AutoScheduleInput));
      if (o.json) return printJson(result);
      const span = result.dates.length > 1 ? `${result.dates[0]} – ${result.dates[result.dates.length - 1]}` : result.dates[0];
      console.log(`planned ${span} (${result.timeZone}): ${result.placed.length} placed, ${result.failures.length} not placed`);
      if (result.placed.length) {
        console.log('');
        printTable(
          result.placed.map((b) => ({ date: b.date, time: `${b.startTime}–${b.endTime}`, kind: b.kind, title: b.title, id: shortId(b.id), flag: flagText(b.flag) || null })),
          blockColumns,
        );
      }
      if (result.failures.length) {
        console.log('\nnot placed:');
        printTable(
          result.failures.map((f) => ({ kind: f.kind, title: f.title, reason: f.reason })),
          [
            { key: 'kind', header: 'type' },
            { key: 'title', header: 'title' },
            { key: 'reason', header: 'why' },
          ],
        );
      }
      console.log(`\nutilisation: ${result.utilisation}% of working time`);
    });

  schedule
    .command('reschedule-missed')
    .description('mark blocks missed (ended over an hour ago) and move missed ones to the next free slot (module auto-rescheduler)')
    .option('--date <date>', 'day to start from, YYYY-MM-DD (default today)')
    .option('--after <HH:MM>', 'earliest time on that day (default now)')
    .option('--json', 'machine-readable output')
    .action(async (o: { date?: string; after?: string; json?: boolean }) => {
      const result = await withUserContext((ctx) => rescheduleMissed(ctx, defined({ date: o.date, after: o.after }) as RescheduleMissedInput));
      if (o.json) return printJson(result);
      console.log(`${result.rescheduled.length} rescheduled, ${result.failures.length} could not be moved (${result.markedMissed} newly marked missed)`);
      if (result.rescheduled.length) {
        printTable(
          result.rescheduled.map((b) => ({ date: b.date, time: `${b.startTime}–${b.endTime}`, kind: b.type, title: b.title, id: shortId(b.id), flag: flagText(b.flag) || null })),
          blockColumns,
        );
      }
      for (const failure of result.failures) console.log(`not moved: "${failure.title}" — ${failure.reason}`);
    });
}
