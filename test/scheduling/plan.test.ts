import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type Candidate, orderCandidates, plan, type PlanInput } from '../../lib/scheduling/plan';
import type { WeekdayHours } from '../../lib/scheduling/windows';

const zone = 'Europe/Berlin';
const monday = '2026-03-09';
const tuesday = '2026-03-10';
const weekdays9to5: WeekdayHours[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 }));
const everyDay9to5: WeekdayHours[] = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 }));

/** Epoch ms of local `date` `hh:mm` in `tz`. */
const at = (date: string, hhmm: string, tz = zone) => DateTime.fromISO(`${date}T${hhmm}`, { zone: tz }).toMillis();
/** `yyyy-MM-dd HH:mm` of an instant in `tz`. */
const local = (ms: number, tz = zone) => DateTime.fromMillis(ms, { zone: tz }).toFormat('yyyy-MM-dd HH:mm');
const hm = (ms: number, tz = zone) => DateTime.fromMillis(ms, { zone: tz }).toFormat('HH:mm');

let seq = 0;
const task = (title: string, extra: Partial<Candidate> = {}): Candidate => ({
  kind: 'task',
  refId: `t-${title}`,
  title,
  durationMinutes: 30,
  createdAt: 1_000 + seq++,
  priority: 'none',
  dueAt: null,
  ...extra,
});
const meeting = (title: string, date: string, preferredStartMinute: number, extra: Partial<Candidate> = {}): Candidate => ({
  kind: 'meeting',
  refId: `m-${title}`,
  title,
  durationMinutes: 30,
  createdAt: 1_000,
  date,
  preferredStartMinute,
  ...extra,
});
const habit = (title: string, date: string, window?: { startMinute: number; endMinute: number }, extra: Partial<Candidate> = {}): Candidate => ({
  kind: 'habit',
  refId: `h-${title}`,
  title,
  durationMinutes: 20,
  createdAt: 1_000,
  date,
  preferredWindow: window,
  ...extra,
});
const morning = { startMinute: 360, endMinute: 720 };
const evening = { startMinute: 1020, endMinute: 1260 };

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    candidates: [],
    busy: [],
    dates: [monday],
    zone,
    workingHours: weekdays9to5,
    personalHours: { startMinute: 420, endMinute: 1320 },
    now: at('2026-03-09', '00:00'),
    ...overrides,
  };
}

/** `title@yyyy-MM-dd HH:mm–HH:mm` for each placement. */
const summary = (result: ReturnType<typeof plan>, tz = zone) => result.placements.map((p) => `${p.candidate.title}@${local(p.start, tz)}–${hm(p.end, tz)}`);

describe('orderCandidates', () => {
  it('orders meetings, habits with a window, anytime habits, then tasks by priority, due, length, createdAt, refId', () => {
    const due1 = at(monday, '12:00');
    const due2 = at(tuesday, '12:00');
    const expected: Candidate[] = [
      meeting('m1', monday, 600),
      meeting('m2', monday, 840),
      habit('h-morning', monday, morning),
      habit('h-evening', monday, evening),
      habit('h-any', monday),
      task('urgent', { priority: 'urgent' }),
      task('high-due1', { priority: 'high', dueAt: due1 }),
      task('high-due2', { priority: 'high', dueAt: due2 }),
      task('high-nodue-short', { priority: 'high', durationMinutes: 15 }),
      task('high-nodue-long', { priority: 'high', durationMinutes: 60 }),
      task('medium-old', { priority: 'medium', createdAt: 1 }),
      task('medium-new', { priority: 'medium', createdAt: 2 }),
      task('low-a', { priority: 'low', createdAt: 5, refId: 'a' }),
      task('low-b', { priority: 'low', createdAt: 5, refId: 'b' }),
      task('none', { priority: 'none' }),
      task('no-priority', { priority: undefined, createdAt: 99_999 }),
    ];
    for (let i = 0; i < 10; i++) {
      const shuffled = [...expected].sort(() => Math.random() - 0.5);
      expect(orderCandidates(shuffled).map((c) => c.title)).toEqual(expected.map((c) => c.title));
    }
  });

  it('does not modify its input', () => {
    const list = [task('b', { priority: 'low' }), task('a', { priority: 'urgent' })];
    orderCandidates(list);
    expect(list.map((c) => c.title)).toEqual(['b', 'a']);
  });
});

