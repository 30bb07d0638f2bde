import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type Candidate, orderCandidates, plan, type PlanInput, type PlanResult } from '../../lib/scheduling/plan';
import { type Interval, localInterval, minute, personalWindow, workingWindow } from '../../lib/scheduling/windows';
import { addDays, atLocalMinute } from '../../lib/time';

/**
 * Properties of the pure planner over random candidates, busy time, working hours and zones
 * (including DST changes inside the planned days, a 30-minute DST zone, a +05:45 zone and a zone
 * whose DST change is at midnight).
 */
// PLAN_PROPERTY_RUNS=5000 for a longer hunt (default 200, the dense one at least 500).
const runs = { numRuns: Number(process.env.PLAN_PROPERTY_RUNS ?? 200) };
const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Santiago'];
// Start dates a few days before DST changes of those zones (and one quiet date).
const startDates = ['2026-03-06', '2026-03-27', '2026-04-02', '2026-09-04', '2026-10-02', '2026-10-23', '2026-10-30', '2026-06-15'];
const windows = [undefined, { startMinute: 360, endMinute: 720 }, { startMinute: 720, endMinute: 1020 }, { startMinute: 1020, endMinute: 1260 }, { startMinute: 1260, endMinute: 1440 }];
const priorities = ['none', 'low', 'medium', 'high', 'urgent'] as const;
const hour = 60 * minute;

const arbHours = fc
  .record({ start: fc.integer({ min: 0, max: 88 }), length: fc.integer({ min: 2, max: 48 }) })
  .map(({ start, length }) => ({ startMinute: start * 15, endMinute: Math.min(1440, start * 15 + length * 15) }));

const arbInput: fc.Arbitrary<PlanInput> = fc
  .record({
    zone: fc.constantFrom(...zones),
    start: fc.constantFrom(...startDates),
    days: fc.integer({ min: 1, max: 4 }),
    hours: fc.array(fc.option(arbHours, { nil: undefined }), { minLength: 7, maxLength: 7 }),
    personal: fc.record({ start: fc.integer({ min: 0, max: 80 }), length: fc.integer({ min: 4, max: 96 }) }),
    granularityMinutes: fc.constantFrom(5, 10, 15, 30, 60),
    bufferMinutes: fc.constantFrom(0, 5, 10, 15),
    nowOffset: fc.integer({ min: -12 * hour, max: 20 * hour }),
    busy: fc.array(fc.record({ at: fc.integer({ min: 0, max: 4 * 24 * hour }), length: fc.integer({ min: 1, max: 240 }) }), { maxLength: 15 }),
    candidates: fc.array(
      fc.record({
        kind: fc.constantFrom('task', 'task', 'task', 'habit', 'meeting'),
        ref: fc.integer({ min: 0, max: 40 }),
        // Mostly short multiples of 5 (so many fit and due times bind exactly), sometimes anything.
        duration: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 18 }).map((n) => n * 5), weight: 4 }, { arbitrary: fc.integer({ min: 1, max: 240 }), weight: 1 }),
        createdAt: fc.integer({ min: 0, max: 5 }),
        priority: fc.constantFrom(...priorities),
        // Due at a 5-minute mark (binding exactly now and then), or anywhere in the horizon.
        due: fc.option(fc.oneof(fc.integer({ min: -72, max: 4 * 24 * 12 }).map((n) => n * 5 * minute), fc.integer({ min: -6 * hour, max: 4 * 24 * hour })), { nil: null }),
        dateIndex: fc.integer({ min: 0, max: 4 }),
        preferredStartMinute: fc.integer({ min: 0, max: 1439 }),
        window: fc.integer({ min: 0, max: windows.length - 1 }),
      }),
      { maxLength: 30 },
    ),
  })
  .map((r) => {
    const dates = Array.from({ length: r.days }, (_, i) => addDays(r.start, i));
    const base = DateTime.fromISO(r.start, { zone: r.zone }).startOf('day').toMillis();
    const candidates: Candidate[] = r.candidates.map((c, i) => {
      const common = { refId: `r${c.ref}`, title: `c${i}`, createdAt: c.createdAt };
      // Meetings/habits may name a date just outside the planned ones (dateIndex up to 4).
      const date = addDays(r.start, Math.min(c.dateIndex, r.days));
      if (c.kind === 'meeting') return { ...common, kind: 'meeting', durationMinutes: Math.max(5, c.duration), date, preferredStartMinute: c.preferredStartMinute };
      if (c.kind === 'habit') return { ...common, kind: 'habit', durationMinutes: Math.min(c.duration, 120), date, preferredWindow: windows[c.window] };
      return { ...common, kind: 'task', durationMinutes: Math.max(5, c.duration), priority: c.priority, dueAt: c.due === null ? null : base + c.due };
    });
    return {
      candidates,
      busy: r.busy.map((b) => ({ start: base + b.at, end: base + b.at + b.length * minute })),
      dates,
      zone: r.zone,
      workingHours: r.hours.flatMap((h, weekday) => (h ? [{ weekday, ...h }] : [])),
      personalHours: { startMinute: r.personal.start * 15, endMinute: Math.min(1440, r.personal.start * 15 + r.personal.length * 15) },
      now: base + r.nowOffset,
      bufferMinutes: r.bufferMinutes,
      granularityMinutes: r.granularityMinutes,
    };
  });

