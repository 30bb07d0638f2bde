import type { Command } from 'commander';
import { describeCadence } from '../../lib/meetings/rules';
import type { CreateMeetingInput, HeldMeetingInput, ListMeetingsInput, UpdateMeetingInput } from '../../lib/meetings/schemas';
import {
  archiveMeeting,
  createMeeting,
  getMeeting,
  listMeetings,
  markMeetingHeld,
  type MeetingChange,
  type MeetingView,
  updateMeeting,
} from '../../lib/meetings/service';
import { defined, numberFlag } from '../options';
import { printJson, printMoreHint, printRecord, printScheduleChanges, printTable, shortId } from '../output';
import { withUserContext } from '../runtime';

interface Json { json?: boolean }

/** The local date of a zoned ISO-8601 time (views are already in the user's zone). */
const localDay = (iso: string | null) => (iso ? iso.slice(0, 10) : null);
/** Local date and HH:MM of a zoned ISO-8601 time. */
const localDayTime = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : null);

function nextText(meeting: MeetingView): string | null {
  if (meeting.archived) return null;
  return `${localDayTime(meeting.nextOccurrence)}${meeting.dueToday ? ' (today)' : ''}`;
}

function printMeeting(meeting: MeetingView | MeetingChange, json: boolean | undefined, verb?: string): void {
  if (json) return printJson(meeting);
  if (verb) {
    const state = meeting.archived ? 'archived' : `${describeCadence(meeting)}, next ${nextText(meeting)}`;
    console.log(`${verb} meeting ${shortId(meeting.id)} "${meeting.name}" (${state})`);
    return printScheduleChanges('schedule' in meeting ? meeting.schedule : undefined);
  }
  printRecord([
    ['id', meeting.id],
    ['name', meeting.name],
    ['cadence', `${describeCadence(meeting)} (every ${meeting.intervalDays} day${meeting.intervalDays === 1 ? '' : 's'})`],
    ['duration', `${meeting.durationMinutes} min`],
    ['time', meeting.time],
    ['last held', localDayTime(meeting.lastHeldAt)],
    ['next', nextText(meeting)],
    ['archived', meeting.archivedAt ? `yes (${localDayTime(meeting.archivedAt)})` : 'no'],
    ['created', meeting.createdAt],
  ]);
}

const cadenceHelp = 'weekly, biweekly, monthly or custom (with --interval-days)';

export function registerMeeting(program: Command): void {
  const meeting = program.command('meeting').description('manage recurring 1:1 meetings (ids may be given as a prefix)');

  meeting
    .command('create')
    .description('create a 1:1')
    .argument('<name>', 'the person you meet')
    .option('--cadence <cadence>', `${cadenceHelp} (default weekly)`)
    .option('--interval-days <n>', 'days between meetings, 1–365 (required with --cadence custom)')
    .option('--duration <minutes>', 'length in minutes, 5–480 (default 30)')
    .option('--time <HH:MM>', 'preferred start time in your time zone (default 10:00)')
    .option('--json', 'machine-readable output')
    .action(async (name: string, o: { cadence?: string; intervalDays?: string; duration?: string; time?: string } & Json) => {
      const input = defined({ name, cadence: o.cadence, intervalDays: numberFlag(o.intervalDays), durationMinutes: numberFlag(o.duration), time: o.time });
      printMeeting(await withUserContext((ctx) => createMeeting(ctx, input as CreateMeetingInput)), o.json, 'created');
    });

  meeting
    .command('list')
    .description('list 1:1s by next occurrence (active ones; --archived for all)')
    .option('--archived', 'include archived meetings')
    .option('--limit <n>', 'at most this many (1–200)', '50')
    .option('--cursor <cursor>', 'continue a previous listing')
    .option('--json', 'machine-readable output')
    .action(async (o: { archived?: boolean; limit: string; cursor?: string } & Json) => {
      const input = defined({ archived: o.archived, limit: numberFlag(o.limit), cursor: o.cursor });
      const page = await withUserContext((ctx) => listMeetings(ctx, input as ListMeetingsInput));
      if (o.json) return printJson(page);
      if (page.items.length === 0) return console.log(o.archived ? 'no meetings' : 'no meetings (use --archived for all)');
      printTable(
        page.items.map((m) => ({
          id: shortId(m.id),
          name: m.archived ? `${m.name} [archived]` : m.name,
          cadence: describeCadence(m),
          min: m.durationMinutes,
          time: m.time,
          lastHeld: localDay(m.lastHeldAt),
          next: nextText(m),
        })),
        [
          { key: 'id', header: 'id' },
          { key: 'name', header: 'name' },
          { key: 'cadence', header: 'cadence' },
          { key: 'min', header: 'min' },
          { key: 'time', header: 'time' },
          { key: 'lastHeld', header: 'last held' },
          { key: 'next', header: 'next' },
        ],
      );
      printMoreHint(page.nextCursor, `orbita meeting list${o.archived ? ' --archived' : ''}`);
    });

  meeting
    .command('show')
    .description('show one 1:1')
    .argument('<meeting-id>', 'meeting id or prefix')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: Json) => printMeeting(await withUserContext((ctx) => getMeeting(ctx, id)), o.json));

  meeting
    .command('update')
    .description('change any field of a 1:1')
    .argument('<meeting-id>', 'meeting id or prefix')
    .option('--name <name>', 'the person you meet')
    .option('--cadence <cadence>', cadenceHelp)
    .option('--interval-days <n>', 'days between meetings, 1–365 (alone, the cadence follows: 7 weekly, 14 biweekly, 30 monthly, else custom)')
    .option('--duration <minutes>', 'length in minutes, 5–480')
    .option('--time <HH:MM>', 'preferred start time in your time zone')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { name?: string; cadence?: string; intervalDays?: string; duration?: string; time?: string } & Json) => {
      const input = defined({ name: o.name, cadence: o.cadence, intervalDays: numberFlag(o.intervalDays), durationMinutes: numberFlag(o.duration), time: o.time });
      printMeeting(await withUserContext((ctx) => updateMeeting(ctx, id, input as UpdateMeetingInput)), o.json, 'updated');
    });

  meeting
    .command('held')
    .description('record that a 1:1 took place (default now; never in the future)')
    .argument('<meeting-id>', 'meeting id or prefix')
    .option('--date <YYYY-MM-DD>', 'the day it was held (alone: at its preferred time)')
    .option('--time <HH:MM>', 'the time it was held (alone: today)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { date?: string; time?: string } & Json) => {
      const input = defined({ date: o.date, time: o.time });
      const result = await withUserContext((ctx) => markMeetingHeld(ctx, id, input as HeldMeetingInput));
      if (o.json) return printJson(result);
      const m = result.meeting;
      console.log(`held meeting ${shortId(m.id)} "${m.name}" at ${localDayTime(result.heldAt)} (last held ${localDayTime(m.lastHeldAt)}, next ${nextText(m)})`);
    });

  meeting
    .command('archive')
    .description('archive a 1:1 (keeps its history; idempotent)')
    .argument('<meeting-id>', 'meeting id or prefix')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: Json) => printMeeting(await withUserContext((ctx) => archiveMeeting(ctx, id)), o.json, 'archived'));
}
