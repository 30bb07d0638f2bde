import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z, ZodError } from 'zod';
import { resetConfig } from '../../lib/config';
import type { ServiceContext } from '../../lib/context';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import { createHabit } from '../../lib/habits/service';
import { createUser } from '../../lib/identity/users';
import { createMeeting } from '../../lib/meetings/service';
import { addBlock } from '../../lib/scheduling/blocks';
import { createTask } from '../../lib/tasks/service';
import { allTools } from '../../mcp/tools';
import { maxBatchTasks } from '../../mcp/tools/tasks';
import type { ToolDefinition } from '../../mcp/registry';
import { startFakeGoogle, type FakeGoogle } from '../fakes/google/server';
import { connectGoogle, useFakeGoogleEnv } from '../helpers/calendar';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * Every tool of the registry, called as the MCP server calls it — `tool.input.parse(arguments)`,
 * then `tool.run(ctx, parsed)` — once with valid input and once with invalid input, which must fail
 * with a ZodError or a validation AppError naming the field (never a TypeError or a crash).
 */

const zone = 'Europe/Berlin';
/** Monday 07:00 in Berlin: the working day (09:00–17:00) is ahead. */
const monday = '2026-12-07';
const clock = DateTime.fromISO(`${monday}T07:00`, { zone }).toJSDate();
const weekAgo = new Date(clock.getTime() - 7 * 86_400_000);

let database: TestDatabase;
let ctx: ServiceContext;
let savedStripeKey: string | undefined;
let google: FakeGoogle;
let restoreGoogleEnv: () => void;

/** Ids of the fixtures the cases use (filled in beforeAll). */
const ids: Record<string, string> = {};

beforeAll(async () => {
  savedStripeKey = process.env.STRIPE_API_KEY;
  delete process.env.STRIPE_API_KEY; // self-hosted: every module on (module gates are the services' and tested there)
  resetConfig();
  database = await createTestDatabase();
  connectDatabase(database.url);
  const user = await createUser(database.db, { name: 'Mia', timeZone: zone });
  ctx = { db: database.db, userId: user.id, now: () => clock };
  const earlier = { ...ctx, now: () => weekAgo };
  ids.task = (await createTask(ctx, { title: 'Draft the plan', durationMinutes: 30 })).id;
  ids.taskToArchive = (await createTask(ctx, { title: 'Old idea' })).id;
  ids.taskDone = (await createTask(ctx, { title: 'Reply to Sam' })).id;
  ids.habit = (await createHabit(earlier, { name: 'Stretch', frequency: 'daily', durationMinutes: 10 })).id;
  ids.habitToArchive = (await createHabit(earlier, { name: 'Journal' })).id;
  ids.meeting = (await createMeeting(earlier, { name: 'Alex', cadence: 'weekly', time: '11:00' })).id;
  ids.meetingToArchive = (await createMeeting(earlier, { name: 'Kim' })).id;
  ids.blockToMove = (await addBlock(ctx, { type: 'focus', title: 'Focus', date: '2026-12-10', start: '09:00', end: '10:00' })).id;
  ids.blockToComplete = (await addBlock(ctx, { type: 'break', title: 'Walk', date: '2026-12-10', start: '12:00', end: '12:30' })).id;
  ids.blockToRemove = (await addBlock(ctx, { type: 'event', title: 'Dentist', date: '2026-12-10', start: '14:00', end: '15:00' })).id;
  google = await startFakeGoogle();
  restoreGoogleEnv = useFakeGoogleEnv(google);
  await connectGoogle(database.db, user.id, google);
  // Someone else's meeting on the user's calendar, for calendar_import.
  google.events('primary').set('standup20261209', {
    id: 'standup20261209',
    status: 'confirmed',
    summary: 'Team standup',
    start: { dateTime: '2026-12-09T09:00:00+01:00' },
    end: { dateTime: '2026-12-09T09:15:00+01:00' },
    updated: new Date().toISOString(),
    etag: '"1"',
  });
});

afterAll(async () => {
  restoreGoogleEnv?.();
  await google?.close();
  await disconnectDb();
  await database?.drop();
  if (savedStripeKey === undefined) delete process.env.STRIPE_API_KEY;
  else process.env.STRIPE_API_KEY = savedStripeKey;
  resetConfig();
});