/**
 * Dense inputs: a few hours around a DST change (or a :45 / plain zone), everything on 5-minute
 * marks, so exact fits, due times that bind to the minute, equally near alternatives and starts
 * next to the change are common.
 */
const denseDays = [
  { zone: 'Europe/Berlin', date: '2026-03-29' },
  { zone: 'Europe/Berlin', date: '2026-10-25' },
  { zone: 'America/New_York', date: '2026-03-08' },
  { zone: 'America/New_York', date: '2026-11-01' },
  { zone: 'Australia/Lord_Howe', date: '2026-04-05' },
  { zone: 'Australia/Lord_Howe', date: '2026-10-04' },
  { zone: 'America/Santiago', date: '2026-09-06' },
  { zone: 'America/Santiago', date: '2026-04-04' },
  { zone: 'Asia/Kathmandu', date: '2026-06-15' },
  { zone: 'UTC', date: '2026-06-15' },
];
const arbDense: fc.Arbitrary<PlanInput> = fc
  .record({
    day: fc.constantFrom(...denseDays),
    days: fc.integer({ min: 1, max: 2 }),
    work: fc.record({ start: fc.integer({ min: 0, max: 20 }), length: fc.integer({ min: 4, max: 16 }) }),
    personal: fc.record({ start: fc.integer({ min: 0, max: 20 }), length: fc.integer({ min: 4, max: 16 }) }),
    granularityMinutes: fc.constantFrom(5, 10, 15, 30, 60),
    bufferMinutes: fc.constantFrom(0, 5, 10),
    nowMinutes: fc.integer({ min: -60, max: 180 }),
    busy: fc.array(fc.record({ at: fc.integer({ min: 0, max: 72 }), length: fc.integer({ min: 1, max: 12 }) }), { maxLength: 6 }),
    candidates: fc.array(
      fc.record({
        kind: fc.constantFrom('task', 'task', 'habit', 'meeting'),
        duration: fc.integer({ min: 1, max: 12 }),
        priority: fc.constantFrom(...priorities),
        due: fc.option(fc.oneof(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 0, max: 72 + 288 })), { nil: null }),
        dateIndex: fc.integer({ min: 0, max: 1 }),
        preferred: fc.integer({ min: 0, max: 72 }),
        window: fc.integer({ min: 0, max: windows.length - 1 }),
      }),
      { maxLength: 12 },
    ),
  })
  .map((r) => {
    const { zone, date } = r.day;
    const dates = Array.from({ length: r.days }, (_, i) => addDays(date, i));
    const base = DateTime.fromISO(date, { zone }).startOf('day').toMillis();
    const hours = (h: { start: number; length: number }) => ({ startMinute: h.start * 15, endMinute: h.start * 15 + h.length * 15 });
    const candidates: Candidate[] = r.candidates.map((c, i) => {
      const common = { refId: `r${i % 3}`, title: `c${i}`, createdAt: 0, durationMinutes: c.duration * 5, date: dates[Math.min(c.dateIndex, r.days - 1)] };
      if (c.kind === 'meeting') return { ...common, kind: 'meeting', preferredStartMinute: c.preferred * 5 };
      // Habits here use windows shifted to the early hours (the DST changes happen at night).
      if (c.kind === 'habit') return { ...common, kind: 'habit', preferredWindow: c.window ? { startMinute: (c.window - 1) * 60, endMinute: (c.window + 1) * 60 } : undefined };
      return { ...common, kind: 'task', date: undefined, priority: c.priority, dueAt: c.due === null ? null : base + c.due * 5 * minute };
    });
    return {
      candidates,
      busy: r.busy.map((b) => ({ start: base + b.at * 5 * minute, end: base + (b.at + b.length) * 5 * minute })),
      dates,
      zone,
      workingHours: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, ...hours(r.work) })),
      personalHours: hours(r.personal),
      now: base + r.nowMinutes * minute,
      bufferMinutes: r.bufferMinutes,
      granularityMinutes: r.granularityMinutes,
    };
  });

const blockMs = (c: Candidate) => Math.max(5, Math.ceil(c.durationMinutes)) * minute;
const inside = (block: Interval, window: Interval) => block.start >= window.start && block.end <= window.end;
const apart = (a: Interval, b: Interval, gap: number) => a.end + gap <= b.start || b.end + gap <= a.start;

