import type { Command } from 'commander';
import type { CreateTaskInput, ListTasksInput, UpdateTaskInput } from '../../lib/tasks/schemas';
import { archiveTask, completeTask, createTask, getTask, listTasks, startTask, type TaskChange, type TaskView, updateTask } from '../../lib/tasks/service';
import { clearable, defined, numberFlag } from '../options';
import { printJson, printMoreHint, printRecord, printScheduleChanges, printTable, shortId } from '../output';
import { withUserContext } from '../runtime';

interface Json { json?: boolean }

function printTask(task: TaskView | TaskChange, json: boolean | undefined, verb?: string): void {
  if (json) return printJson(task);
  if (verb) {
    console.log(`${verb} task ${shortId(task.id)} "${task.title}" (${task.status})`);
    return printScheduleChanges('schedule' in task ? task.schedule : undefined);
  }
  printRecord([
    ['id', task.id],
    ['title', task.title],
    ['status', task.status],
    ['priority', task.priority],
    ['duration', task.durationMinutes === null ? null : `${task.durationMinutes} min`],
    ['due', task.due ? `${task.due}${task.overdue ? ' (overdue)' : ''}` : null],
    ['completed', task.completedAt],
    ['description', task.description],
    ['version', task.version],
    ['created', task.createdAt],
  ]);
}

export function registerTask(program: Command): void {
  const task = program.command('task').description('manage tasks (ids may be given as a prefix)');

  task
    .command('create')
    .description('create a task')
    .argument('<title>', 'what to do')
    .option('--description <text>', 'notes')
    .option('--priority <priority>', 'none, low, medium, high or urgent', 'none')
    .option('--duration <minutes>', 'estimated minutes (5–480)')
    .option('--due <date>', 'due date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM (your time zone)')
    .option('--json', 'machine-readable output')
    .action(async (title: string, o: { description?: string; priority: string; duration?: string; due?: string } & Json) => {
      const input = defined({ title, description: o.description, priority: o.priority, durationMinutes: numberFlag(o.duration), due: o.due });
      const created = await withUserContext((ctx) => createTask(ctx, input as CreateTaskInput));
      printTask(created, o.json, 'created');
    });

  task
    .command('list')
    .description('list tasks (every status but archived unless --status says otherwise)')
    .option('--status <statuses>', 'comma-separated: pending, in_progress, completed, archived')
    .option('--priority <priorities>', 'comma-separated: none, low, medium, high, urgent')
    .option('--overdue', 'only open tasks past their due time')
    .option('--due-today', 'only tasks due today')
    .option('--due-before <date>', 'only tasks due before YYYY-MM-DD')
    .option('--due-after <date>', 'only tasks due after YYYY-MM-DD')
    .option('--sort <order>', 'priority, due or created', 'priority')
    .option('--limit <n>', 'at most this many (1–200)', '50')
    .option('--cursor <cursor>', 'continue a previous listing')
    .option('--json', 'machine-readable output')
    .action(async (o: { status?: string; priority?: string; overdue?: boolean; dueToday?: boolean; dueBefore?: string; dueAfter?: string; sort: string; limit: string; cursor?: string } & Json) => {
      const input = defined({ ...o, json: undefined, limit: numberFlag(o.limit) });
      const page = await withUserContext((ctx) => listTasks(ctx, input as ListTasksInput));
      if (o.json) return printJson(page);
      if (page.items.length === 0) return console.log('no tasks');
      printTable(
        page.items.map((t) => ({ ...t, id: shortId(t.id), due: t.due ? `${t.due}${t.overdue ? ' !' : ''}` : null, min: t.durationMinutes })),
        [
          { key: 'id', header: 'id' },
          { key: 'title', header: 'title' },
          { key: 'status', header: 'status' },
          { key: 'priority', header: 'priority' },
          { key: 'due', header: 'due' },
          { key: 'min', header: 'min' },
        ],
      );
      printMoreHint(page.nextCursor, 'orbita task list');
    });

  task
    .command('show')
    .description('show one task')
    .argument('<id>', 'task id or prefix')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: Json) => printTask(await withUserContext((ctx) => getTask(ctx, id)), o.json));

  task
    .command('update')
    .description('change any field of a task (use "none" to clear description, duration or due)')
    .argument('<id>', 'task id or prefix')
    .option('--title <title>', 'new title')
    .option('--description <text>', 'new notes')
    .option('--priority <priority>', 'none, low, medium, high or urgent')
    .option('--duration <minutes>', 'estimated minutes (5–480)')
    .option('--due <date>', 'due date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM')
    .option('--status <status>', 'pending, in_progress or completed')
    .option('--if-version <n>', 'only update if the task is still at this version (else a conflict)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { title?: string; description?: string; priority?: string; duration?: string; due?: string; status?: string; ifVersion?: string } & Json) => {
      const input = defined({
        title: o.title,
        description: clearable(o.description),
        priority: o.priority,
        durationMinutes: clearable(numberFlag(o.duration)),
        due: clearable(o.due),
        status: o.status,
        version: numberFlag(o.ifVersion),
      });
      printTask(await withUserContext((ctx) => updateTask(ctx, id, input as UpdateTaskInput)), o.json, 'updated');
    });

  for (const [name, action, verb] of [
    ['start', startTask, 'started'],
    ['complete', completeTask, 'completed'],
    ['archive', archiveTask, 'archived'],
  ] as const) {
    task
      .command(name)
      .description(`${name} a task`)
      .argument('<id>', 'task id or prefix')
      .option('--json', 'machine-readable output')
      .action(async (id: string, o: Json) => printTask(await withUserContext((ctx) => action(ctx, id)), o.json, verb));
  }
}
