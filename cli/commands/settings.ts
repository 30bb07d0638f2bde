import type { Command } from 'commander';
import type { SetDeleteMissingInput } from '../../lib/calendar/schemas';
import {
  type CalendarSettingsView,
  type DeleteMissingView,
  getCalendarSettings,
  getDeleteMissing,
  listCalendars,
  setCalendar,
  setDeleteMissing,
} from '../../lib/calendar/settings';
import { validationError } from '../../lib/errors';
import { printJson, printRecord, printTable } from '../output';
import { withUserContext } from '../runtime';
import { boolFlag } from './sync';

interface Json { json?: boolean }

const sourceLabel = { setting: 'stored setting', config: 'CALENDAR_ID', default: 'default' } as const;

function printCalendarSettings(view: CalendarSettingsView, json?: boolean) {
  if (json) return printJson(view);
  printRecord([
    ['calendar', view.calendar_id ?? 'not set'],
    ['effective', `${view.effective_calendar_id} (${sourceLabel[view.source]})`],
  ]);
}

function printDeleteMissing(view: DeleteMissingView, json?: boolean) {
  if (json) return printJson(view);
  console.log(`delete-missing ${view.delete_missing ? 'on' : 'off'} (${view.source === 'setting' ? 'stored setting' : 'CALENDAR_DELETE_MISSING'})`);
}

/** `orbita settings calendar …`: the calendars you can sync to and your stored calendar settings. */
export function registerSettings(program: Command): void {
  const settings = program.command('settings').description('your settings');
  const calendar = settings.command('calendar').description('Google Calendar settings: target calendar and delete-missing');

  calendar
    .command('list')
    .description('list the calendars of the connected Google account')
    .option('--primary-only', 'only the primary calendar')
    .option('--json', 'machine-readable output')
    .action(async (o: { primaryOnly?: boolean } & Json) => {
      const calendars = await withUserContext((ctx) => listCalendars(ctx, { primaryOnly: o.primaryOnly === true }));
      if (o.json) return printJson(calendars);
      if (!calendars.length) return console.log('no calendars');
      printTable(
        calendars.map((c) => ({ ...c, primary: c.primary ? 'yes' : '' })),
        [
          { key: 'id', header: 'id' },
          { key: 'summary', header: 'summary' },
          { key: 'primary', header: 'primary' },
          { key: 'access_role', header: 'access' },
          { key: 'time_zone', header: 'time zone' },
        ],
      );
    });

  calendar
    .command('get')
    .description('show the stored calendar and the one a sync targets')
    .option('--json', 'machine-readable output')
    .action(async (o: Json) => printCalendarSettings(await withUserContext((ctx) => getCalendarSettings(ctx)), o.json));

  calendar
    .command('set')
    .description('store the calendar to sync to (checked against your calendar list); --clear (or --calendar "") removes it')
    .option('--calendar <id>', 'calendar id (see `orbita settings calendar list`)')
    .option('--clear', 'remove the stored calendar')
    .option('--json', 'machine-readable output')
    .action(async (o: { calendar?: string; clear?: boolean } & Json) => {
      if (o.clear && o.calendar !== undefined && o.calendar.trim() !== '') throw validationError('use either --calendar <id> or --clear, not both');
      if (!o.clear && o.calendar === undefined) throw validationError('calendar is required: --calendar <id> (or --clear)');
      const value = o.clear ? null : (o.calendar as string);
      printCalendarSettings(await withUserContext((ctx) => setCalendar(ctx, { calendar: value })), o.json);
    });

  const deleteMissing = calendar.command('delete-missing').description('whether a sync deletes Orbita events whose block is gone');
  deleteMissing
    .command('get')
    .description('show the delete-missing preference')
    .option('--json', 'machine-readable output')
    .action(async (o: Json) => printDeleteMissing(await withUserContext((ctx) => getDeleteMissing(ctx)), o.json));
  deleteMissing
    .command('set')
    .description('store the delete-missing preference: --value=true or --value=false')
    .option('--value <bool>', 'true or false')
    .option('--json', 'machine-readable output')
    .action(async (o: { value?: string } & Json) => {
      if (o.value === undefined) throw validationError('value is required: --value=true or --value=false');
      const input = { value: boolFlag(o.value) } as SetDeleteMissingInput;
      printDeleteMissing(await withUserContext((ctx) => setDeleteMissing(ctx, input)), o.json);
    });
}