/** Personal hours ∩ the habit's preferred window on its date, as instants (undefined when empty). */
function habitWindow(input: PlanInput, c: Candidate): Interval | undefined {
  const [personal] = personalWindow(c.date!, input.zone, input.personalHours);
  if (!personal) return undefined;
  const preferred = c.preferredWindow ? localInterval(c.date!, c.preferredWindow.startMinute, c.preferredWindow.endMinute, input.zone) : personal;
  const window = { start: Math.max(personal.start, preferred.start), end: Math.min(personal.end, preferred.end) };
  return window.end > window.start ? window : undefined;
}

function checkValid(input: PlanInput, result: PlanResult) {
  const buffer = (input.bufferMinutes ?? 5) * minute;
  const step = (input.granularityMinutes ?? 5) * minute;
  const earliest = Math.ceil(input.now / (5 * minute)) * 5 * minute;
  // Every candidate is either placed or reported, once.
  expect(result.placements.length + result.failures.length).toBe(input.candidates.length);
  for (const f of result.failures) expect(f.reason).toMatch(/\S/);
  for (const [i, p] of result.placements.entries()) {
    const c = p.candidate;
    expect(p.end - p.start).toBe(blockMs(c));
    expect(p.start).toBeGreaterThanOrEqual(earliest);
    expect(input.dates).toContain(p.date);
    // Aligned in local wall time.
    const offset = DateTime.fromMillis(p.start, { zone: input.zone }).offset * minute;
    expect((((p.start + offset) % step) + step) % step).toBe(0);
    if (c.kind === 'habit') {
      expect(p.date).toBe(c.date);
      const window = habitWindow(input, c);
      expect(window).toBeDefined();
      expect(inside(p, window!)).toBe(true);
    } else {
      if (c.kind === 'meeting') expect(p.date).toBe(c.date);
      const [work] = workingWindow(p.date, input.zone, input.workingHours);
      expect(work).toBeDefined();
      expect(inside(p, work)).toBe(true);
      // Before a future due time, or after it flagged; an overdue task flagged as such.
      if (c.dueAt != null && c.dueAt > input.now) expect(p.flag === 'after_due' ? p.end > c.dueAt : p.end <= c.dueAt).toBe(true);
      else expect(p.flag).toBe(c.dueAt == null ? undefined : 'overdue');
    }
    for (const b of input.busy) if (b.end > b.start) expect(apart(p, b, buffer)).toBe(true);
    for (const q of result.placements.slice(i + 1)) expect(apart(p, q, buffer)).toBe(true);
  }
  expect(result.utilisation).toBeGreaterThanOrEqual(0);
  expect(result.utilisation).toBeLessThanOrEqual(1);
}

/**
 * A brute-force reference planner: the same rules, checked start by start (every aligned start of
 * every planned day) against busy time and the blocks placed so far. Slow, obviously right.
 */
function referencePlan(input: PlanInput): { title: string; date: string; start: number; end: number }[] {
  const buffer = (input.bufferMinutes ?? 5) * minute;
  const step = (input.granularityMinutes ?? 5) * minute;
  const earliest = Math.ceil(input.now / (5 * minute)) * 5 * minute;
  const busy = input.busy.filter((b) => b.end > b.start);
  const placed: { title: string; date: string; start: number; end: number }[] = [];
  const starts = new Map<string, number[]>();
  for (const date of input.dates) {
    const from = atLocalMinute(date, 0, input.zone).getTime();
    const to = atLocalMinute(date, 1440, input.zone).getTime();
    const list: number[] = [];
    for (let t = Math.floor(from / (5 * minute)) * 5 * minute; t <= to; t += 5 * minute) {
      const offset = DateTime.fromMillis(t, { zone: input.zone }).offset * minute;
      if ((((t + offset) % step) + step) % step === 0) list.push(t);
    }
    starts.set(date, list);
  }
  const free = (s: number, length: number, window: Interval, due: number) =>
    s >= window.start &&
    s + length <= window.end &&
    s >= earliest &&
    s + length <= due &&
    busy.every((b) => apart({ start: s, end: s + length }, b, buffer)) &&
    placed.every((p) => apart({ start: s, end: s + length }, p, buffer));
  for (const c of orderCandidates(input.candidates)) {
    const length = blockMs(c);
    let best: { date: string; start: number } | null = null;
    if (c.kind === 'meeting' || c.kind === 'habit') {
      if (!c.date || !input.dates.includes(c.date)) continue;
      let window: Interval | undefined;
      if (c.kind === 'meeting') window = workingWindow(c.date, input.zone, input.workingHours)[0];
      else window = habitWindow(input, c);
      if (!window) continue;
      const preferred =
        c.kind === 'meeting' ? atLocalMinute(c.date, Math.min(1440, Math.max(0, c.preferredStartMinute ?? 0)), input.zone).getTime() : Number.NEGATIVE_INFINITY;
      for (const s of starts.get(c.date)!) {
        if (!free(s, length, window, Number.POSITIVE_INFINITY)) continue;
        if (!best || Math.abs(s - preferred) < Math.abs(best.start - preferred)) best = { date: c.date, start: s };
      }
    } else {
      // Before its due time when it can be, else (the same search without it) after it.
      const dueLimits = c.dueAt != null && c.dueAt > input.now ? [c.dueAt, Number.POSITIVE_INFINITY] : [Number.POSITIVE_INFINITY];
      for (const due of dueLimits) {
        for (const date of input.dates) {
          const [window] = workingWindow(date, input.zone, input.workingHours);
          if (!window) continue;
          const s = starts.get(date)!.find((t) => free(t, length, window, due));
          if (s !== undefined) {
            best = { date, start: s };
            break;
          }
        }
        if (best) break;
      }
    }
    if (best) placed.push({ title: c.title, date: best.date, start: best.start, end: best.start + length });
  }
  return placed;
}