describe('plan: tasks', () => {
  it('places tasks first fit from the start of working hours, 5 minutes apart', () => {
    const result = plan(input({ candidates: [task('one'), task('two', { durationMinutes: 60 })] }));
    expect(summary(result)).toEqual(['one@2026-03-09 09:00–09:30', 'two@2026-03-09 09:35–10:35']);
    expect(result.failures).toEqual([]);
  });

  it('keeps the buffer around busy time', () => {
    // Busy 09:20–10:00: a 30-min task cannot end by 09:15, so it goes to 10:05; a 10-min task fits before.
    const busy = [{ start: at(monday, '09:20'), end: at(monday, '10:00') }];
    const result = plan(input({ busy, candidates: [task('long', { priority: 'high' }), task('short', { durationMinutes: 10 })] }));
    expect(summary(result)).toEqual(['long@2026-03-09 10:05–10:35', 'short@2026-03-09 09:00–09:10']);
  });

  it('honours bufferMinutes (0 = back to back) and granularity', () => {
    const busy = [{ start: at(monday, '09:00'), end: at(monday, '10:02') }];
    expect(summary(plan(input({ busy, candidates: [task('a')] })))).toEqual(['a@2026-03-09 10:10–10:40']);
    expect(summary(plan(input({ busy, bufferMinutes: 0, candidates: [task('a'), task('b')] })))).toEqual([
      'a@2026-03-09 10:05–10:35',
      'b@2026-03-09 10:35–11:05',
    ]);
    expect(summary(plan(input({ busy, granularityMinutes: 15, candidates: [task('a')] })))).toEqual(['a@2026-03-09 10:15–10:45']);
  });

  it('never places anything before now (rounded up to the next 5 minutes)', () => {
    expect(summary(plan(input({ now: at(monday, '11:02'), candidates: [task('a')] })))).toEqual(['a@2026-03-09 11:05–11:35']);
    expect(summary(plan(input({ now: at(monday, '11:00'), candidates: [task('a')] })))).toEqual(['a@2026-03-09 11:00–11:30']);
    const late = plan(input({ now: at(monday, '16:50'), dates: [monday, tuesday], candidates: [task('a')] }));
    expect(summary(late)).toEqual(['a@2026-03-10 09:00–09:30']);
  });

  it('gives the morning to high/urgent tasks, whatever the input order', () => {
    const candidates = [task('low', { priority: 'low' }), task('medium', { priority: 'medium' }), task('urgent', { priority: 'urgent', createdAt: 9e9 }), task('high', { priority: 'high' })];
    expect(summary(plan(input({ candidates })))).toEqual([
      'urgent@2026-03-09 09:00–09:30',
      'high@2026-03-09 09:35–10:05',
      'medium@2026-03-09 10:10–10:40',
      'low@2026-03-09 10:45–11:15',
    ]);
  });

  it('a due task ends by its due time when it can; else it goes at the first slot after it, flagged', () => {
    const busy = [{ start: at(monday, '09:00'), end: at(monday, '09:40') }];
    const ok = plan(input({ busy, candidates: [task('a', { durationMinutes: 15, dueAt: at(monday, '10:00') })] }));
    expect(summary(ok)).toEqual(['a@2026-03-09 09:45–10:00']);
    expect(ok.placements[0].flag).toBeUndefined();
    const tight = plan(input({ busy, candidates: [task('a', { dueAt: at(monday, '10:00') })] }));
    expect(tight.failures).toEqual([]);
    expect(summary(tight)).toEqual(['a@2026-03-09 09:45–10:15']);
    expect(tight.placements[0]).toMatchObject({ flag: 'after_due', note: { code: 'no_slot_before_due', reason: 'no 30-min slot before its due time (today 10:00): placed after it' } });
    // Free 09:00–09:05 and from 09:35: 09:35–10:05 would end 5 minutes late.
    const split = [{ start: at(monday, '09:10'), end: at(monday, '09:30') }];
    const late = plan(input({ busy: split, candidates: [task('a', { dueAt: at(monday, '10:00') })] }));
    expect(summary(late)).toEqual(['a@2026-03-09 09:35–10:05']);
    expect(late.placements[0].flag).toBe('after_due');
    const onTime = plan(input({ busy: split, candidates: [task('a', { dueAt: at(monday, '10:05') })] }));
    expect(summary(onTime)).toEqual(['a@2026-03-09 09:35–10:05']);
    expect(onTime.placements[0].flag).toBeUndefined();
  });

  it('spills to the next working day (skipping days without working hours) when there is no room', () => {
    const friday = '2026-03-13';
    const dates = [friday, '2026-03-14', '2026-03-15', '2026-03-16'];
    const busy = [{ start: at(friday, '08:00'), end: at(friday, '18:00') }];
    const result = plan(input({ dates, busy, now: at(friday, '08:00'), candidates: [task('a')] }));
    expect(summary(result)).toEqual(['a@2026-03-16 09:00–09:30']);
    expect(result.placements[0].date).toBe('2026-03-16');
  });

  it('spills to the next day before its due time when it can, else after it, flagged (a task due today that does not fit lands tomorrow)', () => {
    const busy = [{ start: at(monday, '08:00'), end: at(monday, '18:00') }];
    const ok = plan(input({ dates: [monday, tuesday], busy, candidates: [task('a', { dueAt: at(tuesday, '12:00') })] }));
    expect(summary(ok)).toEqual(['a@2026-03-10 09:00–09:30']);
    expect(ok.placements[0].flag).toBeUndefined();
    const tooLate = plan(input({ dates: [monday, tuesday], busy, candidates: [task('a', { dueAt: at(tuesday, '09:20') })] }));
    expect(summary(tooLate)).toEqual(['a@2026-03-10 09:00–09:30']);
    expect(tooLate.placements[0].note).toEqual({ code: 'no_slot_before_due', reason: 'no 30-min slot before its due time (tomorrow 09:20): placed after it' });
    // The evening: today's hours are over, the task is due tonight; with tomorrow in the plan it goes there.
    const evening = at(monday, '19:00');
    const dueTonight = task('report', { durationMinutes: 45, dueAt: at(monday, '23:59') });
    const week = plan(input({ now: evening, dates: [monday, tuesday], candidates: [dueTonight] }));
    expect(summary(week)).toEqual(['report@2026-03-10 09:00–09:45']);
    expect(week.placements[0].flag).toBe('after_due');
  });

  it('the evening: Plan my day says the working hours are over and offers the first free slot after them', () => {
    const evening = at(monday, '19:00');
    const dueTonight = task('report', { durationMinutes: 45, dueAt: at(monday, '23:59') });
    const today = plan(input({ now: evening, dates: [monday], lookaheadDates: [tuesday, '2026-03-11'], candidates: [dueTonight] }));
    expect(today.placements).toEqual([]);
    expect(today.failures).toEqual([
      {
        candidate: dueTonight,
        code: 'working_hours_over_today',
        reason: 'working hours today ended at 17:00; first free slot tomorrow 09:00, after its due time',
        suggestion: at(tuesday, '09:00'),
      },
    ]);
    // Without a due time, and with tomorrow already busy until 11:00.
    const busyTomorrow = [{ start: at(tuesday, '08:00'), end: at(tuesday, '11:00') }];
    const undated = plan(input({ now: evening, dates: [monday], lookaheadDates: [tuesday], busy: busyTomorrow, candidates: [task('read')] }));
    expect(undated.failures.map((f) => f.reason)).toEqual(['working hours today ended at 17:00; first free slot tomorrow 11:05']);
  });

  it('reports tasks that do not fit or have no working hours; plans an overdue task as soon as possible, first among its priority', () => {
    const busy = [{ start: at(monday, '08:00'), end: at(tuesday, '18:00') }];
    const full = plan(input({ dates: [monday, tuesday], busy, candidates: [task('a', { durationMinutes: 45 })] }));
    expect(full.failures).toEqual([{ candidate: expect.objectContaining({ title: 'a' }), code: 'no_free_time', reason: 'no free time left in working hours on 9 – 10 Mar 2026' }]);
    const fullButLater = plan(input({ dates: [monday, tuesday], lookaheadDates: ['2026-03-11'], busy, candidates: [task('a', { durationMinutes: 45 })] }));
    expect(fullButLater.failures.map((f) => [f.code, f.reason])).toEqual([['no_free_time', 'no free time left in working hours on 9 – 10 Mar 2026; first free slot Wed 11 Mar 09:00']]);
    expect(fullButLater.placements).toEqual([]); // nothing is placed on a lookahead date
    const overdue = plan(input({ now: at(monday, '12:00'), candidates: [task('later'), task('a', { dueAt: at(monday, '11:00') })] }));
    expect(overdue.failures).toEqual([]);
    expect(summary(overdue)).toEqual(['a@2026-03-09 12:00–12:30', 'later@2026-03-09 12:35–13:05']);
    expect(overdue.placements.map((p) => p.flag)).toEqual(['overdue', undefined]);
    expect(overdue.placements[0].note).toEqual({ code: 'overdue', reason: 'past its due time (today 11:00): placed at the first free slot' });
    const weekend = plan(input({ dates: ['2026-03-14', '2026-03-15'], candidates: [task('a')] }));
    expect(weekend.failures.map((f) => [f.code, f.reason])).toEqual([['day_off', 'no working hours on 14 – 15 Mar 2026']]);
    const saturday = plan(input({ dates: ['2026-03-14'], lookaheadDates: ['2026-03-15', '2026-03-16'], candidates: [task('a')] }));
    expect(saturday.failures.map((f) => [f.code, f.reason])).toEqual([['day_off', 'Sat 14 Mar is a day off; first free slot Mon 16 Mar 09:00']]);
    const tooLong = plan(input({ candidates: [task('a', { durationMinutes: 600 })] }));
    expect(tooLong.failures.map((f) => [f.code, f.reason])).toEqual([['longer_than_any_free_slot', 'no 10-hour slot left today (the longest free slot is 480 min)']]);
  });

  it('uses a larger later gap when the first gaps are too small', () => {
    const busy = [
      { start: at(monday, '09:20'), end: at(monday, '09:30') },
      { start: at(monday, '10:00'), end: at(monday, '10:30') },
    ];
    expect(summary(plan(input({ busy, candidates: [task('a', { durationMinutes: 60 })] })))).toEqual(['a@2026-03-09 10:35–11:35']);
  });
});

