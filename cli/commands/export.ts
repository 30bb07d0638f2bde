import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { validationError } from '../../lib/errors';
import { countIcsEvents } from '../../lib/scheduling/ics';
import { type ExportIcsInput, exportIcs, exportIcsSchema } from '../../lib/scheduling/ics-feed';
import { defined, numberFlag } from '../options';
import { withUserContext } from '../runtime';

const formats = ['ics'] as const;

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export your schedule blocks (iCalendar / RFC 5545)')
    .requiredOption('--format <format>', 'export format: ics (the only one)')
    .option('--days <n>', 'how many days from today (1–366)', '14')
    .option('--from <date>', 'first day YYYY-MM-DD (default today, your time zone)')
    .option('--output <file>', 'write to this file instead of stdout')
    .action(async (o: { format: string; days: string; from?: string; output?: string }) => {
      const format = o.format.trim().toLowerCase();
      if (!(formats as readonly string[]).includes(format)) {
        throw validationError(`format must be ${formats.join(', ')} (the only export format), got "${o.format}"`, { field: 'format' });
      }
      const input = defined({ days: numberFlag(o.days), from: o.from });
      exportIcsSchema.parse(input); // bad flags fail before the database starts
      const ics = await withUserContext((ctx) => exportIcs(ctx, input as ExportIcsInput));
      if (!o.output) {
        process.stdout.write(ics);
        return;
      }
      await writeFile(path.resolve(o.output), ics, 'utf8');
      const events = countIcsEvents(ics);
      console.log(`wrote ${events} event${events === 1 ? '' : 's'} to ${o.output}`);
    });
}
