import { DateTime } from 'luxon';
import type { ServiceContext } from '../context';
import { type DbTx, transaction } from '../db/client';
import { conflict } from '../errors';
import type { Prisma, Task } from '../generated/prisma/client';
import { userZone } from '../identity/users';
import { appendEvent } from '../outbox/append';
import type { EventType } from '../outbox/events';
import { type Page, pageArgs, toPage } from '../shared/pagination';
import { followSource, type ScheduleChange, type SourceChange } from '../scheduling/follow';
import { defaultTaskMinutes } from '../scheduling/plan';
import { resolveCursor, resolveRef } from '../shared/refs';
import { localDate, localDayBounds, toZonedIso, toZonedIsoOrNull } from '../time';
import {
  type CreateTaskInput,
  createTaskSchema,
  type ListTasksInput,
  listTasksSchema,
  type UpdateTaskInput,
  updateTaskSchema,
} from './schemas';

/** A task as every door shows it: times ISO-8601 with the user's offset. */
export interface TaskView {
  id: string;
  title: string;
  description: string | null;
  status: Task['status'];
  priority: Task['priority'];
  durationMinutes: number | null;
  /** As it was given: a date (YYYY-MM-DD) or a date-time. */
  due: string | null;
  /** The instant it is due (the end of the day for a date). */
  dueAt: string | null;
  overdue: boolean;
  completedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function taskView(task: Task, zone: string, now: Date): TaskView {
  const open = task.status === 'pending' || task.status === 'in_progress';
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    durationMinutes: task.durationMinutes,
    due: task.dueAt ? (task.dueHasTime ? toZonedIso(task.dueAt, zone) : localDate(task.dueAt, zone)) : null,
    dueAt: task.dueAt ? toZonedIso(task.dueAt, zone, 'always') : null,
    overdue: open && task.dueAt !== null && task.dueAt < now,
    completedAt: toZonedIsoOrNull(task.completedAt, zone),
    version: task.version,
    createdAt: toZonedIso(task.createdAt, zone),
    updatedAt: toZonedIso(task.updatedAt, zone),
  };
}

/** A task write's view, with what its blocks did when they followed (present only when something changed). */
export type TaskChange = TaskView & { schedule?: ScheduleChange[] };

const minutesOf = (task: Pick<Task, 'durationMinutes'>) => task.durationMinutes ?? defaultTaskMinutes;

/** Brings the task's blocks in line with its new state (lib/scheduling/follow.ts), in the caller's transaction. */
async function followTask(tx: DbTx, ctx: ServiceContext, before: Task, after: Task, view: TaskView, zone: string): Promise<TaskChange> {
  const change: SourceChange = {
    kind: 'task',
    id: after.id,
    zone,
    task: { priority: after.priority, dueAt: after.dueAt, createdAt: after.createdAt },
    ...(after.title !== before.title ? { title: after.title } : {}),
    ...(minutesOf(after) !== minutesOf(before) ? { minutes: minutesOf(after) } : {}),
    ...(after.status !== before.status && (after.status === 'completed' || after.status === 'archived') ? { ended: after.status } : {}),
  };
  const schedule = await followSource(tx, ctx, change);
  return schedule.length ? { ...view, schedule } : view;
}

/** A due text as stored: a date is due at the last millisecond of that local day. */
function parseDue(due: string, zone: string): { dueAt: Date; dueHasTime: boolean } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(due)) return { dueAt: new Date(localDayBounds(due, zone).end.getTime() - 1), dueHasTime: false };
  return { dueAt: DateTime.fromISO(due, { zone }).toJSDate(), dueHasTime: true };
}

function dueColumns(due: string | null | undefined, zone: string) {
  if (due === undefined) return {};
  if (due === null) return { dueAt: null, dueHasTime: false };
  return parseDue(due, zone);
}

async function recordEvent(tx: DbTx, ctx: ServiceContext, eventType: EventType, view: TaskView, extra: Record<string, unknown> = {}) {
  await appendEvent(tx, { aggregateType: 'task', aggregateId: view.id, eventType, userId: ctx.userId, payload: { task: view, ...extra } });
}

async function loadTask(tx: DbTx, ctx: ServiceContext, ref: string): Promise<Task> {
  const id = await resolveRef({ ...ctx, db: tx }, 'task', ref);
  return tx.task.findUniqueOrThrow({ where: { id } });
}

export async function createTask(ctx: ServiceContext, input: CreateTaskInput): Promise<TaskView> {
  const data = createTaskSchema.parse(input);
  const zone = await userZone(ctx);
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const task = await tx.task.create({
      data: {
        userId: ctx.userId,
        title: data.title,
        description: data.description || null,
        priority: data.priority,
        durationMinutes: data.durationMinutes ?? null,
        ...dueColumns(data.due, zone),
        createdAt: now,
        updatedAt: now,
      },
    });
    const view = taskView(task, zone, now);
    await recordEvent(tx, ctx, 'core.task.created', view);
    return view;
  });
}

export async function getTask(ctx: ServiceContext, ref: string): Promise<TaskView> {
  const zone = await userZone(ctx);
  return taskView(await loadTask(ctx.db, ctx, ref), zone, ctx.now());
}

const sortOrders: Record<string, Prisma.TaskOrderByWithRelationInput[]> = {
  priority: [{ priority: 'desc' }, { dueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }, { id: 'asc' }],
  due: [{ dueAt: { sort: 'asc', nulls: 'last' } }, { priority: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }],
  created: [{ createdAt: 'asc' }, { id: 'asc' }],
};