describe('plan (properties)', () => {
  it('places exactly what a brute-force reference planner places', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const actual = plan(input).placements.map((p) => ({ title: p.candidate.title, date: p.date, start: p.start, end: p.end }));
        expect(actual).toEqual(referencePlan(input));
      }),
      runs,
    );
  });

  it('places exactly what the reference places on dense inputs around DST changes', () => {
    fc.assert(
      fc.property(arbDense, (input) => {
        const result = plan(input);
        checkValid(input, result);
        const actual = result.placements.map((p) => ({ title: p.candidate.title, date: p.date, start: p.start, end: p.end }));
        expect(actual).toEqual(referencePlan(input));
      }),
      { numRuns: Math.max(500, runs.numRuns) },
    );
  });

  it('places blocks that never overlap busy time or each other (with the buffer), inside their hours, aligned, after now', () => {
    const seen = { runs: 0, withPlacements: 0, task: 0, habit: 0, meeting: 0, failures: 0 };
    fc.assert(
      fc.property(arbInput, (input) => {
        const result = plan(input);
        checkValid(input, result);
        seen.runs++;
        if (result.placements.length) seen.withPlacements++;
        for (const p of result.placements) seen[p.candidate.kind]++;
        seen.failures += result.failures.length;
      }),
      runs,
    );
    // The generator is meaningful: most runs place something, of every kind, and some fail.
    expect(seen.withPlacements).toBeGreaterThan(seen.runs / 2);
    expect(Math.min(seen.task, seen.habit, seen.meeting, seen.failures)).toBeGreaterThan(20);
  });

  it('respects priority order: an earlier-ordered task of the same or shorter length is never placed later', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const result = plan(input);
        const placed = new Map(result.placements.map((p) => [p.candidate, p]));
        const tasks = orderCandidates(input.candidates).filter((c) => c.kind === 'task');
        for (let i = 0; i < tasks.length; i++) {
          for (let j = i + 1; j < tasks.length; j++) {
            const a = tasks[i];
            const b = tasks[j];
            const pb = placed.get(b);
            if (blockMs(a) > blockMs(b) || !pb) continue;
            const pa = placed.get(a);
            // b's slot was free when a was planned, and a would have fit in it: so a went earlier
            // (before its due time, or failing that at the first free slot after it).
            expect(pa).toBeDefined();
            expect(pa!.start).toBeLessThan(pb.start);
          }
        }
      }),
      runs,
    );
  });

  it('is idempotent: planning again around its own placements places nothing and reports the same failures', () => {
    fc.assert(
      fc.property(arbInput, (input) => {
        const first = plan(input);
        const second = plan({
          ...input,
          busy: [...input.busy, ...first.placements.map((p) => ({ start: p.start, end: p.end }))],
          candidates: first.failures.map((f) => f.candidate),
        });
        expect(second.placements).toEqual([]);
        // The same items (the sentences may name a smaller longest slot: the first run's later placements are busy now).
        expect(second.failures.map((f) => f.candidate)).toEqual(first.failures.map((f) => f.candidate));
      }),
      runs,
    );
  });

  it('gives the same result for shuffled candidates and busy time', () => {
    const arb = arbInput.chain((input) =>
      fc.tuple(
        fc.constant(input),
        fc.shuffledSubarray(input.candidates, { minLength: input.candidates.length, maxLength: input.candidates.length }),
        fc.shuffledSubarray(input.busy, { minLength: input.busy.length, maxLength: input.busy.length }),
      ),
    );
    fc.assert(
      fc.property(arb, ([input, candidates, busy]) => {
        expect(plan({ ...input, candidates, busy })).toEqual(plan(input));
      }),
      runs,
    );
  });
});