describe('plan: meetings', () => {
  it('goes at the preferred start when it is free', () => {
    expect(summary(plan(input({ candidates: [meeting('1:1', monday, 840)] })))).toEqual(['1:1@2026-03-09 14:00–14:30']);
  });

  it('else at the nearest free start within working hours', () => {
    const busy = [{ start: at(monday, '13:30'), end: at(monday, '14:30') }];
    // Before: must end by 13:25 → 12:55 (65 min away); after: 14:35 (35 min away).
    expect(summary(plan(input({ busy, candidates: [meeting('1:1', monday, 840)] })))).toEqual(['1:1@2026-03-09 14:35–15:05']);
    const early = [{ start: at(monday, '13:45'), end: at(monday, '15:00') }];
    // Before: 13:10 (50 min away); after: 15:05 (65 min away).
    expect(summary(plan(input({ busy: early, candidates: [meeting('1:1', monday, 840)] })))).toEqual(['1:1@2026-03-09 13:10–13:40']);
  });

  it('prefers the earlier start when both are as near', () => {
    const busy = [{ start: at(monday, '14:00'), end: at(monday, '14:30') }];
    expect(summary(plan(input({ busy, bufferMinutes: 0, candidates: [meeting('1:1', monday, 840)] })))).toEqual(['1:1@2026-03-09 13:30–14:00']);
  });

  it('moves a preferred start outside working hours inside them, and after now', () => {
    expect(summary(plan(input({ candidates: [meeting('1:1', monday, 480)] })))).toEqual(['1:1@2026-03-09 09:00–09:30']);
    expect(summary(plan(input({ candidates: [meeting('1:1', monday, 1080)] })))).toEqual(['1:1@2026-03-09 16:30–17:00']);
    expect(summary(plan(input({ now: at(monday, '14:12'), candidates: [meeting('1:1', monday, 600)] })))).toEqual(['1:1@2026-03-09 14:15–14:45']);
  });

  it('only goes on its date, and comes before tasks', () => {
    const result = plan(
      input({
        dates: [monday, tuesday],
        workingHours: [1, 2].map((weekday) => ({ weekday, startMinute: 600, endMinute: 630 })),
        candidates: [task('task', { priority: 'urgent' }), meeting('1:1', tuesday, 600)],
      }),
    );
    expect(summary(result)).toEqual(['1:1@2026-03-10 10:00–10:30', 'task@2026-03-09 10:00–10:30']);
  });

  it('reports a day without working hours, a full day, a date not planned, and a day that is over', () => {
    const saturday = plan(input({ dates: ['2026-03-14'], candidates: [meeting('1:1', '2026-03-14', 600)] }));
    expect(saturday.failures.map((f) => [f.code, f.reason])).toEqual([['day_off', 'Sat 14 Mar is a day off']]);
    const busy = [{ start: at(monday, '08:00'), end: at(monday, '18:00') }];
    const full = plan(input({ busy, candidates: [meeting('1:1', monday, 600)] }));
    expect(full.failures.map((f) => [f.code, f.reason])).toEqual([['no_free_time', 'no 30-min slot left in working hours today']]);
    const elsewhere = plan(input({ candidates: [meeting('1:1', tuesday, 600)] }));
    expect(elsewhere.failures.map((f) => [f.code, f.reason])).toEqual([['not_a_planned_date', 'it is due tomorrow; this plan covers today']]);
    const over = plan(input({ now: at(monday, '16:45'), candidates: [meeting('1:1', monday, 600)] }));
    expect(over.failures.map((f) => [f.code, f.reason])).toEqual([['working_hours_over_today', 'too late today: working hours end at 17:00']]);
  });
});

