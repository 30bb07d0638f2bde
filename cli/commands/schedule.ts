import type { Command } from 'commander';
import { removeBlockEverywhere } from '../../lib/calendar/sync';
import { AppError, validationError } from '../../lib/errors';
import {
  addBlock,
  type BlockView,
  type DayView,
  freeSlots,
  moveBlock,
  scheduleDay,
  scheduleWeek,
} from '../../lib/scheduling/blocks';
import { completeBlockAndTask, isTaskChoice } from '../../lib/scheduling/complete-block';
import type { AddBlockInput, FreeSlotsInput, MoveBlockInput, ScheduleWeekInput } from '../../lib/scheduling/schemas';
import { weekdayOf } from '../../lib/time';
import { defined, numberFlag } from '../options';
import { flagText, printJson, printScheduleChanges, shortId } from '../output';
import { withUserContext } from '../runtime';
import { registerScheduleAuto } from './schedule-auto';
import { registerScheduleImport } from './schedule-import';

interface Json { json?: boolean }

const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const span = (b: { startTime: string; endTime: string }) => `${b.startTime}–${b.endTime}`;

/** `09:00–10:30  focus    Deep work        3f9c2a1b  planned  ! overdue` lines, titles padded to one column. */
function blockLines(blocks: BlockView[], indent = ''): string[] {
  const titleWidth = Math.max(0, ...blocks.map((b) => b.title.length));
  return blocks.map((b) =>
    `${indent}${span(b).padEnd(11)}  ${b.type.padEnd(7)}  ${b.title.padEnd(titleWidth)}  ${shortId(b.id)}  ${b.status}${b.source === 'imported' ? '  (imported)' : ''}${b.flag ? `  ${flagText(b.flag)}` : ''}`.trimEnd(),
  );
}

function dayHeader(day: DayView): string {
  const hours = day.workingHours ? `working hours ${day.workingHours.start}–${day.workingHours.end}` : 'no working hours';
  return `${weekdayNames[weekdayOf(day.date)]} ${day.date} (${day.timeZone}) · ${hours}`;
}

function printDay(day: DayView): void {
  console.log(dayHeader(day));
  const lines = blockLines(day.blocks);
  console.log(lines.length ? lines.join('\n') : 'nothing scheduled');
  console.log(`planned ${day.summary.plannedMinutes} min · free ${day.summary.freeMinutes} min`);
}

function printBlock(block: BlockView, json: boolean | undefined, verb: string, extra = ''): void {
  if (json) return printJson(block);
  console.log(`${verb} block ${shortId(block.id)} ${block.type} "${block.title}" ${block.date} ${span(block)} (${block.status})${block.flag ? ` ${flagText(block.flag)}` : ''}${extra}`);
}

