import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { type FakeGoogle, type FakeGoogleEvent, startFakeGoogle } from '../fakes/google/server';
import { connectGoogle, fakeGoogleEnv, useFakeGoogleEnv } from '../helpers/calendar';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type TestUser, userWithToken } from '../helpers/users';

// `orbita schedule import` through the real binary, against the loopback fake Google (real clock).

const team = 'team@group.calendar.google.com';
let database: TestDatabase;
let google: FakeGoogle;
let alice: TestUser;
let stranger: TestUser;
let restoreEnv: () => void = () => {};

const cli = (user: TestUser, args: string[], env: Record<string, string> = {}) =>
  runCli(['schedule', 'import', ...args], { DATABASE_URL: database.url, ORBITA_USER_ID: user.id, OUTBOX_PROCESSOR_ENABLED: 'false', ...fakeGoogleEnv(google), ...env });

let etag = 0;
function put(calendarId: string, event: Partial<FakeGoogleEvent> & { id: string }) {
  google.events(calendarId).set(event.id, { status: 'confirmed', start: {}, end: {}, updated: new Date().toISOString(), etag: `"c${++etag}"`, ...event } as FakeGoogleEvent);
}
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const localDatePlus = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const imported = (user: TestUser) =>
  database.db.scheduleBlock.findMany({ where: { userId: user.id, source: 'imported' }, orderBy: { startAt: 'asc' } });

beforeAll(async () => {
  database = await createTestDatabase();
  connectDatabase(database.url);
  google = await startFakeGoogle({ accountEmail: 'cli-import@example.com' });
  google.calendars.set(team, { id: team, summary: 'Team', accessRole: 'owner', timeZone: 'UTC' });
  restoreEnv = useFakeGoogleEnv(google);
  alice = await userWithToken(database.db, 'alice-cli-import', 'UTC');
  stranger = await userWithToken(database.db, 'stranger-cli-import', 'UTC');
  await connectGoogle(database.db, alice.id, google);
});

afterAll(async () => {
  restoreEnv();
  await google?.close();
  await disconnectDb();
  await database?.drop();
});

describe('orbita schedule import', () => {
  it('bad input is one line on stderr and exit 2, before anything is imported', async () => {
    for (const [args, message] of [
      [['--days', '0', '--type', 'meeting'], /days must be a whole number from 1 to 90/],
      [['--days', '91', '--type', 'meeting'], /days must be a whole number from 1 to 90/],
      [['--days', 'soon', '--type', 'meeting'], /days must be a whole number/],
      [['--days', '7', '--type', 'nonsense'], /type must be one of task, habit, meeting, focus, break, event/],
      [['--days', '7', '--type', 'meeting', '--use-config-calendar=maybe'], /useConfigCalendar must be true or false/],
      [['--days', '7'], /required option '--type <type>'/],
    ] as const) {
      const result = await cli(alice, [...args]);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
      // One error line (commander's usage errors add the house's "(run with --help for usage)" hint).
      expect(result.stderr.trim().split('\n').filter((line) => !line.startsWith('(run with --help'))).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(google.requests.filter((r) => /\/events$/.test(r.path))).toEqual([]);
  });

  it('imports, re-imports (update, no duplicates), removes, and reports a full resync', async () => {
    put('primary', { id: 'cli1', summary: 'Planning', start: { dateTime: hoursFromNow(2) }, end: { dateTime: hoursFromNow(3) } });
    put('primary', { id: 'cli2', summary: 'Offsite', start: { date: localDatePlus(2) }, end: { date: localDatePlus(3) } });

    const first = await cli(alice, ['--days', '7', '--type', 'meeting']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('created 1 · updated 0 · removed 0 · skipped 1');
    expect(first.stdout).not.toContain('full resync');

    put('primary', { id: 'cli1', summary: 'Planning (moved)', start: { dateTime: hoursFromNow(4) }, end: { dateTime: hoursFromNow(5) } });
    const second = await cli(alice, ['--days', '7', '--type', 'meeting', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ calendar_id: 'primary', created: 0, updated: 1, removed: 0, full_resync: false });
    expect((await imported(alice)).map((b) => b.title)).toEqual(['Planning (moved)']);

    const allDay = await cli(alice, ['--days', '7', '--type', 'meeting', '--include-all-day']);
    expect(allDay.code, allDay.stderr).toBe(0);
    expect(allDay.stdout).toContain('created 1 · updated 0 · removed 0 · skipped 0');
    expect(await imported(alice)).toHaveLength(2);

    google.expireSyncTokens();
    google.events('primary').delete('cli1');
    const resync = await cli(alice, ['--days', '7', '--type', 'meeting', '--include-all-day']);
    expect(resync.code, resync.stderr).toBe(0);
    expect(resync.stdout).toMatch(/created 0 · updated 0 · removed 1 · skipped 0 \(full resync/);
    expect((await imported(alice)).map((b) => b.title)).toEqual(['Offsite']);
  });

  it('--calendar, CALENDAR_ID and --use-config-calendar=false choose the calendar', async () => {
    put(team, { id: 'team1', summary: 'Team sync', start: { dateTime: hoursFromNow(6) }, end: { dateTime: hoursFromNow(7) } });
    const explicit = await cli(alice, ['--days', '3', '--type', 'meeting', '--calendar', team, '--json']);
    expect(explicit.code, explicit.stderr).toBe(0);
    expect(JSON.parse(explicit.stdout)).toMatchObject({ calendar_id: team, created: 1 });

    const configured = await cli(alice, ['--days', '3', '--type', 'meeting', '--json'], { CALENDAR_ID: team });
    expect(JSON.parse(configured.stdout)).toMatchObject({ calendar_id: team, created: 0 });

    const primary = await cli(alice, ['--days', '3', '--type', 'meeting', '--use-config-calendar=false', '--json'], { CALENDAR_ID: team });
    expect(primary.code, primary.stderr).toBe(0);
    expect(JSON.parse(primary.stdout).calendar_id).toBe('primary');
    const lastList = google.requests.filter((r) => /\/events$/.test(r.path)).at(-1)!;
    expect(lastList.path).toContain('/calendars/primary/events');
  });

  it('a user without a connection gets a one-line error (exit 4) and no blocks', async () => {
    const result = await cli(stranger, ['--days', '7', '--type', 'meeting']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/no Google Calendar connection/);
    expect(await imported(stranger)).toEqual([]);
  });
});