describe('plan: habits', () => {
  it('goes at the start of personal hours ∩ its window, else the nearest free slot in the window', () => {
    expect(summary(plan(input({ candidates: [habit('run', monday, morning)] })))).toEqual(['run@2026-03-09 07:00–07:20']);
    expect(summary(plan(input({ personalHours: { startMinute: 300, endMinute: 1380 }, candidates: [habit('run', monday, morning)] })))).toEqual([
      'run@2026-03-09 06:00–06:20',
    ]);
    const busy = [{ start: at(monday, '07:00'), end: at(monday, '07:30') }];
    expect(summary(plan(input({ busy, candidates: [habit('run', monday, morning)] })))).toEqual(['run@2026-03-09 07:35–07:55']);
    expect(summary(plan(input({ candidates: [habit('read', monday, evening)] })))).toEqual(['read@2026-03-09 17:00–17:20']);
  });

  it('an anytime habit takes the earliest free slot in personal hours, after the windowed ones', () => {
    const result = plan(input({ candidates: [habit('any', monday), habit('run', monday, morning)] }));
    expect(summary(result)).toEqual(['run@2026-03-09 07:00–07:20', 'any@2026-03-09 07:25–07:45']);
  });

  it('holds at least a 5-minute block', () => {
    expect(summary(plan(input({ candidates: [habit('water', monday, undefined, { durationMinutes: 2 })] })))).toEqual(['water@2026-03-09 07:00–07:05']);
  });

  it('never leaves its window, and reports why', () => {
    const busy = [{ start: at(monday, '06:00'), end: at(monday, '12:00') }];
    const full = plan(input({ busy, candidates: [habit('run', monday, morning)] }));
    expect(full.failures.map((f) => [f.code, f.reason])).toEqual([['no_slot_in_window', 'no 20-min slot in its morning window within personal hours (07:00–12:00) today']]);
    const outside = plan(input({ personalHours: { startMinute: 780, endMinute: 1320 }, candidates: [habit('run', monday, morning)] }));
    expect(outside.failures.map((f) => [f.code, f.reason])).toEqual([['outside_personal_hours', 'its morning window (06:00–12:00) lies outside personal hours (13:00–22:00)']]);
    const over = plan(input({ now: at(monday, '11:50'), candidates: [habit('run', monday, morning)] }));
    expect(over.failures.map((f) => [f.code, f.reason])).toEqual([['no_slot_in_window', 'its morning window (07:00–12:00) is over today']]);
  });

  it('goes in personal hours on days without working hours, and tasks avoid it', () => {
    const personalHours = { startMinute: 540, endMinute: 1320 };
    const result = plan(input({ personalHours, candidates: [task('task'), habit('run', monday, morning)] }));
    expect(summary(result)).toEqual(['run@2026-03-09 09:00–09:20', 'task@2026-03-09 09:25–09:55']);
    const sunday = plan(input({ dates: ['2026-03-15'], candidates: [habit('run', '2026-03-15', morning)] }));
    expect(summary(sunday)).toEqual(['run@2026-03-15 07:00–07:20']);
  });
});