interface Case {
  /** Arguments as an MCP client sends them (JSON). */
  valid: () => Record<string, unknown>;
  check: (result: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Arguments that must be rejected, and the field the error must name. */
  invalid: () => Record<string, unknown>;
  field: string;
}

const prefix = (id: string) => id.slice(0, 8);

const cases: Record<string, Case> = {
  task_create: {
    valid: () => ({ title: 'Write the report', priority: 'high', durationMinutes: 60, due: '2026-12-08T17:00:00+01:00' }),
    check: (task) => expect(task).toMatchObject({ title: 'Write the report', priority: 'high', status: 'pending', due: '2026-12-08T17:00:00+01:00' }),
    invalid: () => ({ title: 'Report', due: 'next tuesday' }),
    field: 'due',
  },
  task_create_many: {
    valid: () => ({ tasks: [{ title: 'Buy milk' }, { title: 'Call mum', priority: 'medium', due: '2026-12-09' }] }),
    check: (result) => {
      expect(result).toMatchObject({ created: 2, failed: 0 });
      expect(result.results.map((r: { index: number; ok: boolean; task: { title: string } }) => [r.index, r.ok, r.task.title])).toEqual([
        [0, true, 'Buy milk'],
        [1, true, 'Call mum'],
      ]);
    },
    invalid: () => ({ tasks: [] }),
    field: 'tasks',
  },
  task_list: {
    valid: () => ({ status: ['pending', 'in_progress'], priority: ['none', 'high'], overdue: false, sort: 'due', limit: 10 }),
    check: (page) => {
      expect(page.items.length).toBeGreaterThan(0);
      expect(page).toHaveProperty('nextCursor');
    },
    invalid: () => ({ sort: 'alphabetical' }),
    field: 'sort',
  },
  task_get: {
    valid: () => ({ id: prefix(ids.task) }),
    check: (task) => expect(task.id).toBe(ids.task),
    invalid: () => ({ id: 'not an id' }),
    field: 'id',
  },
  task_update: {
    valid: () => ({ id: ids.task, title: 'Draft the plan v2', due: '2026-12-11', durationMinutes: null }),
    check: (task) => expect(task).toMatchObject({ title: 'Draft the plan v2', due: '2026-12-11', durationMinutes: null, version: 2 }),
    invalid: () => ({ id: ids.task, priority: 'critical' }),
    field: 'priority',
  },
  task_start: {
    valid: () => ({ id: ids.task }),
    check: (task) => expect(task.status).toBe('in_progress'),
    invalid: () => ({}),
    field: 'id',
  },
  task_complete: {
    valid: () => ({ id: ids.task }),
    check: (task) => expect(task.status).toBe('completed'),
    invalid: () => ({ id: 42 }),
    field: 'id',
  },
  task_archive: {
    valid: () => ({ id: ids.taskToArchive }),
    check: (task) => expect(task.status).toBe('archived'),
    invalid: () => ({ id: ids.taskToArchive, reason: 'done' }),
    field: 'reason',
  },
  habit_create: {
    valid: () => ({ name: 'Read', frequency: 'custom', timesPerWeek: 3, preferredTime: 'evening' }),
    check: (habit) => expect(habit).toMatchObject({ name: 'Read', frequency: 'custom', timesPerWeek: 3, durationMinutes: 15, preferredTime: 'evening' }),
    // Passes the tool's field checks; the service's cross-field rule rejects it.
    invalid: () => ({ name: 'Run', frequency: 'custom' }),
    field: 'timesPerWeek',
  },
  habit_list: {
    valid: () => ({ due: true, limit: 5 }),
    check: (page) => expect(page.items.map((h: { id: string }) => h.id)).toContain(ids.habit),
    invalid: () => ({ limit: 0 }),
    field: 'limit',
  },
  habit_get: {
    valid: () => ({ id: prefix(ids.habit) }),
    check: (habit) => expect(habit).toMatchObject({ id: ids.habit, recentCompletions: [] }),
    invalid: () => ({ id: '' }),
    field: 'id',
  },
  habit_update: {
    valid: () => ({ id: ids.habit, durationMinutes: 15, description: 'before breakfast' }),
    check: (habit) => expect(habit).toMatchObject({ durationMinutes: 15, description: 'before breakfast' }),
    invalid: () => ({ id: ids.habit, timesPerWeek: 9 }),
    field: 'timesPerWeek',
  },
  habit_log: {
    valid: () => ({ id: ids.habit, notes: 'felt good' }),
    check: (result) => expect(result.completion).toMatchObject({ date: monday, notes: 'felt good', completedAt: '2026-12-07T07:00:00+01:00' }),
    // A well-formed date in the future: the service's AppError (validation_error) names the field.
    invalid: () => ({ id: ids.habit, date: '2026-12-25' }),
    field: 'date',
  },
  habit_completions: {
    valid: () => ({ id: ids.habit }),
    check: (page) => expect(page).toMatchObject({ items: [{ date: monday }], nextCursor: null }),
    invalid: () => ({ id: ids.habit, limit: 500 }),
    field: 'limit',
  },
  habit_archive: {
    valid: () => ({ id: ids.habitToArchive }),
    check: (habit) => expect(habit.archived).toBe(true),
    invalid: () => ({ id: ['x'] }),
    field: 'id',
  },
  meeting_create: {
    valid: () => ({ name: 'Jo', cadence: 'biweekly', time: '11:30', durationMinutes: 45 }),
    check: (meeting) => expect(meeting).toMatchObject({ name: 'Jo', cadence: 'biweekly', intervalDays: 14, time: '11:30', durationMinutes: 45 }),
    invalid: () => ({ name: 'Jo', time: '25:00' }),
    field: 'time',
  },
  meeting_list: {
    valid: () => ({ archived: true }),
    check: (page) => expect(page.items.map((m: { id: string }) => m.id)).toContain(ids.meeting),
    invalid: () => ({ archived: 'yes' }),
    field: 'archived',
  },
  meeting_get: {
    valid: () => ({ id: prefix(ids.meeting) }),
    check: (meeting) => expect(meeting).toMatchObject({ id: ids.meeting, name: 'Alex', time: '11:00' }),
    invalid: () => ({ id: 'zzz' }),
    field: 'id',
  },
  meeting_update: {
    valid: () => ({ id: ids.meeting, time: '14:00', cadence: 'custom', intervalDays: 10 }),
    check: (meeting) => expect(meeting).toMatchObject({ time: '14:00', cadence: 'custom', intervalDays: 10 }),
    invalid: () => ({ id: ids.meeting, cadence: 'daily' }),
    field: 'cadence',
  },
  meeting_held: {
    valid: () => ({ id: ids.meeting, date: '2026-12-04', time: '10:00' }),
    check: (result) => expect(result.heldAt).toBe('2026-12-04T10:00:00+01:00'),
    invalid: () => ({ id: ids.meeting, time: 'noon' }),
    field: 'time',
  },
  meeting_archive: {
    valid: () => ({ id: ids.meetingToArchive }),
    check: (meeting) => expect(meeting).toMatchObject({ archived: true, nextOccurrence: null }),
    invalid: () => ({}),
    field: 'id',
  },
  schedule_day: {
    valid: () => ({ date: '2026-12-10' }),
    check: (day) => {
      expect(day).toMatchObject({ date: '2026-12-10', timeZone: zone, workingHours: { start: '09:00', end: '17:00' } });
      expect(day.blocks.map((b: { id: string }) => b.id)).toContain(ids.blockToMove);
    },
    invalid: () => ({ date: '10/12/2026' }),
    field: 'date',
  },
  schedule_week: {
    valid: () => ({ date: '2026-12-10', offset: 0 }),
    check: (week) => {
      expect(week).toMatchObject({ weekStart: monday, weekEnd: '2026-12-13' });
      expect(week.days).toHaveLength(7);
    },
    invalid: () => ({ offset: 100 }),
    field: 'offset',
  },
  schedule_free_slots: {
    valid: () => ({ date: '2026-12-10', min: 60 }),
    check: (free) => {
      expect(free.slots[0]).toMatchObject({ start: '2026-12-10T10:00:00+01:00', startTime: '10:00', endTime: '12:00', minutes: 120 });
    },
    invalid: () => ({ min: 1 }),
    field: 'min',
  },
  schedule_add: {
    valid: () => ({ type: 'task', title: 'Write', referenceId: ids.taskDone, start: '2026-12-11T09:00:00+01:00', end: '2026-12-11T10:30:00+01:00' }),
    check: (block) => expect(block).toMatchObject({ type: 'task', referenceId: ids.taskDone, date: '2026-12-11', startTime: '09:00', endTime: '10:30', minutes: 90 }),
    // Both times well-formed; the service's span rule names `end`.
    invalid: () => ({ type: 'focus', title: 'Backwards', date: '2026-12-11', start: '15:00', end: '14:00' }),
    field: 'end',
  },
  schedule_move: {
    valid: () => ({ id: ids.blockToMove, start: '16:00', end: '17:00' }),
    check: (block) => expect(block).toMatchObject({ id: ids.blockToMove, date: '2026-12-10', startTime: '16:00', endTime: '17:00', status: 'planned' }),
    invalid: () => ({ id: ids.blockToMove, start: '9am', end: '10:00' }),
    field: 'start',
  },
  schedule_complete: {
    valid: () => ({ id: prefix(ids.blockToComplete) }),
    check: (block) => expect(block.status).toBe('completed'),
    invalid: () => ({ id: null }),
    field: 'id',
  },
  schedule_remove: {
    valid: () => ({ id: ids.blockToRemove }),
    check: (block) => expect(block).toMatchObject({ id: ids.blockToRemove, title: 'Dentist' }),
    invalid: () => ({ id: 'g00d' }),
    field: 'id',
  },
  schedule_auto: {
    valid: () => ({ date: '2026-12-09', days: 1, habits: true, meetings: true }),
    check: (result) => {
      expect(result.dates).toEqual(['2026-12-09']);
      expect(result.placed.length).toBeGreaterThan(0);
      expect(result).toHaveProperty('failures');
    },
    invalid: () => ({ days: 40 }),
    field: 'days',
  },
  schedule_reschedule_missed: {
    valid: () => ({}),
    check: (result) => expect(result).toMatchObject({ markedMissed: 0, rescheduled: [], failures: [] }),
    invalid: () => ({ after: '7pm' }),
    field: 'after',
  },
  schedule_export_ics: {
    valid: () => ({ from: monday, days: 7 }),
    check: (result) => {
      expect(result.contentType).toBe('text/calendar');
      expect(result.ics).toContain('BEGIN:VCALENDAR');
      expect(result.ics).toContain('SUMMARY:Focus');
    },
    invalid: () => ({ days: 0 }),
    field: 'days',
  },
  calendar_status: {
    valid: () => ({}),
    check: (result) => expect(result).toMatchObject({ connected: true, connection: { provider: 'google', status: 'connected', accountEmail: google.accountEmail } }),
    invalid: () => ({ verbose: true }),
    field: 'verbose',
  },
  calendar_list: {
    valid: () => ({ primaryOnly: true }),
    check: (result) => expect(result.calendars).toEqual([expect.objectContaining({ id: google.accountEmail, primary: true })]),
    invalid: () => ({ primaryOnly: 'sometimes' }),
    field: 'primaryOnly',
  },
  calendar_settings_get: {
    valid: () => ({}),
    check: (settings) => expect(settings).toMatchObject({ calendar_id: null, effective_calendar_id: 'primary', source: 'default' }),
    invalid: () => ({ calendar: 'primary' }),
    field: 'calendar',
  },
  calendar_settings_set: {
    valid: () => ({ delete_missing: true }),
    check: (settings) => expect(settings).toMatchObject({ delete_missing: true, delete_missing_source: 'setting', effective_calendar_id: 'primary' }),
    invalid: () => ({ calendar: 'nobody@group.calendar.google.com' }),
    field: 'calendar',
  },
  calendar_sync: {
    valid: () => ({ days: 7, reminders: [10] }),
    check: (result) => {
      expect(result).toMatchObject({ calendar_id: 'primary', failed: 0, delete_missing: true });
      // Every block of the week became an event, among them the two left on 10 December (the
      // third was removed by schedule_remove).
      const synced = [...google.events('primary').values()].filter((event) => event.extendedProperties?.private?.orbita === '1');
      expect(synced).toHaveLength(result.created);
      expect(synced.map((event) => event.summary)).toEqual(expect.arrayContaining(['Focus', 'Walk']));
      expect(synced.map((event) => event.summary)).not.toContain('Dentist');
      expect(synced.every((event) => event.reminders?.overrides?.[0]?.minutes === 10)).toBe(true);
    },
    invalid: () => ({ days: 0 }),
    field: 'days',
  },
  calendar_import: {
    valid: () => ({ days: 7, type: 'meeting' }),
    check: (result) => {
      // The standup becomes a block; Orbita's own two events are its existing blocks, not new ones.
      expect(result).toMatchObject({ calendar_id: 'primary', created: 1 });
    },
    invalid: () => ({ days: 7, type: 'party' }),
    field: 'type',
  },
  billing_status: {
    valid: () => ({}),
    check: (status) => expect(status.mode).toBe('self-hosted'),
    invalid: () => ({ verbose: true }),
    field: 'verbose',
  },
  billing_entitlements: {
    valid: () => ({}),
    check: (view) => {
      expect(view.mode).toBe('self-hosted');
      expect(view.modules.every((m: { enabled: boolean }) => m.enabled)).toBe(true);
    },
    invalid: () => ({ module: 'smart-1to1' }),
    field: 'module',
  },
  adapt: {
    valid: () => ({ habits: true, windowDays: 7 }),
    check: (report) => {
      expect(report.meetings).toBeNull();
      expect(report.habits.evaluated).toBeGreaterThan(0);
    },
    invalid: () => ({ windowDays: 3 }),
    field: 'windowDays',
  },
  done: {
    valid: () => ({ prefix: prefix(ids.taskDone) }),
    check: (result) => expect(result).toMatchObject({ kind: 'task', task: { id: ids.taskDone, status: 'completed' } }),
    invalid: () => ({ prefix: '' }),
    field: 'prefix',
  },
  health: {
    valid: () => ({}),
    check: (result) => expect(result).toMatchObject({ status: 'ok', checks: [{ name: 'database', ok: true }] }),
    invalid: () => ({ deep: true }),
    field: 'deep',
  },
};

const toolNamed = (name: string): ToolDefinition => {
  const tool = allTools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool;
};

/** Parses as the SDK does (JSON arguments → tool.input), then runs. */
async function call(name: string, args: Record<string, unknown>): Promise<unknown> {
  const tool = toolNamed(name);
  return tool.run(ctx, tool.input.parse(JSON.parse(JSON.stringify(args))));
}

/** The error a call with `args` ends in: from the input schema, or thrown by run. */
async function failureOf(tool: ToolDefinition, args: Record<string, unknown>): Promise<unknown> {
  const parsed = tool.input.safeParse(args);
  if (!parsed.success) return parsed.error;
  try {
    await tool.run(ctx, parsed.data);
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectNamesField(error: unknown, field: string) {
  expect(error).toBeDefined();
  expect(error).not.toBeInstanceOf(TypeError);
  if (error instanceof ZodError) {
    const named = error.issues.some(
      (issue) => issue.path.includes(field) || ('keys' in issue && (issue.keys as string[]).includes(field)) || issue.message.includes(field),
    );
    expect(named, `ZodError naming ${field}: ${error.message}`).toBe(true);
    return;
  }
  expect(error, String(error)).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe('validation_error');
  expect(`${appError.message} ${JSON.stringify(appError.details ?? null)}`).toContain(field);
}

describe('MCP tool registry', () => {
  it('has well-formed, unique names grouped by prefix, a title and description, and annotations', () => {
    const names = allTools.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const tool of allTools) {
      expect(tool.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(tool.title.length).toBeGreaterThan(0);
      expect(tool.description.length).toBeGreaterThan(30);
      expect(typeof tool.annotations.readOnlyHint).toBe('boolean');
      if (!tool.annotations.readOnlyHint) {
        // MCP clients assume destructive when the hint is missing: say it either way.
        expect(typeof tool.annotations.destructiveHint, tool.name).toBe('boolean');
        expect(typeof tool.annotations.idempotentHint, tool.name).toBe('boolean');
      }
    }
  });

  it('marks exactly the reads read-only, and archive/remove destructive', () => {
    const readOnly = allTools.filter((t) => t.annotations.readOnlyHint).map((t) => t.name).sort();
    expect(readOnly).toEqual(
      [
        'task_list', 'task_get', 'habit_list', 'habit_get', 'habit_completions', 'meeting_list', 'meeting_get',
        'schedule_day', 'schedule_week', 'schedule_free_slots', 'schedule_export_ics', 'billing_status', 'billing_entitlements', 'health',
        'calendar_status', 'calendar_list', 'calendar_settings_get',
      ].sort(),
    );
    const destructive = allTools.filter((t) => t.annotations.destructiveHint).map((t) => t.name).sort();
    expect(destructive).toEqual(['calendar_import', 'calendar_sync', 'habit_archive', 'meeting_archive', 'schedule_remove', 'task_archive']);
    for (const name of ['task_archive', 'habit_archive', 'meeting_archive', 'schedule_auto']) expect(toolNamed(name).annotations.idempotentHint).toBe(true);
    expect(allTools.some((t) => t.name.startsWith('billing_grant'))).toBe(false);
  });

  it('describes every input field for the model and converts every input to JSON Schema', () => {
    for (const tool of allTools) {
      expect(tool.input).toBeInstanceOf(z.ZodObject);
      for (const [field, schema] of Object.entries(tool.input.shape)) {
        expect((schema as z.ZodType).description, `${tool.name}.${field}`).toMatch(/\S{3}/);
      }
      const json = z.toJSONSchema(tool.input, { io: 'input', target: 'draft-7' }) as { type: string; properties?: Record<string, { description?: string }> };
      expect(json.type).toBe('object');
      for (const [field, property] of Object.entries(json.properties ?? {})) expect(property.description, `${tool.name}.${field}`).toBeTruthy();
    }
  });

  it('has a valid and an invalid case below for every tool', () => {
    expect(Object.keys(cases).sort()).toEqual(allTools.map((t) => t.name).sort());
  });
});

describe('every tool', () => {
  // In registry order (creates before updates before archives), each test on the data the previous ones left.
  for (const tool of allTools) {
    it(`${tool.name}: runs with valid input, and rejects invalid input naming the field`, async () => {
      const spec = cases[tool.name];
      const result = await call(tool.name, spec.valid());
      // The result becomes structuredContent: a JSON object.
      expect(result).toBeTypeOf('object');
      expect(Array.isArray(result)).toBe(false);
      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
      spec.check(result);
      expectNamesField(await failureOf(tool, spec.invalid()), spec.field);
    });
  }
});

describe('tool behaviour', () => {
  it('archives idempotently and schedules automatically without placing anything twice', async () => {
    const again = (await call('task_archive', { id: ids.taskToArchive })) as { status: string; version: number };
    expect(again.status).toBe('archived');
    const second = (await call('schedule_auto', { date: '2026-12-09', days: 1, habits: true, meetings: true })) as { placed: unknown[] };
    expect(second.placed).toEqual([]);
  });

  it('task_create_many creates up to 25 tasks, rejects more, and reports a failing item without undoing the others', async () => {
    const tool = toolNamed('task_create_many');
    const many = Array.from({ length: maxBatchTasks + 1 }, (_, i) => ({ title: `Item ${i}` }));
    expectNamesField(tool.input.safeParse({ tasks: many }).error, 'tasks');
    expectNamesField(tool.input.safeParse({ tasks: [{ title: 'ok' }, { title: 'x', priority: 'huge' }] }).error, 'priority');
    expect(tool.input.safeParse({ tasks: [{ title: 'ok' }, { title: 'x', priority: 'huge' }] }).error?.issues[0].path).toEqual(['tasks', 1, 'priority']);

    // run() itself keeps going when one item fails (whatever the reason) and reports it in place.
    const result = (await tool.run(ctx, { tasks: [{ title: 'First' }, { title: '' }, { title: 'Third' }] })) as {
      created: number;
      failed: number;
      results: { index: number; ok: boolean; error?: { code: string; message: string } }[];
    };
    expect(result).toMatchObject({ created: 2, failed: 1 });
    expect(result.results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(result.results[1].error).toMatchObject({ code: 'validation_error' });
    expect(result.results[1].error!.message).toContain('title');

    const full = (await call('task_create_many', { tasks: many.slice(0, maxBatchTasks) })) as { created: number };
    expect(full.created).toBe(maxBatchTasks);
  });

  it('passes domain errors through unchanged (the server maps their codes)', async () => {
    await expect(call('task_get', { id: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call('task_complete', { id: ids.task })).rejects.toMatchObject({ code: 'conflict' });
    await expect(call('schedule_add', { type: 'focus', title: 'Clash', date: '2026-12-10', start: '16:30', end: '17:30' })).rejects.toMatchObject({ code: 'conflict' });
  });
});
