import { describe, expect, it } from 'vitest';
import { parseQuickAdd } from '../../lib/tasks/quick-add';
import { createTaskSchema } from '../../lib/tasks/schemas';

// Saturday 28 November 2026.
const today = '2026-11-28';
const parse = (text: string, on = today) => parseQuickAdd(text, { today: on });

describe('parseQuickAdd', () => {
  it('reads the example from the issue', () => {
    expect(parse('Write report 45m !high tomorrow')).toEqual({
      title: 'Write report',
      estimateMinutes: 45,
      priority: 'high',
      due: '2026-11-29',
      understood: ['45 min', 'high priority', 'due Sun 29 Nov'],
    });
  });

  it('gives just the title when nothing is recognised, whitespace collapsed', () => {
    expect(parse('  Call   the   bank  ')).toEqual({ title: 'Call the bank', understood: [] });
    expect(parse('')).toEqual({ title: '', understood: [] });
  });

  it('finds tokens anywhere in the text', () => {
    expect(parse('tomorrow !low Buy milk 10m')).toMatchObject({ title: 'Buy milk', estimateMinutes: 10, priority: 'low', due: '2026-11-29' });
    expect(parse('Plan !urgent the 1h launch')).toMatchObject({ title: 'Plan the launch', estimateMinutes: 60, priority: 'urgent' });
  });

  describe('durations', () => {
    it.each([
      ['45m', 45],
      ['45min', 45],
      ['45mins', 45],
      ['1h', 60],
      ['1.5h', 90],
      ['1h30m', 90],
      ['1h30', 90],
      ['2hrs', 120],
      ['90 min', 90],
      ['2 hours', 120],
      ['30 minutes', 30],
      ['1H30M', 90],
    ])('%s is %i minutes', (token, minutes) => {
      const parsed = parse(`Review ${token} draft`);
      expect(parsed.estimateMinutes).toBe(minutes);
      expect(parsed.title).toBe('Review draft');
      expect(parsed.understood).toEqual([`${minutes} min`]);
    });

    it('leaves words that only look like durations in the title', () => {
      expect(parse('Order 45mm bolts')).toEqual({ title: 'Order 45mm bolts', understood: [] });
      expect(parse('Read 1984 again')).toEqual({ title: 'Read 1984 again', understood: [] });
      expect(parse('Fix h1 heading')).toEqual({ title: 'Fix h1 heading', understood: [] });
      expect(parse('Zero 0m')).toEqual({ title: 'Zero 0m', understood: [] });
    });

    it('keeps the first estimate; a later one stays in the title', () => {
      expect(parse('Sprint 25m 5m')).toMatchObject({ title: 'Sprint 5m', estimateMinutes: 25 });
    });
  });

  describe('priorities', () => {
    it.each([
      ['!low', 'low'],
      ['!medium', 'medium'],
      ['!med', 'medium'],
      ['!high', 'high'],
      ['!HIGH', 'high'],
      ['!urgent', 'urgent'],
      ['!!', 'high'],
      ['!!!', 'urgent'],
    ])('%s is %s', (token, priority) => {
      expect(parse(`Pay rent ${token}`)).toMatchObject({ title: 'Pay rent', priority, understood: [`${priority} priority`] });
    });

    it('leaves unknown ones in the title', () => {
      expect(parse('Fix !foo now')).toEqual({ title: 'Fix !foo now', understood: [] });
      expect(parse('Wow !')).toEqual({ title: 'Wow !', understood: [] });
      expect(parse('Check !constructor')).toEqual({ title: 'Check !constructor', understood: [] });
    });

    it('only gives priorities the task schema accepts', () => {
      const parsed = parse('A !!! 45m tomorrow');
      expect(createTaskSchema.safeParse({ title: parsed.title, priority: parsed.priority, durationMinutes: parsed.estimateMinutes, due: parsed.due }).success).toBe(true);
    });
  });

  describe('dates', () => {
    it('today and tomorrow', () => {
      expect(parse('Stretch today')).toMatchObject({ title: 'Stretch', due: '2026-11-28', understood: ['due Sat 28 Nov'] });
      expect(parse('Stretch Tomorrow')).toMatchObject({ title: 'Stretch', due: '2026-11-29' });
    });

    it('weekday names are the next such day', () => {
      expect(parse('Gym monday').due).toBe('2026-11-30');
      expect(parse('Gym mon').due).toBe('2026-11-30');
      expect(parse('Gym fri').due).toBe('2026-12-04');
      expect(parse('Gym Sunday').due).toBe('2026-11-29');
      expect(parse('Gym next friday')).toMatchObject({ title: 'Gym', due: '2026-12-04' });
    });

    it('the weekday of today means the same day next week', () => {
      expect(parse('Gym saturday')).toMatchObject({ due: '2026-12-05', understood: ['due Sat 5 Dec'] });
      expect(parse('Gym sat').due).toBe('2026-12-05');
    });

    it('in N days / weeks', () => {
      expect(parse('Renew passport in 3 days')).toMatchObject({ title: 'Renew passport', due: '2026-12-01' });
      expect(parse('Renew passport in 1 day').due).toBe('2026-11-29');
      expect(parse('Renew passport in 2 weeks').due).toBe('2026-12-12');
      expect(parse('Check in on Bob')).toEqual({ title: 'Check in on Bob', understood: [] });
    });

    it('ISO dates', () => {
      expect(parse('Launch 2026-12-03')).toMatchObject({ title: 'Launch', due: '2026-12-03', understood: ['due Thu 3 Dec'] });
      expect(parse('Launch 2027-02-01')).toMatchObject({ due: '2027-02-01', understood: ['due Mon 1 Feb 2027'] });
      expect(parse('Launch 2026-02-30')).toEqual({ title: 'Launch 2026-02-30', understood: [] });
    });

    it('month and day, either way round', () => {
      expect(parse('Party dec 3')).toMatchObject({ title: 'Party', due: '2026-12-03' });
      expect(parse('Party 3 dec')).toMatchObject({ title: 'Party', due: '2026-12-03' });
      expect(parse('Party December 24').due).toBe('2026-12-24');
      expect(parse('Party nov 28').due).toBe('2026-11-28');
      // Already past this year: next year's.
      expect(parse('Party nov 27')).toMatchObject({ due: '2027-11-27', understood: ['due Sat 27 Nov 2027'] });
      expect(parse('Party feb 30')).toEqual({ title: 'Party feb 30', understood: [] });
      expect(parse('Party feb 29').due).toBe('2028-02-29');
    });

    it('rolls over the year', () => {
      expect(parse('Toast tomorrow', '2026-12-31').due).toBe('2027-01-01');
      expect(parse('Toast in 2 days', '2026-12-31')).toMatchObject({ due: '2027-01-02', understood: ['due Sat 2 Jan 2027'] });
      expect(parse('Toast jan 2', '2026-12-31').due).toBe('2027-01-02');
      expect(parse('Toast dec 31', '2026-12-31').due).toBe('2026-12-31');
      expect(parse('Toast friday', '2026-12-31').due).toBe('2027-01-01');
    });

    it('keeps the first date; later date words stay in the title', () => {
      expect(parse('Move monday meeting to tuesday')).toMatchObject({ title: 'Move meeting to tuesday', due: '2026-11-30' });
    });

    it('leaves date-looking words inside other words in the title', () => {
      expect(parse("Prepare today's slides")).toEqual({ title: "Prepare today's slides", understood: [] });
      expect(parse('Book tomorrowland tickets')).toEqual({ title: 'Book tomorrowland tickets', understood: [] });
      expect(parse('Watch monday.mp4')).toEqual({ title: 'Watch monday.mp4', understood: [] });
    });
  });

  it('may leave an empty title when only tokens were given', () => {
    expect(parse('45m !high tomorrow')).toEqual({ title: '', estimateMinutes: 45, priority: 'high', due: '2026-11-29', understood: ['45 min', 'high priority', 'due Sun 29 Nov'] });
  });

  it('rejects a malformed today', () => {
    expect(() => parseQuickAdd('x', { today: '28/11/2026' })).toThrow(/YYYY-MM-DD/);
  });
});
