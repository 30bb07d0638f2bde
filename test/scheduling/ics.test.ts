import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { GET as feedRoute } from '../../app/api/ics/[file]/route';
import { connectDatabase, disconnectDb } from '../../lib/db/client';
import { createUser } from '../../lib/identity/users';
import { countIcsEvents, escapeIcsText, foldIcsLine, formatIcsUtc, type IcsBlock, renderIcs } from '../../lib/scheduling/ics';
import { disableIcsFeed, enableIcsFeed, exportIcs, getIcsFeed, icsForFeedToken } from '../../lib/scheduling/ics-feed';
import { runCli } from '../helpers/cli';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const local = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toJSDate();
const octets = (text: string) => Buffer.byteLength(text, 'utf8');
/** RFC 5545 unfolding: a CRLF followed by one space or tab is removed. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const physicalLines = (ics: string) => ics.split('\r\n').slice(0, -1); // the text ends with CRLF
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function block(overrides: Partial<IcsBlock> & Pick<IcsBlock, 'startAt' | 'endAt'>): IcsBlock {
  return {
    id: overrides.id ?? '7a1b7d1e-0000-4000-8000-000000000001',
    type: 'focus',
    title: 'Deep work',
    status: 'planned',
    source: 'orbita',
    updatedAt: new Date('2026-03-01T12:00:00Z'),
    ...overrides,
  };
}

interface ParsedEvent {
  uid: string;
  summary: string;
  description: string;
  start: number;
  end: number;
  status: string;
  categories: string;
}

/** Parses with ical.js (a real RFC 5545 parser) and reads every VEVENT back. */
function parse(ics: string): { calendar: ICAL.Component; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const events = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate.toJSDate().getTime(),
      end: event.endDate.toJSDate().getTime(),
      status: String(component.getFirstPropertyValue('status')),
      categories: String(component.getFirstPropertyValue('categories')),
    };
  });
  return { calendar, events };
}

const now = new Date('2026-03-27T10:00:00Z');
const options = { calendarName: 'Orbita', zone: 'Europe/Berlin', now };