export async function listTasks(ctx: ServiceContext, input: ListTasksInput = {}): Promise<Page<TaskView>> {
  const query = listTasksSchema.parse(input);
  const zone = await userZone(ctx);
  const now = ctx.now();
  const cursorId = query.cursor ? await resolveCursor(ctx, 'task', query.cursor) : undefined;
  const dueAt: Prisma.DateTimeNullableFilter = {};
  const and: Prisma.TaskWhereInput[] = [];
  if (query.dueBefore) dueAt.lt = localDayBounds(query.dueBefore, zone).start;
  if (query.dueAfter) dueAt.gte = localDayBounds(query.dueAfter, zone).end;
  if (query.dueToday) {
    const today = localDayBounds(localDate(now, zone), zone);
    and.push({ dueAt: { gte: today.start, lt: today.end } });
  }
  if (query.overdue) and.push({ dueAt: { lt: now }, status: { in: ['pending', 'in_progress'] } });
  const where: Prisma.TaskWhereInput = {
    userId: ctx.userId,
    status: query.status ? { in: query.status } : { not: 'archived' },
    ...(query.priority ? { priority: { in: query.priority } } : {}),
    ...(Object.keys(dueAt).length ? { dueAt } : {}),
    AND: and,
  };
  const rows = await ctx.db.task.findMany({ where, orderBy: sortOrders[query.sort], ...pageArgs(query.limit, cursorId) });
  return toPage(rows, query.limit, (task) => taskView(task, zone, now));
}

function assertEditable(task: Task) {
  if (task.status === 'archived') throw conflict('task is archived: archived tasks cannot be changed', { status: task.status });
}

/**
 * Writes `data` only if the task still has `version` (optimistic lock), bumps the version and
 * records `eventType` in the same transaction.
 */
async function writeTask(
  tx: DbTx,
  ctx: ServiceContext,
  task: Task,
  data: Prisma.TaskUpdateManyMutationInput,
  eventType: EventType,
  extra: (view: TaskView) => Record<string, unknown> = () => ({}),
): Promise<TaskChange> {
  const now = ctx.now();
  const { count } = await tx.task.updateMany({
    where: { id: task.id, userId: ctx.userId, version: task.version },
    data: { ...data, version: { increment: 1 }, updatedAt: now },
  });
  if (count === 0) throw conflict('task was changed at the same time: read it again and retry', { version: task.version });
  const zone = await userZone({ ...ctx, db: tx });
  const updated = await tx.task.findUniqueOrThrow({ where: { id: task.id } });
  const view = taskView(updated, zone, now);
  await recordEvent(tx, ctx, eventType, view, extra(view));
  return followTask(tx, ctx, task, updated, view, zone);
}

export async function updateTask(ctx: ServiceContext, ref: string, input: UpdateTaskInput): Promise<TaskChange> {
  const data = updateTaskSchema.parse(input);
  const zone = await userZone(ctx);
  return transaction(ctx.db, async (tx) => {
    const task = await loadTask(tx, ctx, ref);
    assertEditable(task);
    if (data.version !== undefined && data.version !== task.version) {
      throw conflict(`task has changed since version ${data.version} (now ${task.version}): read it again and retry`, { version: task.version });
    }
    const before = taskView(task, zone, ctx.now());
    const status = data.status ?? task.status;
    const changes: Prisma.TaskUpdateManyMutationInput = {
      ...(data.title !== undefined ? { title: data.title } : {}),
      ...(data.description !== undefined ? { description: data.description || null } : {}),
      ...(data.priority !== undefined ? { priority: data.priority } : {}),
      ...(data.durationMinutes !== undefined ? { durationMinutes: data.durationMinutes } : {}),
      ...dueColumns(data.due, zone),
      ...(data.status !== undefined ? { status, completedAt: status === 'completed' ? (task.completedAt ?? ctx.now()) : null } : {}),
    };
    return writeTask(tx, ctx, task, changes, 'core.task.updated', (after) => ({ changed: changedFields(before, after) }));
  });
}

/** The view fields an update changed, for the event payload. */
function changedFields(before: TaskView, after: TaskView): string[] {
  const ignored = new Set(['version', 'updatedAt', 'overdue']);
  return (Object.keys(after) as (keyof TaskView)[]).filter((key) => !ignored.has(key) && before[key] !== after[key]);
}

export async function startTask(ctx: ServiceContext, ref: string): Promise<TaskChange> {
  return transaction(ctx.db, async (tx) => {
    const task = await loadTask(tx, ctx, ref);
    assertEditable(task);
    if (task.status === 'in_progress') throw conflict('task is already in progress');
    if (task.status === 'completed') throw conflict('task is already completed: reopen it with update --status pending first');
    return writeTask(tx, ctx, task, { status: 'in_progress' }, 'core.task.started');
  });
}

export async function completeTask(ctx: ServiceContext, ref: string): Promise<TaskChange> {
  return transaction(ctx.db, async (tx) => completeLoadedTask(tx, ctx, await loadTask(tx, ctx, ref)));
}

/** Completes `task` in the caller's transaction (completing a task's last block completes the task too). */
export async function completeLoadedTask(tx: DbTx, ctx: ServiceContext, task: Task): Promise<TaskChange> {
  assertEditable(task);
  if (task.status === 'completed') throw conflict('task is already completed');
  return writeTask(tx, ctx, task, { status: 'completed', completedAt: ctx.now() }, 'core.task.completed');
}

/** Archives a task (idempotent: archiving an archived task changes nothing and records no event). */
export async function archiveTask(ctx: ServiceContext, ref: string): Promise<TaskChange> {
  return transaction(ctx.db, async (tx) => {
    const task = await loadTask(tx, ctx, ref);
    if (task.status === 'archived') return taskView(task, await userZone({ ...ctx, db: tx }), ctx.now());
    return writeTask(tx, ctx, task, { status: 'archived' }, 'core.task.archived');
  });
}
