import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../lib/context';
import { allHabits, type HeatmapHabit, habitHeatmaps, heatmapDays, heatmapOf } from '../../lib/habits/heatmap';
import { archiveHabit, createHabit, logHabit } from '../../lib/habits/service';
import { createUser } from '../../lib/identity/users';
import { addDays } from '../../lib/time';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const today = '2026-11-25'; // a Wednesday
const daily: HeatmapHabit = { frequency: 'daily', timesPerWeek: 7, weeklyDay: null, createdOn: addDays(today, -6), archivedOn: null };
const stateOn = (map: ReturnType<typeof heatmapOf>, date: string) => map.cells.find((c) => c.date === date)?.state;

describe('heatmapOf (pure)', () => {
  it('covers 84 days ending today, padded to Monday-based columns', () => {
    const map = heatmapOf(daily, [], today);
    expect(map.cells).toHaveLength(heatmapDays);
    expect(map.cells[0].date).toBe('2026-09-03'); // a Thursday: Mon, Tue, Wed of that week are blank
    expect(map.cells.at(-1)?.date).toBe(today);
    expect(map.leadingBlanks).toBe(3);
    expect(heatmapOf(daily, [], '2026-11-29').leadingBlanks).toBe(0); // a Sunday: the window starts on a Monday
  });

  it('days before the creation date are not due; over days without a completion are missed; today is due until logged', () => {
    const map = heatmapOf(daily, [addDays(today, -6), addDays(today, -4)], today);
    expect(stateOn(map, addDays(today, -7))).toBe('not-due');
    expect(stateOn(map, addDays(today, -6))).toBe('done');
    expect(stateOn(map, addDays(today, -5))).toBe('missed');
    expect(stateOn(map, addDays(today, -4))).toBe('done');
    expect(stateOn(map, addDays(today, -1))).toBe('missed');
    expect(stateOn(map, today)).toBe('due');
    expect(map).toMatchObject({ doneDays: 2, dueDays: 7 });
    expect(stateOn(heatmapOf(daily, [today], today), today)).toBe('done');
  });

  it('weekdays: Saturday and Sunday are not due, but a completion on them still shows done', () => {
    const weekdays: HeatmapHabit = { ...daily, frequency: 'weekdays', timesPerWeek: 5, createdOn: '2026-11-16' };
    const map = heatmapOf(weekdays, ['2026-11-21'], today);
    expect(stateOn(map, '2026-11-20')).toBe('missed'); // Friday
    expect(stateOn(map, '2026-11-21')).toBe('done'); // Saturday
    expect(stateOn(map, '2026-11-22')).toBe('not-due'); // Sunday
    expect(map).toMatchObject({ doneDays: 1, dueDays: 9 }); // 7 weekdays over, Saturday done, today
  });

  it('custom N per week: only a finished week short of N has missed days; a week in progress never does', () => {
    const custom: HeatmapHabit = { ...daily, frequency: 'custom', timesPerWeek: 2, createdOn: '2026-11-09' };
    // Week of Nov 9: done twice (met); week of Nov 16: once (short); this week: nothing yet.
    const map = heatmapOf(custom, ['2026-11-09', '2026-11-11', '2026-11-17'], today);
    expect(stateOn(map, '2026-11-10')).toBe('not-due');
    expect(stateOn(map, '2026-11-12')).toBe('not-due'); // quota reached: no longer due
    expect(stateOn(map, '2026-11-16')).toBe('missed');
    expect(stateOn(map, '2026-11-22')).toBe('missed');
    expect(stateOn(map, '2026-11-23')).toBe('not-due'); // this week is not over
    expect(stateOn(map, today)).toBe('due');
  });

  it('an archived habit has nothing due from its archive date on', () => {
    const archived: HeatmapHabit = { ...daily, archivedOn: addDays(today, -2) };
    const map = heatmapOf(archived, [], today);
    expect(stateOn(map, addDays(today, -3))).toBe('missed');
    expect(stateOn(map, addDays(today, -2))).toBe('not-due');
    expect(stateOn(map, today)).toBe('not-due');
  });

  it('a completion back-dated before the creation date starts the habit there', () => {
    const map = heatmapOf(daily, [addDays(today, -10)], today);
    expect(stateOn(map, addDays(today, -11))).toBe('not-due');
    expect(stateOn(map, addDays(today, -10))).toBe('done');
    expect(stateOn(map, addDays(today, -9))).toBe('missed');
  });
});

describe('habitHeatmaps and allHabits (database)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it('reads the history of every habit, archived ones included, in the user zone', async () => {
    const user = await createUser(database.db, { name: 'Heat', timeZone: 'Asia/Tokyo' });
    const state = { clock: new Date('2026-11-20T01:00:00Z') }; // Fri 10:00 in Tokyo
    const ctx: ServiceContext = { db: database.db, userId: user.id, now: () => state.clock };
    const read = await createHabit(ctx, { name: 'Read' });
    const walk = await createHabit(ctx, { name: 'Walk', frequency: 'weekdays' });
    await logHabit(ctx, read.id, { date: '2026-11-18' });
    state.clock = new Date('2026-11-24T23:30:00Z'); // Wed 08:30 in Tokyo, still Tue in UTC
    await logHabit(ctx, read.id);
    await archiveHabit(ctx, walk.id);

    const habits = await allHabits(ctx);
    expect(habits.map((h) => [h.name, h.archived]).sort()).toEqual([
      ['Read', false],
      ['Walk', true],
    ]);
    const maps = await habitHeatmaps(ctx, habits);
    const readMap = maps.get(read.id);
    expect(readMap?.cells.at(-1)).toEqual({ date: '2026-11-25', state: 'done' });
    expect(readMap && stateOn(readMap, '2026-11-18')).toBe('done');
    expect(readMap && stateOn(readMap, '2026-11-19')).toBe('missed');
    expect(readMap?.doneDays).toBe(2);
    const walkMap = maps.get(walk.id);
    expect(walkMap && stateOn(walkMap, '2026-11-24')).toBe('missed'); // Tuesday, before the archive date
    expect(walkMap?.cells.at(-1)?.state).toBe('not-due');
    expect(await habitHeatmaps(ctx, [])).toEqual(new Map());
  });
});
