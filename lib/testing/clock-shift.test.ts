import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { projectRoot } from '../paths';
import { clockOffsetFromEnv, clockShiftEnv, installClockShift, parseClockOffset, realDate } from './clock-shift';

const day = 86_400_000;

// Whatever a test installs, the file ends on the clock the run asked for (npm run test:shifted shifts it).
afterEach(() => installClockShift(clockOffsetFromEnv()));

describe('ORBITA_TEST_CLOCK_OFFSET', () => {
  it("vitest's setup file gave this process the run's offset (none unless the variable is set)", () => {
    // Read from the variable, not through the guard: a shifted run under another NODE_ENV fails here
    // instead of passing unshifted.
    const asked = process.env.ORBITA_TEST_CLOCK_OFFSET ? parseClockOffset(process.env.ORBITA_TEST_CLOCK_OFFSET) : 0;
    expect(Math.abs(Date.now() - realDate().now() - asked)).toBeLessThan(1_000);
  });

  it('parses durations ahead and behind, and names the variable when malformed', () => {
    expect(parseClockOffset('365d')).toBe(365 * day);
    expect(parseClockOffset('-30d')).toBe(-30 * day);
    expect(parseClockOffset(' 1d12h ')).toBe(1.5 * day);
    for (const bad of ['a year', '365', '-', '0d', '+3d']) expect(() => parseClockOffset(bad)).toThrow(/^ORBITA_TEST_CLOCK_OFFSET must be a duration such as 365d/);
  });

  it('is honoured only when NODE_ENV=test: anywhere else it is ignored with a warning', () => {
    const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(clockOffsetFromEnv({ NODE_ENV: 'test', ORBITA_TEST_CLOCK_OFFSET: '2d' })).toBe(2 * day);
      expect(clockOffsetFromEnv({ NODE_ENV: 'test' })).toBe(0);
      expect(warn).not.toHaveBeenCalled();
      for (const NODE_ENV of ['production', 'development', undefined]) expect(clockOffsetFromEnv({ NODE_ENV, ORBITA_TEST_CLOCK_OFFSET: '365d' })).toBe(0);
      expect(warn).toHaveBeenCalledTimes(3);
      expect(warn).toHaveBeenCalledWith('orbita: ORBITA_TEST_CLOCK_OFFSET is ignored: it is honoured only when NODE_ENV=test\n');
    } finally {
      warn.mockRestore();
    }
    expect(clockShiftEnv({ ORBITA_TEST_CLOCK_OFFSET: '365d' })).toEqual({ ORBITA_TEST_CLOCK_OFFSET: '365d' });
    expect(clockShiftEnv({})).toEqual({});
  });

  it('moves Date.now(), new Date() and Date() but not a given instant; installing again never adds up', () => {
    const RealDate = realDate();
    installClockShift(365 * day);
    installClockShift(365 * day);
    const expected = RealDate.now() + 365 * day;
    for (const now of [Date.now(), new Date().getTime(), Date.parse(Date()), new (new Date(0).constructor as DateConstructor)().getTime()]) {
      expect(Math.abs(now - expected)).toBeLessThan(5_000);
    }
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(new Date(2026, 11, 8).getFullYear()).toBe(2026);
    expect(Date.UTC(2026, 0, 1)).toBe(RealDate.UTC(2026, 0, 1));
    expect(new Date()).toBeInstanceOf(Date);
    expect(new Date()).toBeInstanceOf(RealDate);
    expect(Object.prototype.toString.call(new Date())).toBe('[object Date]');
    class Sub extends Date {}
    expect(Math.abs(new Sub().getTime() - expected)).toBeLessThan(5_000);

    installClockShift(0);
    expect(Date).toBe(RealDate);
    expect(Math.abs(Date.now() - RealDate.now())).toBeLessThan(5);
  });

  it('shifts a started process only under NODE_ENV=test', () => {
    const script = "await import('./lib/testing/clock-shift.ts'); console.log(Date.now())";
    const run = (NODE_ENV: 'test' | 'production') => {
      const before = realDate().now();
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: projectRoot,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV, ORBITA_TEST_CLOCK_OFFSET: '-30d' },
      });
      return { ahead: Math.round((Number(child.stdout) - before) / day), stderr: child.stderr };
    };
    expect(run('test')).toEqual({ ahead: -30, stderr: '' });
    expect(run('production')).toEqual({ ahead: 0, stderr: 'orbita: ORBITA_TEST_CLOCK_OFFSET is ignored: it is honoured only when NODE_ENV=test\n' });
  });
});
