import type { Command } from 'commander';
import { describeFrequency, weekdayName } from '../../lib/habits/rules';
import type { CreateHabitInput, ListCompletionsInput, ListHabitsInput, LogHabitInput, UpdateHabitInput } from '../../lib/habits/schemas';
import {
  archiveHabit,
  type CompletionView,
  createHabit,
  getHabit,
  type HabitDetail,
  type HabitChange,
  type HabitView,
  listCompletions,
  listHabits,
  logHabit,
  updateHabit,
} from '../../lib/habits/service';
import { clearable, defined, numberFlag } from '../options';
import { printJson, printMoreHint, printRecord, printScheduleChanges, printTable, shortId } from '../output';
import { withUserContext } from '../runtime';

interface Json { json?: boolean }

/** Local date and HH:MM of a zoned ISO-8601 time (views are already in the user's zone). */
const localDayTime = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : null);

/** Today's state of a habit as lists show it: done, yes (due, not done), no — or archived. */
export function todayText(habit: HabitView): string {
  if (habit.archived) return 'archived';
  if (habit.doneToday) return 'done';
  return habit.dueToday ? 'yes' : 'no';
}

const frequencyText = (habit: HabitView) => describeFrequency(habit);

function printHabit(habit: HabitView | HabitDetail | HabitChange, json: boolean | undefined, verb?: string): void {
  if (json) return printJson(habit);
  if (verb) {
    const state = habit.archived ? 'archived' : `${frequencyText(habit)}, ${habit.durationMinutes} min`;
    console.log(`${verb} habit ${shortId(habit.id)} "${habit.name}" (${state})`);
    return printScheduleChanges('schedule' in habit ? habit.schedule : undefined);
  }
  printRecord([
    ['id', habit.id],
    ['name', habit.name],
    ['frequency', `${frequencyText(habit)} (${habit.timesPerWeek} per week${habit.weeklyDay !== null ? `, on ${weekdayName(habit.weeklyDay)}` : ''})`],
    ['duration', `${habit.durationMinutes} min`],
    ['preferred', habit.preferredTime],
    ['streak', `${habit.streak} (best ${habit.bestStreak})`],
    ['total done', habit.totalDone],
    ['today', todayText(habit)],
    ['description', habit.description],
    ['archived', habit.archivedAt ? `yes (${localDayTime(habit.archivedAt)})` : 'no'],
    ['created', habit.createdAt],
  ]);
  if ('recentCompletions' in habit) {
    console.log('');
    if (!habit.recentCompletions.length) return console.log('no completions yet');
    console.log('recent completions:');
    printCompletions(habit.recentCompletions);
  }
}

function printCompletions(items: CompletionView[]): void {
  printTable(
    items.map((c) => ({ date: c.date, at: localDayTime(c.completedAt)?.slice(11), notes: c.notes })),
    [
      { key: 'date', header: 'date' },
      { key: 'at', header: 'at' },
      { key: 'notes', header: 'notes' },
    ],
  );
}

const frequencyHelp = 'daily, weekdays, weekends, weekly (on today\'s weekday) or custom (with --times-per-week)';
const preferredHelp = 'morning, afternoon, evening, night or anytime';

interface FieldFlags {
  description?: string;
  frequency?: string;
  timesPerWeek?: string;
  duration?: string;
  preferredTime?: string;
}

