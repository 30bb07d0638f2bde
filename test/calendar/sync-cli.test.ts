import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventIdOf } from '../../lib/calendar/sync';
import { createUser } from '../../lib/identity/users';
import { addDays, atLocalMinute, localDate } from '../../lib/time';
import { type FakeGoogle, startFakeGoogle } from '../fakes/google/server';
import { connectGoogle, fakeGoogleEnv, useFakeGoogleEnv } from '../helpers/calendar';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const zone = 'Asia/Tokyo';
const work = 'work.orbita@group.calendar.google.com';

let database: TestDatabase;
let fake: FakeGoogle;
let restoreEnv: () => void;
let userId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeGoogle();
  restoreEnv = useFakeGoogleEnv(fake);
  userId = (await createUser(database.db, { name: 'CLI sync', timeZone: zone })).id;
  await connectGoogle(database.db, userId, fake);
});
afterAll(async () => {
  restoreEnv?.();
  await fake?.close();
  await database?.drop();
});

const cli = (args: string[], env: Record<string, string> = {}, as = userId) =>
  runCli(args, { DATABASE_URL: database.url, ORBITA_USER_ID: as, OUTBOX_PROCESSOR_ENABLED: 'false', ...fakeGoogleEnv(fake), ...env });

async function seed(count: number, dayOffset = 1) {
  const day = addDays(localDate(new Date(), zone), dayOffset);
  const blocks = [];
  for (let i = 0; i < count; i++) {
    blocks.push(
      await database.db.scheduleBlock.create({
        data: { userId, type: 'task', title: `CLI ${dayOffset}.${i}`, startAt: atLocalMinute(day, 540 + i * 60, zone), endAt: atLocalMinute(day, 570 + i * 60, zone) },
      }),
    );
  }
  return blocks;
}

describe('orbita sync', () => {
  it('prints the counts line; --json; a second run changes nothing', async () => {
    const blocks = await seed(3);
    const first = await cli(['sync', '--days', '3']);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' }); // no progress bar when stderr is not a terminal
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^calendar primary · \d{4}-\d{2}-\d{2}T00:00:00\+09:00 – \d{4}-\d{2}-\d{2}T00:00:00\+09:00 · 3 requests$/);
    expect(lines[1]).toBe('created 3 · updated 0 · deleted 0 · unchanged 0 · failed 0');
    expect(fake.events('primary').get(eventIdOf(blocks[0].id))?.summary).toBe('CLI 1.0');

    const second = await cli(['sync', '--days', '3', '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ calendar_id: 'primary', created: 0, updated: 0, unchanged: 3, failed: 0, requests: 0, failures: [] });
  }, 120_000);

  it('--use-config-calendar=false (and `false`, `=true`), --calendar, repeatable --attendee and --reminder', async () => {
    const env = { CALENDAR_ID: work };
    const calendarOf = async (args: string[]) => {
      const result = await cli(['sync', '--days', '1', '--json', ...args], env);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout).calendar_id;
    };
    expect(await calendarOf([])).toBe(work);
    expect(await calendarOf(['--use-config-calendar=false'])).toBe('primary');
    expect(await calendarOf(['--use-config-calendar', 'false'])).toBe('primary');
    expect(await calendarOf(['--use-config-calendar=true'])).toBe(work);
    expect(await calendarOf(['--use-config-calendar=false', '--calendar', work])).toBe(work);

    const [block] = await seed(1, 4);
    const result = await cli(['sync', '--days', '5', '--calendar', work, '--attendee', 'ana@example.com', '--attendee', 'bo@example.com', '--reminder', '10', '--reminder', '30', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ calendar_id: work, failed: 0 });
    expect(fake.events(work).get(eventIdOf(block.id))).toMatchObject({
      attendees: [{ email: 'ana@example.com' }, { email: 'bo@example.com' }],
      reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 10 }, { method: 'popup', minutes: 30 }] },
    });
  }, 120_000);

  it('bad flags: exit 2 with one clear line, before any request', async () => {
    const before = fake.requests.length;
    for (const [args, message] of [
      [['--days', '0'], 'orbita: days must be a whole number from 1 to 90'],
      [['--days', 'soon'], 'orbita: days must be a whole number from 1 to 90'],
      [['--reminder', '-5'], 'orbita: reminder must be a whole number of minutes from 0 to 40320'],
      [['--attendee', 'not-an-email'], 'orbita: attendee must be an email address, got "not-an-email"'],
      [['--use-config-calendar=maybe'], 'orbita: useConfigCalendar must be true or false'],
    ] as const) {
      const result = await cli(['sync', ...args]);
      expect({ code: result.code, stderr: result.stderr.trim() }, args.join(' ')).toEqual({ code: 2, stderr: message });
    }
    expect(fake.requests.length).toBe(before);
  }, 120_000);

  it('a user without a connection: exit 4 naming `orbita auth url`', async () => {
    const stranger = (await createUser(database.db, { name: 'Stranger', timeZone: zone })).id;
    const result = await cli(['sync'], {}, stranger);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^orbita: no Google Calendar connection: run `orbita auth url`/);
  }, 60_000);
});