export function registerSchedule(program: Command): void {
  const schedule = program.command('schedule').description('time blocks: show, plan and change your schedule');

  schedule
    .command('show')
    .alias('today')
    .description('show a day of your schedule (default today)')
    .option('--date <date>', 'local date YYYY-MM-DD')
    .option('--json', 'machine-readable output')
    .action(async (o: { date?: string } & Json) => {
      const day = await withUserContext((ctx) => scheduleDay(ctx, defined({ date: o.date })));
      if (o.json) return printJson(day);
      printDay(day);
    });

  schedule
    .command('week')
    .description('show a Monday-based week (default this week)')
    .option('--next', 'next week')
    .option('--offset <weeks>', 'weeks from this week (-52…52)')
    .option('--date <date>', 'any date YYYY-MM-DD in the week')
    .option('--json', 'machine-readable output')
    .action(async (o: { next?: boolean; offset?: string; date?: string } & Json) => {
      if (o.next && o.offset !== undefined) throw validationError('use either --next or --offset, not both');
      const input = defined({ date: o.date, offset: o.next ? 1 : numberFlag(o.offset) });
      const week = await withUserContext((ctx) => scheduleWeek(ctx, input as ScheduleWeekInput));
      if (o.json) return printJson(week);
      console.log(`week ${week.weekStart} – ${week.weekEnd} (${week.timeZone})`);
      for (const day of week.days) {
        const hours = day.workingHours ? `${day.workingHours.start}–${day.workingHours.end}` : 'off';
        console.log(`\n${weekdayNames[weekdayOf(day.date)]} ${day.date} · ${hours} · planned ${day.summary.plannedMinutes} min · free ${day.summary.freeMinutes} min`);
        const lines = blockLines(day.blocks, '  ');
        console.log(lines.length ? lines.join('\n') : '  nothing scheduled');
      }
      console.log(`\nplanned ${week.summary.plannedMinutes} min · free ${week.summary.freeMinutes} min`);
    });

  schedule
    .command('free')
    .description('list free slots inside your working hours (never in the past)')
    .option('--date <date>', 'local date YYYY-MM-DD (default today)')
    .option('--min <minutes>', 'shortest slot to list (5–480)', '30')
    .option('--json', 'machine-readable output')
    .action(async (o: { date?: string; min: string } & Json) => {
      const input = defined({ date: o.date, min: numberFlag(o.min) });
      const free = await withUserContext((ctx) => freeSlots(ctx, input as FreeSlotsInput));
      if (o.json) return printJson(free);
      console.log(`free on ${free.date} (${free.timeZone}), slots of at least ${free.min} min`);
      if (!free.slots.length) return console.log('no free slots');
      for (const slot of free.slots) console.log(`${span(slot).padEnd(11)}  ${slot.minutes} min`);
    });

  schedule
    .command('add')
    .description('add a block (HH:MM times are on --date, in your time zone)')
    .option('--type <type>', 'task, habit, meeting, focus, break or event')
    .option('--title <title>', 'what the block is for')
    .option('--start <time>', 'HH:MM, or an ISO-8601 date-time with an offset')
    .option('--end <time>', 'HH:MM (24:00 = midnight), or an ISO-8601 date-time with an offset')
    .option('--date <date>', 'local date YYYY-MM-DD (default today)')
    .option('--ref <id>', 'the task, habit or meeting id this block is for')
    .option('--json', 'machine-readable output')
    .action(async (o: { type?: string; title?: string; start?: string; end?: string; date?: string; ref?: string } & Json) => {
      const input = defined({ type: o.type, title: o.title, start: o.start, end: o.end, date: o.date, referenceId: o.ref });
      printBlock(await withUserContext((ctx) => addBlock(ctx, input as AddBlockInput)), o.json, 'added');
    });

  schedule
    .command('move')
    .description('move a planned or missed block (HH:MM times are on --date, default the block\'s date; today for a missed block)')
    .argument('<id>', 'block id or prefix')
    .option('--start <time>', 'HH:MM, or an ISO-8601 date-time with an offset')
    .option('--end <time>', 'HH:MM (24:00 = midnight), or an ISO-8601 date-time with an offset')
    .option('--date <date>', 'local date YYYY-MM-DD')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { start?: string; end?: string; date?: string } & Json) => {
      const input = defined({ start: o.start, end: o.end, date: o.date });
      printBlock(await withUserContext((ctx) => moveBlock(ctx, id, input as MoveBlockInput)), o.json, 'moved');
    });

  schedule
    .command('complete')
    .description("mark a block completed (a task's last planned block completes the task too)")
    .argument('<id>', 'block id or prefix')
    .option('--complete-task', 'the task has other planned blocks: complete the task too (its future blocks are removed)')
    .option('--keep-task', 'the task has other planned blocks: leave the task open')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { completeTask?: boolean; keepTask?: boolean } & Json) => {
      if (o.completeTask && o.keepTask) throw validationError('use either --complete-task or --keep-task, not both');
      const input = o.completeTask ? { completeTask: true } : o.keepTask ? { completeTask: false } : {};
      const done = await withUserContext((ctx) => completeBlockAndTask(ctx, id, input)).catch((error: unknown) => {
        if (error instanceof AppError && isTaskChoice(error.details)) {
          throw new AppError('conflict', `${error.message.replace(/: say whether.*$/, '')}: add --complete-task to complete it too, or --keep-task to leave it open`, error.details);
        }
        throw error;
      });
      if (o.json) return printJson(done);
      printBlock(done, false, 'completed');
      if (done.task) {
        console.log(`completed task ${shortId(done.task.id)} "${done.task.title}"`);
        printScheduleChanges(done.task.schedule);
      }
    });

  schedule
    .command('remove')
    .description('remove a block')
    .argument('<id>', 'block id or prefix')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: Json) => {
      const removed = await withUserContext((ctx) => removeBlockEverywhere(ctx, id));
      const event = removed.calendarEvent;
      const note = !event ? '' : event.deleted ? ' (calendar event deleted)' : ` (calendar event kept: ${event.reason ?? 'not deleted'})`;
      if (o.json) return printJson(removed);
      printBlock(removed, false, 'removed', note);
    });

  registerScheduleAuto(schedule);
  registerScheduleImport(schedule);
}
