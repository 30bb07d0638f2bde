import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as blocks from '../../app/api/v1/schedule/blocks/route';
import { POST as completeRoute } from '../../app/api/v1/schedule/blocks/[id]/complete/route';
import { GET as dayRoute } from '../../app/api/v1/schedule/day/route';
import * as tasks from '../../app/api/v1/tasks/route';
import * as taskItem from '../../app/api/v1/tasks/[id]/route';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { allTools } from '../../mcp/tools';
import { callRoute } from '../helpers/api';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type TestUser, userWithToken } from '../helpers/users';

// Issue 20 through every door: completing a block asks about its task (REST 409 with the choice, a
// CLI flag, an MCP argument), a task change reports what its blocks did, and a block past its
// task's due time is flagged in every listing. The doors run on the real clock: every date here is
// computed from now (days in the week after next, in Berlin).

const zone = 'Europe/Berlin';
const firstMonday = DateTime.now().setZone(zone).startOf('week').plus({ weeks: 2 });
const day = (n: number) => firstMonday.plus({ days: n }).toISODate()!;
const yesterday = DateTime.now().setZone(zone).minus({ days: 1 }).toISODate()!;

let database: TestDatabase;
let alice: TestUser;

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  alice = await userWithToken(database.db, 'Alice', zone);
});
afterAll(async () => {
  await disconnectDb();
  await database?.drop();
});

const cliEnv = () => ({ DATABASE_URL: database.url, ORBITA_USER_ID: alice.id });

async function taskWithBlocks(title: string, dates: string[], due?: string): Promise<{ taskId: string; blockIds: string[] }> {
  const task = await callRoute(tasks.POST, { token: alice.token, body: { title, durationMinutes: 30, ...(due ? { due } : {}) } });
  expect(task.status).toBe(201);
  const blockIds: string[] = [];
  for (const [i, date] of dates.entries()) {
    const block = await callRoute(blocks.POST, { token: alice.token, body: { type: 'task', referenceId: task.body.id, title, date, start: `1${i}:00`, end: `1${i}:30` } });
    expect(block.status, JSON.stringify(block.body)).toBe(201);
    blockIds.push(block.body.id);
  }
  return { taskId: task.body.id, blockIds };
}

describe('REST', () => {
  it('completing a block of a task with other blocks is a 409 with the choice; completeTask decides; bad input is a 400', async () => {
    const { taskId, blockIds } = await taskWithBlocks('Two sittings', [day(0), day(1)]);
    const ask = await callRoute(completeRoute, { token: alice.token, method: 'POST', params: { id: blockIds[0] } });
    expect(ask.status).toBe(409);
    expect(ask.body.error).toMatchObject({ code: 'conflict', details: { choice: 'completeTask', taskId, otherBlocks: 1 } });
    const bad = await callRoute(completeRoute, { token: alice.token, method: 'POST', params: { id: blockIds[0] }, body: { completeTask: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/completeTask/);
    const done = await callRoute(completeRoute, { token: alice.token, method: 'POST', params: { id: blockIds[0] }, body: { completeTask: true } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', task: { id: taskId, status: 'completed', schedule: [{ action: 'removed', block: { id: blockIds[1] } }] } });
  });

  it('a renamed task answers with what its blocks did; the day view shows the new title and flags a block past its due time', async () => {
    const { taskId } = await taskWithBlocks('Old name', [day(2)], yesterday);
    const renamed = await callRoute(taskItem.PATCH, { token: alice.token, method: 'PATCH', params: { id: taskId }, body: { title: 'New name' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.schedule).toEqual([expect.objectContaining({ action: 'renamed', block: expect.objectContaining({ title: 'New name', flag: 'overdue' }) })]);
    const shown = await callRoute(dayRoute, { token: alice.token, path: `/api/v1/schedule/day?date=${day(2)}` });
    expect(shown.body.blocks.map((b: { title: string; flag: string | null; pinned: boolean }) => [b.title, b.flag, b.pinned])).toEqual([['New name', 'overdue', true]]);
  });
});

describe('CLI', () => {
  it('schedule complete asks for --complete-task or --keep-task, and says what it did', async () => {
    const { blockIds } = await taskWithBlocks('Three sittings', [day(3), day(4), day(5)]);
    const ask = await runCli(['schedule', 'complete', blockIds[0].slice(0, 8)], cliEnv());
    expect(ask.code).toBe(4);
    expect(ask.stderr.trim()).toBe('orbita: the task “Three sittings” has 2 more planned blocks: add --complete-task to complete it too, or --keep-task to leave it open');
    const both = await runCli(['schedule', 'complete', blockIds[0].slice(0, 8), '--complete-task', '--keep-task'], cliEnv());
    expect(both.code).toBe(2);
    const kept = await runCli(['schedule', 'complete', blockIds[0].slice(0, 8), '--keep-task'], cliEnv());
    expect(kept.code).toBe(0);
    expect(kept.stdout).toMatch(/^completed block \w{8} task "Three sittings" .* \(completed\)\n$/);
    const done = await runCli(['schedule', 'complete', blockIds[1].slice(0, 8), '--complete-task'], cliEnv());
    expect(done.code).toBe(0);
    expect(done.stdout.split('\n')[1]).toMatch(/^completed task \w{8} "Three sittings"$/);
    expect(done.stdout).toMatch(/^ {2}block .* 12:00–12:30 removed$/m);
  });

  it('task update prints what its blocks did; schedule show flags a block past its due time', async () => {
    const { taskId } = await taskWithBlocks('Report', [day(6)], yesterday);
    const renamed = await runCli(['task', 'update', taskId.slice(0, 8), '--title', 'Quarterly report'], cliEnv());
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toMatch(/^ {2}block .* 10:00–10:30 renamed to “Quarterly report”$/m);
    const shown = await runCli(['schedule', 'show', '--date', day(6)], cliEnv());
    expect(shown.stdout).toMatch(/^10:00–10:30 {2}task {5}Quarterly report {2}\w{8} {2}planned {2}! overdue$/m);
  });
});

describe('MCP', () => {
  it('schedule_complete takes completeTask; without it, a task with other blocks is a conflict asking for it', async () => {
    const { taskId, blockIds } = await taskWithBlocks('MCP sittings', [day(7), day(8)]);
    const tool = allTools.find((t) => t.name === 'schedule_complete')!;
    const ctx = { db: database.db, userId: alice.id, now: () => new Date() };
    await expect(tool.run(ctx, tool.input.parse({ id: blockIds[0] }))).rejects.toMatchObject({ code: 'conflict', details: { choice: 'completeTask' } });
    expect(() => tool.input.parse({ id: blockIds[0], completeTask: 'yes' })).toThrow(/completeTask/);
    const done = (await tool.run(ctx, tool.input.parse({ id: blockIds[0], completeTask: true }))) as { task?: { id: string; status: string } };
    expect(done.task).toMatchObject({ id: taskId, status: 'completed' });
  });
});
