import type { Command } from 'commander';
import { syncCalendarSchema, type SyncCalendarInput } from '../../lib/calendar/schemas';
import { type SyncResult, syncCalendar } from '../../lib/calendar/sync';
import { defined, numberFlag } from '../options';
import { printJson, shortId } from '../output';
import { withUserContext } from '../runtime';

/** Repeatable flag: every occurrence is collected. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * An optional-value boolean flag: `--flag` → true, `--flag=false` / `--flag false` → false. Any
 * other text is passed on for the schema to reject with its message.
 */
export function boolFlag(value: string | boolean | undefined): boolean | string | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  const text = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(text)) return true;
  if (['false', '0', 'no'].includes(text)) return false;
  return value;
}

/** A redrawn progress bar on stderr, only when stderr is a terminal (pipes and CI stay quiet). */
function progressBar(label: string) {
  const tty = Boolean(process.stderr.isTTY);
  let drawn = false;
  let last = 0;
  return {
    update(done: number, total: number) {
      if (!tty) return;
      const now = Date.now();
      if (done !== total && now - last < 50) return; // at most 20 redraws a second
      last = now;
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`);
      drawn = true;
    },
    finish() {
      if (tty && drawn) process.stderr.write('\r\x1b[K');
    },
  };
}

export function countsLine(r: Pick<SyncResult, 'created' | 'updated' | 'deleted' | 'unchanged' | 'failed'>): string {
  return `created ${r.created} · updated ${r.updated} · deleted ${r.deleted} · unchanged ${r.unchanged} · failed ${r.failed}`;
}

interface SyncFlags {
  days?: string;
  deleteMissing?: string | boolean;
  calendar?: string;
  useConfigCalendar?: string | boolean;
  attendee?: string[];
  reminder?: string[];
  json?: boolean;
}

/**
 * `orbita sync`: pushes the blocks of the next N days to Google Calendar. Exit 0 when the sync ran
 * (failed events are listed, and counted in `failed`); exit 1 (or 2 for bad input, 4 when not
 * connected) only when the sync could not run at all.
 */
export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('sync your blocks to Google Calendar (created / updated / deleted / unchanged / failed)')
    .option('--days <n>', 'days from the start of today (1–90)', '7')
    .option('--delete-missing [bool]', 'delete Orbita events in the window whose block is gone (default: stored setting, else CALENDAR_DELETE_MISSING)')
    .option('--calendar <id>', 'target calendar id (default: stored setting, else CALENDAR_ID, else primary)')
    .option('--use-config-calendar [bool]', '--use-config-calendar=false ignores the stored setting and CALENDAR_ID (targets primary)')
    .option('--attendee <email>', 'attendee added to every synced event (repeatable)', collect)
    .option('--reminder <minutes>', 'popup reminder, minutes before the start (repeatable, 0–40320)', collect)
    .option('--json', 'machine-readable output')
    .action(async (o: SyncFlags) => {
      const input = defined({
        days: numberFlag(o.days),
        deleteMissing: boolFlag(o.deleteMissing),
        calendar: o.calendar,
        useConfigCalendar: boolFlag(o.useConfigCalendar),
        attendees: o.attendee,
        reminders: o.reminder?.map(numberFlag),
      }) as SyncCalendarInput;
      syncCalendarSchema.parse(input); // bad flags fail fast (exit 2), before any connection is made
      const bar = progressBar('syncing');
      const result = await withUserContext((ctx) => syncCalendar(ctx, input, { onProgress: (done, total) => bar.update(done, total) })).finally(() =>
        bar.finish(),
      );
      if (o.json) return printJson(result);
      console.log(`calendar ${result.calendar_id} · ${result.window.from} – ${result.window.to}${result.delete_missing ? ' · delete-missing on' : ''} · ${result.requests} requests`);
      console.log(countsLine(result));
      for (const failure of result.failures) {
        const id = /^[0-9a-f-]{36}$/.test(failure.block_id) ? shortId(failure.block_id) : failure.block_id;
        console.log(`  failed ${id}: ${failure.message}`);
      }
    });
}