describe('renderIcs', () => {
  it('writes a VCALENDAR with the required properties, CRLF line endings and one VEVENT per block', () => {
    const blocks = [
      block({ id: '7a1b7d1e-0000-4000-8000-000000000001', startAt: new Date('2026-03-27T08:00:00Z'), endAt: new Date('2026-03-27T09:30:00Z') }),
      block({ id: '7a1b7d1e-0000-4000-8000-000000000002', type: 'task', title: 'Write report', startAt: new Date('2026-03-27T10:00:00Z'), endAt: new Date('2026-03-27T10:45:00Z'), status: 'completed' }),
    ];
    const ics = renderIcs(blocks, options);
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // no bare CR or LF anywhere
    const lines = physicalLines(ics);
    expect(lines.slice(0, 7)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Orbita//Orbita//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'X-WR-CALNAME:Orbita',
      'X-WR-TIMEZONE:Europe/Berlin',
    ]);
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(countIcsEvents(ics)).toBe(2);
    const second = lines.slice(lines.indexOf('UID:7a1b7d1e-0000-4000-8000-000000000002@orbita') - 1, lines.lastIndexOf('END:VEVENT') + 1);
    expect(second).toEqual([
      'BEGIN:VEVENT',
      'UID:7a1b7d1e-0000-4000-8000-000000000002@orbita',
      'DTSTAMP:20260327T100000Z',
      'DTSTART:20260327T100000Z',
      'DTEND:20260327T104500Z',
      'SUMMARY:Write report',
      'DESCRIPTION:Orbita task block\\nstatus: completed',
      'STATUS:CONFIRMED',
      'TRANSP:OPAQUE',
      'LAST-MODIFIED:20260301T120000Z',
      'CATEGORIES:task',
      'END:VEVENT',
    ]);

    const { calendar, events } = parse(ics);
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//Orbita//Orbita//EN');
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(events.map((e) => [e.uid, e.start, e.end, e.categories])).toEqual([
      ['7a1b7d1e-0000-4000-8000-000000000001@orbita', Date.parse('2026-03-27T08:00:00Z'), Date.parse('2026-03-27T09:30:00Z'), 'focus'],
      ['7a1b7d1e-0000-4000-8000-000000000002@orbita', Date.parse('2026-03-27T10:00:00Z'), Date.parse('2026-03-27T10:45:00Z'), 'task'],
    ]);
  });

  it('renders an empty calendar when there are no blocks', () => {
    const ics = renderIcs([], options);
    expect(countIcsEvents(ics)).toBe(0);
    expect(parse(ics).events).toEqual([]);
  });

  it('escapes backslash, semicolon, comma and newlines in TEXT values', () => {
    expect(escapeIcsText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    expect(escapeIcsText('bell\u0007tab\tok')).toBe('belltab\tok'); // control characters other than TAB dropped
    const title = 'Plan, review; ship \\ done\nthen: celebrate';
    const ics = renderIcs([block({ title, startAt: new Date('2026-03-27T08:00:00Z'), endAt: new Date('2026-03-27T09:00:00Z') })], {
      ...options,
      calendarName: 'Orbita (Ada, Lovelace)',
    });
    expect(unfold(ics)).toContain('SUMMARY:Plan\\, review\\; ship \\\\ done\\nthen: celebrate\r\n');
    expect(unfold(ics)).toContain('X-WR-CALNAME:Orbita (Ada\\, Lovelace)\r\n');
    // (ical.js reads X- properties as raw values, so the calendar name is checked in its escaped form above.)
    expect(parse(ics).events[0].summary).toBe(title);
  });

  it('folds long lines at 75 octets with a leading space, never inside a UTF-8 character', () => {
    const titles = [
      'A very long title '.repeat(12),
      'é'.repeat(120),
      '日本語のタイトル'.repeat(15),
      '🚀 launch '.repeat(20),
      `${'a'.repeat(66)}é${'b'.repeat(10)}`, // "SUMMARY:" + 66 = 74 octets: the 2-octet é must move to the next line
      `${'a'.repeat(65)}€${'b'.repeat(10)}`, // 73 + 3 octets: € moves
      `${'a'.repeat(64)}😀${'b'.repeat(10)}`, // 72 + 4 octets: the emoji (a surrogate pair) moves whole
    ];
    const blocks = titles.map((title, i) =>
      block({ id: `7a1b7d1e-0000-4000-8000-00000000001${i}`, title, startAt: new Date(Date.UTC(2026, 2, 27, i)), endAt: new Date(Date.UTC(2026, 2, 27, i, 30)) }),
    );
    const ics = renderIcs(blocks, options);
    const lines = physicalLines(ics);
    for (const line of lines) {
      expect(octets(line)).toBeLessThanOrEqual(75);
      expect(line).not.toMatch(loneSurrogate);
      expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
    }
    expect(lines.filter((line) => line.startsWith(' ')).length).toBeGreaterThan(10);
    const summaryLines = (title: string) => {
      const start = lines.indexOf(foldIcsLine(`SUMMARY:${title}`).split('\r\n')[0]);
      return lines.slice(start, start + 2);
    };
    expect(summaryLines(titles[4])).toEqual([`SUMMARY:${'a'.repeat(66)}`, ` é${'b'.repeat(10)}`]);
    expect(summaryLines(titles[5])).toEqual([`SUMMARY:${'a'.repeat(65)}`, ` €${'b'.repeat(10)}`]);
    expect(summaryLines(titles[6])).toEqual([`SUMMARY:${'a'.repeat(64)}`, ` 😀${'b'.repeat(10)}`]);
    // Exactly 75 octets is not folded.
    expect(foldIcsLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldIcsLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
    expect(foldIcsLine('x'.repeat(75 + 74 + 1))).toBe(`${'x'.repeat(75)}\r\n ${'x'.repeat(74)}\r\n x`);

    expect(parse(ics).events.map((e) => e.summary)).toEqual(titles);
  });

  it('writes UTC times that keep the wall clock on DST transition days', () => {
    const berlin = 'Europe/Berlin';
    const newYork = 'America/New_York';
    const blocks = [
      // Europe/Berlin springs forward on 2026-03-29 (02:00 → 03:00).
      block({ id: 'b0000000-0000-4000-8000-000000000001', startAt: local('2026-03-28T09:00', berlin), endAt: local('2026-03-28T10:00', berlin) }),
      block({ id: 'b0000000-0000-4000-8000-000000000002', startAt: local('2026-03-29T09:00', berlin), endAt: local('2026-03-29T10:00', berlin) }),
      block({ id: 'b0000000-0000-4000-8000-000000000003', startAt: local('2026-03-29T01:30', berlin), endAt: local('2026-03-29T03:30', berlin) }),
      // America/New_York falls back on 2026-11-01 (02:00 → 01:00).
      block({ id: 'b0000000-0000-4000-8000-000000000004', startAt: local('2026-10-31T09:00', newYork), endAt: local('2026-10-31T09:30', newYork) }),
      block({ id: 'b0000000-0000-4000-8000-000000000005', startAt: local('2026-11-01T09:00', newYork), endAt: local('2026-11-01T09:30', newYork) }),
    ];
    const ics = renderIcs(blocks, options);
    const times = (id: string) => {
      const lines = physicalLines(ics);
      const at = lines.indexOf(`UID:${id}@orbita`);
      return [lines[at + 2], lines[at + 3]];
    };
    expect(times('b0000000-0000-4000-8000-000000000001')).toEqual(['DTSTART:20260328T080000Z', 'DTEND:20260328T090000Z']); // CET +01:00
    expect(times('b0000000-0000-4000-8000-000000000002')).toEqual(['DTSTART:20260329T070000Z', 'DTEND:20260329T080000Z']); // CEST +02:00
    expect(times('b0000000-0000-4000-8000-000000000003')).toEqual(['DTSTART:20260329T003000Z', 'DTEND:20260329T013000Z']); // one real hour
    expect(times('b0000000-0000-4000-8000-000000000004')).toEqual(['DTSTART:20261031T130000Z', 'DTEND:20261031T133000Z']); // EDT -04:00
    expect(times('b0000000-0000-4000-8000-000000000005')).toEqual(['DTSTART:20261101T140000Z', 'DTEND:20261101T143000Z']); // EST -05:00
    for (const event of parse(ics).events) {
      const source = blocks.find((b) => `${b.id}@orbita` === event.uid)!;
      expect([event.start, event.end]).toEqual([source.startAt.getTime(), source.endAt.getTime()]);
    }
    expect(formatIcsUtc(new Date('2026-01-02T03:04:05.678Z'))).toBe('20260102T030405Z');
  });

  it('keeps UIDs stable across renders and renders equal inputs byte for byte', () => {
    const blocks = [
      block({ id: 'c0000000-0000-4000-8000-000000000002', startAt: new Date('2026-03-27T11:00:00Z'), endAt: new Date('2026-03-27T12:00:00Z') }),
      block({ id: 'c0000000-0000-4000-8000-000000000001', startAt: new Date('2026-03-27T08:00:00Z'), endAt: new Date('2026-03-27T09:00:00Z') }),
    ];
    const first = renderIcs(blocks, options);
    expect(renderIcs([...blocks].reverse(), options)).toBe(first);
    const later = renderIcs([{ ...blocks[0], title: 'Renamed' }, blocks[1]], { ...options, now: new Date('2026-04-01T00:00:00Z') });
    const uids = (ics: string) => parse(ics).events.map((e) => e.uid);
    expect(uids(later)).toEqual(uids(first));
    expect(uids(first)).toEqual(['c0000000-0000-4000-8000-000000000001@orbita', 'c0000000-0000-4000-8000-000000000002@orbita']);
  });

  it('keeps missed blocks CONFIRMED with a [missed] note, never CANCELLED', () => {
    const ics = renderIcs([block({ status: 'missed', startAt: new Date('2026-03-26T08:00:00Z'), endAt: new Date('2026-03-26T09:00:00Z') })], options);
    expect(ics).not.toContain('CANCELLED');
    const [event] = parse(ics).events;
    expect(event.status).toBe('CONFIRMED');
    expect(event.description).toBe('Orbita focus block\nstatus: missed [missed]');
  });
});

describe('export and feed on the database', () => {
  let database: TestDatabase;
  let alice: string;
  let bob: string;
  let tmp: string;
  const zone = 'Europe/Berlin';

  const addBlock = (userId: string, startAt: Date, minutes: number, extra: { title?: string; source?: 'orbita' | 'imported'; status?: 'planned' | 'missed' } = {}) =>
    database.db.scheduleBlock.create({
      data: {
        userId,
        type: 'focus',
        title: extra.title ?? 'Block',
        startAt,
        endAt: new Date(startAt.getTime() + minutes * 60_000),
        source: extra.source ?? 'orbita',
        status: extra.status ?? 'planned',
        ...(extra.source === 'imported' ? { externalCalendarId: 'primary', externalEventId: randomBytes(8).toString('hex') } : {}),
      },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    connectDatabase(database.url);
    alice = (await createUser(database.db, { name: 'Alice', timeZone: zone })).id;
    bob = (await createUser(database.db, { name: 'Bob', timeZone: zone })).id;
    tmp = await mkdtemp(path.join(os.tmpdir(), 'orbita-ics-'));
  });
  afterAll(async () => {
    await disconnectDb();
    await database?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  describe('exportIcs', () => {
    // Fixed clock: Friday 2026-03-27 11:00 in Berlin; the clocks change on Sunday the 29th.
    const ctx = () => ({ db: database.db, userId: alice, now: () => now });
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      ids.yesterday = (await addBlock(alice, local('2026-03-26T09:00', zone), 60, { status: 'missed' })).id;
      ids.today = (await addBlock(alice, local('2026-03-27T14:00', zone), 60, { title: 'Today, focus' })).id;
      ids.afterDst = (await addBlock(alice, local('2026-03-30T09:00', zone), 90)).id;
      ids.lastDay = (await addBlock(alice, local('2026-04-02T23:00', zone), 30)).id;
      ids.eighthDay = (await addBlock(alice, local('2026-04-03T00:00', zone), 30)).id;
      ids.later = (await addBlock(alice, local('2026-04-06T09:00', zone), 30)).id;
      ids.imported = (await addBlock(alice, local('2026-03-27T16:00', zone), 30, { source: 'imported' })).id;
      ids.bob = (await addBlock(bob, local('2026-03-27T14:00', zone), 60)).id;
    });

    const uidsOf = (ics: string) => parse(ics).events.map((e) => e.uid.replace('@orbita', ''));

    it('exports the user\'s own Orbita blocks from today (local) for N days', async () => {
      const ics = await exportIcs(ctx(), { days: 7 });
      expect(uidsOf(ics)).toEqual([ids.today, ids.afterDst, ids.lastDay]);
      expect(ics).toContain('X-WR-CALNAME:Orbita (Alice)');
      const afterDst = parse(ics).events.find((e) => e.uid === `${ids.afterDst}@orbita`)!;
      expect(afterDst.start).toBe(Date.parse('2026-03-30T07:00:00Z'));
      expect(uidsOf(await exportIcs(ctx()))).toEqual([ids.today, ids.afterDst, ids.lastDay, ids.eighthDay, ids.later]); // 14 days by default
      expect(uidsOf(await exportIcs(ctx(), { days: 1, from: '2026-03-26' }))).toEqual([ids.yesterday]);
      expect(uidsOf(await exportIcs({ db: database.db, userId: bob, now: () => now }, { days: 7 }))).toEqual([ids.bob]);
    });

    it('rejects days outside 1–366 and malformed dates naming the field', async () => {
      for (const [input, field] of [
        [{ days: 0 }, 'days'],
        [{ days: 400 }, 'days'],
        [{ days: 1.5 }, 'days'],
        [{ from: '2024-02-30' }, 'from'],
        [{ colour: 'red' }, ''],
      ] as const) {
        const error = await exportIcs(ctx(), input as never).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ZodError);
        if (field) expect((error as ZodError).issues[0].message).toMatch(new RegExp(`^${field}`));
      }
    });
  });

  describe('feed token and route', () => {
    const ctxOf = (userId: string) => ({ db: database.db, userId, now: () => new Date() });
    const get = (file: string) => feedRoute(new Request(`http://localhost/api/ics/${file}`), { params: Promise.resolve({ file }) });
    const tokenOf = (p: string | null) => /^\/api\/ics\/([A-Za-z0-9_-]{43})\.ics$/.exec(p ?? '')![1];
    const soon = (days: number, hour: number) => local(`${DateTime.now().setZone(zone).plus({ days }).toISODate()}T${String(hour).padStart(2, '0')}:00`, zone);
    let aliceBlocks: string[];
    let bobBlock: string;
    let outside: string[];

    beforeAll(async () => {
      // The feed reads the real clock: blocks around today. 8 days back and 61 ahead fall outside.
      aliceBlocks = [
        (await addBlock(alice, soon(-7, 6), 30)).id,
        (await addBlock(alice, soon(1, 6), 30, { title: 'Feed; block, one' })).id,
        (await addBlock(alice, soon(60, 6), 30)).id,
      ];
      outside = [(await addBlock(alice, soon(-9, 6), 30)).id, (await addBlock(alice, soon(62, 6), 30)).id];
      bobBlock = (await addBlock(bob, soon(1, 6), 30)).id;
    });

    it('starts off, creates a 32-byte base64url token and serves that user\'s blocks only', async () => {
      expect(await getIcsFeed(ctxOf(alice))).toEqual({ path: null });
      const created = await enableIcsFeed(ctxOf(alice));
      expect(created.path).toMatch(/^\/api\/ics\/[A-Za-z0-9_-]{43}\.ics$/);
      expect(Buffer.from(tokenOf(created.path), 'base64url')).toHaveLength(32);
      expect(await getIcsFeed(ctxOf(alice))).toEqual(created);
      const row = await database.db.userSettings.findUnique({ where: { userId: alice } });
      expect(row?.icsFeedToken).toBe(tokenOf(created.path));

      const response = await get(`${tokenOf(created.path)}.ics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe('inline; filename="orbita.ics"');
      expect(response.headers.get('cache-control')).toBe('private, max-age=300');
      const body = await response.text();
      const uids = parse(body).events.map((e) => e.uid.replace('@orbita', ''));
      expect(uids.filter((id) => aliceBlocks.includes(id))).toEqual(aliceBlocks); // in start order
      expect(uids).not.toContain(bobBlock);
      for (const id of outside) expect(uids).not.toContain(id); // 9 days back, 62 ahead
      expect(parse(body).events.find((e) => e.uid === `${aliceBlocks[1]}@orbita`)?.summary).toBe('Feed; block, one');
    });

    it('answers 404 in plain text for unknown tokens and malformed names', async () => {
      const known = tokenOf((await getIcsFeed(ctxOf(alice))).path);
      for (const file of [`${randomBytes(32).toString('base64url')}.ics`, known, `${known}.txt`, `${known}.ICS`, 'x.ics', '.ics', `${known}.ics.ics`]) {
        const response = await get(file);
        expect(response.status, file).toBe(404);
        expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(await response.text()).toBe('not found\n');
      }
      expect(await icsForFeedToken(database.db, 'not-a-token')).toBeNull();
    });

    it('rotating makes the old URL 404; turning off makes the current one 404', async () => {
      const old = tokenOf((await getIcsFeed(ctxOf(alice))).path);
      const rotated = tokenOf((await enableIcsFeed(ctxOf(alice))).path);
      expect(rotated).not.toBe(old);
      expect((await get(`${old}.ics`)).status).toBe(404);
      expect((await get(`${rotated}.ics`)).status).toBe(200);

      const bobToken = tokenOf((await enableIcsFeed(ctxOf(bob))).path);
      const bobFeed = parse(await (await get(`${bobToken}.ics`)).text()).events.map((e) => e.uid.replace('@orbita', ''));
      expect(bobFeed).toContain(bobBlock);
      expect(bobFeed.some((id) => aliceBlocks.includes(id))).toBe(false);

      expect(await disableIcsFeed(ctxOf(alice))).toEqual({ path: null });
      expect(await getIcsFeed(ctxOf(alice))).toEqual({ path: null });
      expect((await get(`${rotated}.ics`)).status).toBe(404);
      expect((await get(`${bobToken}.ics`)).status).toBe(200); // Bob's feed is untouched
      expect(await disableIcsFeed(ctxOf(alice))).toEqual({ path: null }); // idempotent
    });
  });

  describe('CLI orbita export', () => {
    it('writes a file, prints to stdout, and rejects bad flags with exit 2', async () => {
      const env = { DATABASE_URL: database.url, ORBITA_USER_ID: alice };
      const output = path.join(tmp, 'schedule.ics');
      const [toFile, toStdout, csv, zero, tooMany] = await Promise.all([
        runCli(['export', '--format', 'ics', '--days', '7', '--output', output], env),
        runCli(['export', '--format', 'ics', '--days', '7'], env),
        runCli(['export', '--format', 'csv'], env),
        runCli(['export', '--format', 'ics', '--days', '0'], env),
        runCli(['export', '--format', 'ics', '--days', '400'], env),
      ]);
      expect(toFile.code, toFile.stderr).toBe(0);
      const written = await readFile(output, 'utf8');
      const events = parse(written).events;
      expect(toFile.stdout).toBe(`wrote ${events.length} event${events.length === 1 ? '' : 's'} to ${output}\n`);
      // The real clock: the feed-test block tomorrow is inside 7 days, the one 60 days ahead is not.
      expect(events.length).toBeGreaterThanOrEqual(1);
      expect(events.every((e) => e.end > Date.now() - 86_400_000 && e.start < Date.now() + 8 * 86_400_000)).toBe(true);

      expect(toStdout.code).toBe(0);
      expect(toStdout.stdout.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
      expect(parse(toStdout.stdout).events.map((e) => e.uid).sort()).toEqual(events.map((e) => e.uid).sort());

      for (const [result, field] of [[csv, 'format'], [zero, 'days'], [tooMany, 'days']] as const) {
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(new RegExp(`^orbita: ${field}`));
      }
    }, 60_000);
  });
});