describe('plan: result', () => {
  it('is identical for shuffled input', () => {
    const dates = [monday, tuesday];
    const candidates = [
      meeting('a', monday, 600),
      meeting('b', tuesday, 600),
      habit('run', monday, morning),
      habit('read', tuesday),
      ...Array.from({ length: 30 }, (_, i) =>
        task(`t${i}`, { priority: (['none', 'low', 'medium', 'high', 'urgent'] as const)[i % 5], durationMinutes: 15 + (i % 4) * 15, createdAt: i % 3, dueAt: i % 7 === 0 ? at(tuesday, '12:00') : null }),
      ),
    ];
    const busy = [
      { start: at(monday, '11:00'), end: at(monday, '12:30') },
      { start: at(tuesday, '09:30'), end: at(tuesday, '10:00') },
    ];
    const first = plan(input({ dates, candidates, busy }));
    for (let i = 0; i < 10; i++) {
      const shuffled = plan(input({ dates, candidates: [...candidates].sort(() => Math.random() - 0.5), busy: [...busy].reverse() }));
      expect(shuffled).toEqual(first);
    }
  });

  it('reports utilisation of working time (busy and placed)', () => {
    const busy = [
      { start: at(monday, '09:00'), end: at(monday, '11:00') },
      { start: at(monday, '06:00'), end: at(monday, '07:00') }, // outside working hours: not counted
    ];
    const result = plan(input({ busy, candidates: [task('a', { durationMinutes: 60 })] }));
    expect(result.utilisation).toBeCloseTo(3 / 8);
    expect(plan(input({ dates: ['2026-03-14'] })).utilisation).toBe(0);
  });

  it('rejects an unknown zone and reports a broken duration', () => {
    expect(() => plan(input({ zone: 'Mars/Olympus' }))).toThrow(/time zone/);
    expect(plan(input({ candidates: [task('a', { durationMinutes: 0 })] })).failures.map((f) => f.reason)).toEqual([
      'its duration (0) is not a positive number of minutes',
    ]);
  });
});