describe('orbita settings calendar', () => {
  it('list, get, set (validated), clear, delete-missing get/set', async () => {
    const list = await cli(['settings', 'calendar', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ id: work, summary: 'Work', primary: false, access_role: 'writer' })]));
    const primaryOnly = await cli(['settings', 'calendar', 'list', '--primary-only']);
    expect(primaryOnly.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^ID\s+SUMMARY\s+PRIMARY\s+ACCESS\s+TIME ZONE$/), expect.stringMatching(new RegExp(`^${fake.accountEmail.replace('.', '\\.')}\\s.*\\syes\\s+owner\\s+UTC$`))]);

    const set = await cli(['settings', 'calendar', 'set', '--calendar', work, '--json']);
    expect(JSON.parse(set.stdout)).toEqual({ calendar_id: work, effective_calendar_id: work, source: 'setting' });
    const get = await cli(['settings', 'calendar', 'get']);
    expect(get.stdout).toMatch(new RegExp(`calendar\\s+${work}\\neffective\\s+${work} \\(stored setting\\)`));
    const unknown = await cli(['settings', 'calendar', 'set', '--calendar', 'nope']);
    expect({ code: unknown.code, stderr: unknown.stderr.trim() }).toEqual({ code: 2, stderr: 'orbita: unknown calendar id "nope": run `orbita settings calendar list`' });
    const cleared = await cli(['settings', 'calendar', 'set', '--clear', '--json']);
    expect(JSON.parse(cleared.stdout)).toMatchObject({ calendar_id: null, effective_calendar_id: 'primary', source: 'default' });
    const missing = await cli(['settings', 'calendar', 'set']);
    expect(missing.code).toBe(2);

    expect(JSON.parse((await cli(['settings', 'calendar', 'delete-missing', 'get', '--json'])).stdout)).toEqual({ delete_missing: false, source: 'config' });
    const on = await cli(['settings', 'calendar', 'delete-missing', 'set', '--value=true', '--json']);
    expect(JSON.parse(on.stdout)).toEqual({ delete_missing: true, source: 'setting' });
    expect((await cli(['settings', 'calendar', 'delete-missing', 'get'])).stdout.trim()).toBe('delete-missing on (stored setting)');
    const bad = await cli(['settings', 'calendar', 'delete-missing', 'set', '--value=perhaps']);
    expect({ code: bad.code, stderr: bad.stderr.trim() }).toEqual({ code: 2, stderr: 'orbita: value must be true or false' });
  }, 120_000);

  it('schedule remove with delete-missing on deletes the synced event', async () => {
    await database.db.userSettings.upsert({ where: { userId }, create: { userId, calendarDeleteMissing: true }, update: { calendarDeleteMissing: true, calendarId: null } });
    const [block] = await seed(1, 6);
    expect((await cli(['sync', '--days', '7'])).code).toBe(0);
    expect(fake.events('primary').get(eventIdOf(block.id))?.status).toBe('confirmed');
    const removed = await cli(['schedule', 'remove', block.id.slice(0, 8)]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout.trim()).toMatch(/^removed block [0-9a-f]{8} task "CLI 6\.0" .* \(calendar event deleted\)$/);
    expect(fake.events('primary').get(eventIdOf(block.id))?.status).toBe('cancelled');
    expect(await database.db.scheduleBlock.count({ where: { id: block.id } })).toBe(0);
  }, 120_000);

  it('a revoked refresh token fails the sync with the runbook\'s log line and marks the connection needs_reconnect', async () => {
    const revokedUser = (await createUser(database.db, { name: 'CLI revoked', timeZone: zone })).id;
    await connectGoogle(database.db, revokedUser, fake);
    await database.db.oAuthToken.updateMany({ where: { userId: revokedUser }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    fake.revokeRefreshTokens();
    const failed = await cli(['sync', '--days', '3'], { LOG_LEVEL: 'warn' }, revokedUser);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('oauth token refresh failed');
    expect(failed.stderr).toMatch(/orbita: Google Calendar needs to be reconnected: run `orbita auth url`/);
    const status = await cli(['auth', 'status', '--json'], {}, revokedUser);
    expect(JSON.parse(status.stdout)).toMatchObject({ connected: false, status: 'needs_reconnect' });
  }, 120_000);
});
