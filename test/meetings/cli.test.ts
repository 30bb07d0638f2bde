import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../lib/identity/users';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
let env: Record<string, string>;
let otherEnv: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  const user = await createUser(database.db, { name: 'Cli', timeZone: 'America/New_York' });
  const other = await createUser(database.db, { name: 'Other', timeZone: 'Europe/Berlin' });
  env = { DATABASE_URL: database.url, ORBITA_USER_ID: user.id };
  otherEnv = { DATABASE_URL: database.url, ORBITA_USER_ID: other.id };
});
afterAll(async () => database?.drop());

const eventTypes = async (aggregateId: string) =>
  (await database.db.outboxEvent.findMany({ where: { aggregateId }, orderBy: { sequence: 'asc' } })).map((e) => e.eventType);

/** The ordinary outcome of a command: exit 0, nothing on stderr. */
async function ok(args: string[]) {
  const result = await runCli(args, env);
  expect(result.stderr, args.join(' ')).toBe('');
  expect(result.code, args.join(' ')).toBe(0);
  return result.stdout;
}

describe('orbita meeting', () => {
  it('runs the runbook: create, list, update, held, archive (ids as prefixes), with outbox events', async () => {
    const created = await ok(['meeting', 'create', 'Alex', '--cadence', 'weekly', '--duration', '30', '--time', '10:00']);
    expect(created).toMatch(/^created meeting [0-9a-f]{8} "Alex" \(weekly, next \d{4}-\d{2}-\d{2} 10:00( \(today\))?\)\n$/);
    const prefix = created.split(' ')[2];
    const [custom, shown] = await Promise.all([
      ok(['meeting', 'create', 'Sam', '--cadence', 'custom', '--interval-days', '21', '--duration', '45', '--time', '16:30', '--json']),
      ok(['meeting', 'show', prefix, '--json']),
    ]);
    const sam = JSON.parse(custom);
    expect(sam).toMatchObject({ name: 'Sam', cadence: 'custom', intervalDays: 21, durationMinutes: 45, time: '16:30' });
    const alex = JSON.parse(shown);
    expect(alex).toMatchObject({ name: 'Alex', cadence: 'weekly', intervalDays: 7, durationMinutes: 30, time: '10:00', lastHeldAt: null });

    const held = await ok(['meeting', 'held', prefix, '--date', '2024-02-02', '--time', '09:30']);
    expect(held).toMatch(new RegExp(`^held meeting ${prefix} "Alex" at 2024-02-02 09:30 \\(last held 2024-02-02 09:30, next .+\\)\\n$`));

    const [updated, list] = await Promise.all([
      ok(['meeting', 'update', prefix, '--cadence', 'biweekly', '--json']),
      ok(['meeting', 'list']),
    ]);
    expect(JSON.parse(updated)).toMatchObject({ id: alex.id, cadence: 'biweekly', intervalDays: 14, lastHeldAt: '2024-02-02T09:30:00-05:00' });
    const lines = list.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+CADENCE\s+MIN\s+TIME\s+LAST HELD\s+NEXT$/);
    const column = (header: string) => lines[0].indexOf(header);
    const alexLine = lines.find((l) => l.includes('Alex'))!;
    const samLine = lines.find((l) => l.includes('Sam'))!;
    expect(alexLine.slice(column('LAST HELD')).startsWith('2024-02-02')).toBe(true);
    expect(alexLine.slice(column('NEXT'))).toMatch(/^\d{4}-\d{2}-\d{2} 10:00/);
    expect(samLine.slice(column('CADENCE'))).toMatch(/^custom 21d\s+45\s+16:30\s+—\s+\d{4}-\d{2}-\d{2} 16:30/);
    expect(samLine.startsWith(sam.id.slice(0, 8))).toBe(true);

    const archived = await ok(['meeting', 'archive', prefix]);
    expect(archived).toBe(`archived meeting ${prefix} "Alex" (archived)\n`);
    const [again, active, all] = await Promise.all([
      ok(['meeting', 'archive', alex.id, '--json']),
      ok(['meeting', 'list', '--json']),
      ok(['meeting', 'list', '--archived']),
    ]);
    expect(JSON.parse(again)).toMatchObject({ id: alex.id, archived: true, nextOccurrence: null });
    expect(JSON.parse(active).items.map((m: { name: string }) => m.name)).toEqual(['Sam']);
    expect(all).toMatch(/Alex \[archived\]/);
    expect(all).toMatch(/Sam/);

    expect(await eventTypes(alex.id)).toEqual(['meetings.meeting.created', 'meetings.meeting.held', 'meetings.meeting.updated', 'meetings.meeting.archived']);
    expect(await eventTypes(sam.id)).toEqual(['meetings.meeting.created']);
    const heldEvent = await database.db.outboxEvent.findFirstOrThrow({ where: { aggregateId: alex.id, eventType: 'meetings.meeting.held' } });
    expect(heldEvent.payload).toMatchObject({ heldAt: '2024-02-02T09:30:00-05:00', meeting: { id: alex.id, lastHeldAt: '2024-02-02T09:30:00-05:00' } });
    expect(heldEvent.metadata).toMatchObject({ userId: env.ORBITA_USER_ID });
  }, 120_000); // each command spawns the real binary

  it('answers "not found" (exit 4) for another user\'s meeting on every command and changes nothing', async () => {
    const mine = JSON.parse(await ok(['meeting', 'create', 'Private', '--json']));
    const before = await database.db.meeting.findUniqueOrThrow({ where: { id: mine.id } });
    const attempts = await Promise.all([
      runCli(['meeting', 'show', mine.id], otherEnv),
      runCli(['meeting', 'update', mine.id.slice(0, 8), '--name', 'taken'], otherEnv),
      runCli(['meeting', 'held', mine.id], otherEnv),
      runCli(['meeting', 'archive', mine.id], otherEnv),
    ]);
    for (const attempt of attempts) {
      expect(attempt.code).toBe(4);
      expect(attempt.stderr).toMatch(/^orbita: meeting [0-9a-f-]+ not found\n$/);
    }
    const theirs = await runCli(['meeting', 'list', '--archived', '--json'], otherEnv);
    expect(JSON.parse(theirs.stdout).items).toEqual([]);
    expect(await database.db.meeting.findUniqueOrThrow({ where: { id: mine.id } })).toEqual(before);
    expect(await eventTypes(mine.id)).toEqual(['meetings.meeting.created']);
  }, 120_000); // each command spawns the real binary

  it('rejects bad input with exit 2 and one line naming the field, writing nothing', async () => {
    const target = JSON.parse(await ok(['meeting', 'create', 'Target', '--json']));
    const meetings = await database.db.meeting.count();
    const events = await database.db.outboxEvent.count();
    const cases: [string[], RegExp][] = [
      [['meeting', 'create', 'x', '--cadence', 'daily'], /cadence must be one of weekly, biweekly, monthly, custom/],
      [['meeting', 'create', 'x', '--duration', '0'], /duration must be between 5 and 480 minutes/],
      [['meeting', 'create', 'x', '--duration', '10000'], /duration must be between 5 and 480 minutes/],
      [['meeting', 'create', 'x', '--time', '25:00'], /time must be a time between 00:00 and 23:59 \(HH:MM\), got "25:00"/],
      [['meeting', 'create', 'x'.repeat(501)], /name must be at most 500 characters/],
      [['meeting', 'create', 'x', '--cadence', 'custom'], /intervalDays is required for a custom cadence/],
      [['meeting', 'create', 'x', '--cadence', 'weekly', '--interval-days', '10'], /intervalDays 10 contradicts cadence weekly/],
      [['meeting', 'update', target.id, '--interval-days', 'often'], /intervalDays must be a whole number of days/],
      [['meeting', 'update', target.id, '--time', '25:00'], /time must be a time/],
      [['meeting', 'held', target.id, '--date', '2024-13-40'], /date must be a real date written YYYY-MM-DD/],
      [['meeting', 'held', target.id, '--date', 'yesterday'], /date must be a real date/],
      [['meeting', 'held', target.id, '--date', '2999-01-01'], /date 2999-01-01 is in the future/],
    ];
    for (let i = 0; i < cases.length; i += 4) {
      const results = await Promise.all(cases.slice(i, i + 4).map(([args]) => runCli(args, env)));
      results.forEach((result, j) => {
        const [args, message] = cases[i + j];
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stdout, args.join(' ')).toBe('');
        expect(result.stderr, args.join(' ')).toMatch(/^orbita: [^\n]+\n$/);
        expect(result.stderr, args.join(' ')).toMatch(message);
      });
    }
    expect(await database.db.meeting.count()).toBe(meetings);
    expect(await database.db.outboxEvent.count()).toBe(events);
  }, 120_000); // each command spawns the real binary
});
