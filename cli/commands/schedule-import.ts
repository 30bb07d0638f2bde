import type { Command } from 'commander';
import { importCalendar, type ImportResult } from '../../lib/calendar/import';
import { importCalendarSchema } from '../../lib/calendar/schemas';
import { blockTypes } from '../../lib/scheduling/schemas';
import { defined, numberFlag } from '../options';
import { printJson } from '../output';
import { withUserContext } from '../runtime';

interface ImportFlags {
  days: string;
  type?: string;
  taggedOnly?: boolean;
  calendar?: string;
  useConfigCalendar?: string;
  includeAllDay?: boolean;
  json?: boolean;
}

/** `created 3 · updated 1 · removed 0 · skipped 2` (+ the full-resync note). */
export function importSummary(result: ImportResult): string {
  const counts = `created ${result.created} · updated ${result.updated} · removed ${result.removed} · skipped ${result.skipped}`;
  return `${counts}${result.full_resync ? ' (full resync: the stored sync token was expired or stale)' : ''}`;
}

/** `schedule import`: Google Calendar events in the window become imported blocks. */
export function registerScheduleImport(schedule: Command): void {
  schedule
    .command('import')
    .description('import Google Calendar events of the next days as blocks (incremental; re-running updates, never duplicates)')
    .option('--days <n>', 'days from the start of today (1–90)', '7')
    .requiredOption('--type <type>', `block type of the imported blocks (${blockTypes.join(', ')})`)
    .option('--tagged-only', 'only events tagged by Orbita (extendedProperties.private.orbita = 1)')
    .option('--calendar <id>', 'calendar to read (default: stored setting, else CALENDAR_ID, else primary)')
    .option('--use-config-calendar <bool>', 'false ignores the stored setting and CALENDAR_ID and reads primary')
    .option('--include-all-day', 'also import all-day events (blocks covering the local day(s))')
    .option('--json', 'machine-readable output')
    .action(async (o: ImportFlags) => {
      // Checked before the database starts: bad input is one line and exit 2.
      const input = importCalendarSchema.parse(
        defined({
          days: numberFlag(o.days),
          type: o.type,
          taggedOnly: o.taggedOnly,
          calendar: o.calendar,
          useConfigCalendar: o.useConfigCalendar,
          includeAllDay: o.includeAllDay,
        }),
      );
      const result = await withUserContext((ctx) => importCalendar(ctx, input));
      if (o.json) return printJson(result);
      console.log(`imported from ${result.calendar_id} (${result.window.from} – ${result.window.to})`);
      console.log(importSummary(result));
    });
}