describe('plan: DST', () => {
  const cases = [
    { zone: 'Europe/Berlin', date: '2026-03-29' },
    { zone: 'America/New_York', date: '2026-03-08' },
    { zone: 'America/New_York', date: '2026-11-01' },
  ];
  for (const { zone: tz, date } of cases) {
    it(`${tz} ${date}: a task at 09:00 and a 10:00 meeting at 10:00 local`, () => {
      const result = plan({
        candidates: [task('task', { durationMinutes: 45 }), meeting('1:1', date, 600)],
        busy: [],
        dates: [date],
        zone: tz,
        workingHours: everyDay9to5,
        personalHours: { startMinute: 420, endMinute: 1320 },
        now: DateTime.fromISO(date, { zone: tz }).startOf('day').toMillis(),
      });
      expect(summary(result, tz)).toEqual([`1:1@${date} 10:00–10:30`, `task@${date} 09:00–09:45`]);
      expect(result.placements[1].start).toBe(at(date, '09:00', tz));
      expect(result.placements[1].end - result.placements[1].start).toBe(45 * 60_000);
      expect(result.utilisation).toBeCloseTo(75 / 480);
    });
  }

  it('Europe/Berlin 2026-03-29: reasons show local times on both sides of the change', () => {
    const tz = 'Europe/Berlin';
    const date = '2026-03-29';
    const result = plan({
      candidates: [task('early', { dueAt: at(date, '01:30', tz) }), task('late', { dueAt: at(date, '09:20', tz) }), task('far', { dueAt: at('2026-07-01', '12:00', tz), durationMinutes: 600 })],
      busy: [],
      dates: [date],
      zone: tz,
      workingHours: everyDay9to5,
      personalHours: { startMinute: 420, endMinute: 1320 },
      now: at(date, '00:00', tz),
    });
    // 01:30 is before the clocks go forward at 02:00, 09:20 after.
    expect(result.placements.map((p) => `${p.candidate.title}: ${p.note?.reason}`)).toEqual([
      'early: no 30-min slot before its due time (today 01:30): placed after it',
      'late: no 30-min slot before its due time (today 09:20): placed after it',
    ]);
    expect(result.failures.map((f) => `${f.candidate.title}: ${f.reason}`)).toEqual(['far: no 10-hour slot left today (the longest free slot is 410 min)']);
  });

  it('Europe/Berlin 2026-03-29: 09:00 local is 07:00 UTC (the day before it is 08:00 UTC)', () => {
    const base = { busy: [], zone: 'Europe/Berlin', workingHours: everyDay9to5, personalHours: { startMinute: 420, endMinute: 1320 }, now: 0 };
    const sunday = plan({ ...base, dates: ['2026-03-29'], candidates: [task('a')] });
    expect(new Date(sunday.placements[0].start).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    const saturday = plan({ ...base, dates: ['2026-03-28'], candidates: [task('a')] });
    expect(new Date(saturday.placements[0].start).toISOString()).toBe('2026-03-28T08:00:00.000Z');
  });

  it('Australia/Lord_Howe 2026-10-04 (clocks skip 02:00–02:30): hourly starts stay on the hour', () => {
    const tz = 'Australia/Lord_Howe';
    const date = '2026-10-04';
    const base = { dates: [date], zone: tz, workingHours: [{ weekday: 0, startMinute: 0, endMinute: 300 }], personalHours: { startMinute: 420, endMinute: 1320 }, now: 0, bufferMinutes: 0, granularityMinutes: 60 };
    // Free from 01:45: the next full hour is 03:00 (02:00 does not exist that night).
    const afterGap = plan({ ...base, busy: [{ start: at(date, '00:00', tz), end: at(date, '01:45', tz) }], candidates: [task('a')] });
    expect(summary(afterGap, tz)).toEqual([`a@${date} 03:00–03:30`]);
    // Free until 02:45 (+11:00), a 10-min meeting preferred at 03:00: the latest full hour is 01:00.
    const beforeGap = plan({ ...base, busy: [{ start: at(date, '02:45', tz), end: at(date, '05:00', tz) }], candidates: [meeting('1:1', date, 180, { durationMinutes: 10 })] });
    expect(summary(beforeGap, tz)).toEqual([`1:1@${date} 01:00–01:10`]);
  });

  it('America/New_York 2026-11-01: a block across the repeated hour is real minutes long', () => {
    const result = plan({
      candidates: [task('night', { durationMinutes: 120 })],
      busy: [],
      dates: ['2026-11-01'],
      zone: 'America/New_York',
      workingHours: [{ weekday: 0, startMinute: 0, endMinute: 240 }],
      personalHours: { startMinute: 420, endMinute: 1320 },
      now: 0,
    });
    const [p] = result.placements;
    expect(local(p.start, 'America/New_York')).toBe('2026-11-01 00:00');
    expect(p.end - p.start).toBe(120 * 60_000);
    expect(hm(p.end, 'America/New_York')).toBe('01:00'); // the second 01:00 (EST)
  });
});