export function registerHabit(program: Command): void {
  const habit = program.command('habit').description('manage habits (ids may be given as a prefix)');

  habit
    .command('create')
    .description('create a habit')
    .argument('<name>', 'what the habit is')
    .option('--frequency <frequency>', `${frequencyHelp} (default daily)`)
    .option('--times-per-week <n>', 'sessions per week, 1–7 (required with --frequency custom)')
    .option('--duration <minutes>', 'minutes per session, 1–480 (default 15)')
    .option('--preferred-time <time>', `${preferredHelp} (default anytime)`)
    .option('--description <text>', 'notes')
    .option('--json', 'machine-readable output')
    .action(async (name: string, o: FieldFlags & Json) => {
      const input = defined({
        name,
        description: o.description,
        frequency: o.frequency,
        timesPerWeek: numberFlag(o.timesPerWeek),
        durationMinutes: numberFlag(o.duration),
        preferredTime: o.preferredTime,
      });
      printHabit(await withUserContext((ctx) => createHabit(ctx, input as CreateHabitInput)), o.json, 'created');
    });

  habit
    .command('list')
    .description('list active habits with streaks and whether each is due today')
    .option('--due', 'only habits due today')
    .option('--archived', 'include archived habits')
    .option('--limit <n>', 'at most this many (1–200)', '50')
    .option('--cursor <cursor>', 'continue a previous listing')
    .option('--json', 'machine-readable output')
    .action(async (o: { due?: boolean; archived?: boolean; limit: string; cursor?: string } & Json) => {
      const input = defined({ due: o.due, archived: o.archived, limit: numberFlag(o.limit), cursor: o.cursor });
      const page = await withUserContext((ctx) => listHabits(ctx, input as ListHabitsInput));
      if (o.json) return printJson(page);
      if (page.items.length === 0) return console.log(o.due ? 'no habits due today' : 'no habits');
      printTable(
        page.items.map((h) => ({
          id: shortId(h.id),
          name: h.name,
          frequency: frequencyText(h),
          min: h.durationMinutes,
          preferred: h.preferredTime,
          streak: h.streak,
          best: h.bestStreak,
          due: todayText(h),
        })),
        [
          { key: 'id', header: 'id' },
          { key: 'name', header: 'name' },
          { key: 'frequency', header: 'frequency' },
          { key: 'min', header: 'min' },
          { key: 'preferred', header: 'preferred' },
          { key: 'streak', header: 'streak' },
          { key: 'best', header: 'best' },
          { key: 'due', header: 'due' },
        ],
      );
      printMoreHint(page.nextCursor, `orbita habit list${o.due ? ' --due' : ''}${o.archived ? ' --archived' : ''}`);
    });

  habit
    .command('show')
    .description('show one habit with its recent completions')
    .argument('<id>', 'habit id or prefix')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: Json) => printHabit(await withUserContext((ctx) => getHabit(ctx, id)), o.json));

  habit
    .command('update')
    .description('change a habit (use "none" to clear the description)')
    .argument('<id>', 'habit id or prefix')
    .option('--name <name>', 'new name')
    .option('--description <text>', 'new notes')
    .option('--frequency <frequency>', frequencyHelp)
    .option('--times-per-week <n>', 'sessions per week, 1–7 (alone it makes the habit custom)')
    .option('--duration <minutes>', 'minutes per session, 1–480')
    .option('--preferred-time <time>', preferredHelp)
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: FieldFlags & { name?: string } & Json) => {
      const input = defined({
        name: o.name,
        description: clearable(o.description),
        frequency: o.frequency,
        timesPerWeek: numberFlag(o.timesPerWeek),
        durationMinutes: numberFlag(o.duration),
        preferredTime: o.preferredTime,
      });
      printHabit(await withUserContext((ctx) => updateHabit(ctx, id, input as UpdateHabitInput)), o.json, 'updated');
    });

  habit
    .command('log')
    .description('log a completion for today (or a back-dated day with --date)')
    .argument('<habit-id>', 'habit id or prefix')
    .option('--notes <text>', 'notes about this session')
    .option('--date <date>', 'the day it was done, YYYY-MM-DD (default today; at most 365 days ago)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { notes?: string; date?: string } & Json) => {
      const input = defined({ notes: o.notes, date: o.date });
      const result = await withUserContext((ctx) => logHabit(ctx, id, input as LogHabitInput));
      if (o.json) return printJson(result);
      console.log(`logged "${result.habit.name}" for ${result.completion.date} · streak ${result.habit.streak} (best ${result.habit.bestStreak})`);
    });

  habit
    .command('completions')
    .description("list a habit's completions, newest first")
    .argument('<id>', 'habit id or prefix')
    .option('--limit <n>', 'at most this many (1–200)', '50')
    .option('--cursor <cursor>', 'continue a previous listing')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { limit: string; cursor?: string } & Json) => {
      const input = defined({ limit: numberFlag(o.limit), cursor: o.cursor });
      const page = await withUserContext((ctx) => listCompletions(ctx, id, input as ListCompletionsInput));
      if (o.json) return printJson(page);
      if (page.items.length === 0) return console.log('no completions');
      printCompletions(page.items);
      printMoreHint(page.nextCursor, `orbita habit completions ${id}`);
    });

  habit
    .command('archive')
    .description('archive a habit (history kept; never due again)')
    .argument('<habit-id>', 'habit id or prefix')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: Json) => printHabit(await withUserContext((ctx) => archiveHabit(ctx, id)), o.json, 'archived'));
}
