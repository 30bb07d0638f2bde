/**
 * Test-only clock shift: `ORBITA_TEST_CLOCK_OFFSET=365d` moves "now" a year ahead for the test
 * process and for every process the tests start (the `orbita` CLI, the MCP server, the worker), so
 * a test that hard-codes a date going through the real clock fails today instead of on that date.
 * `npm run test:shifted` runs the suite this way; see README.md (Development, "Dates in tests").
 *
 * What moves: `new Date()` with no argument, `Date()` called as a function and `Date.now()` (luxon's
 * `DateTime.now()` reads `Date.now()`, so it follows). What does not: `new Date(value)`,
 * `performance.now()`, timers, and PostgreSQL's own `now()` (column defaults, SQL comparisons).
 *
 * The guard: the variable is honoured only when NODE_ENV is `test` (vitest sets it when unset; the
 * test helpers start the CLI, MCP server and worker with it). Anywhere else a set variable is ignored with a
 * one-line warning on stderr, so a stray value in a deployment's environment can never move the
 * product's clock. The offset is `<duration>` or `-<duration>` in lib/duration.ts's syntax (`365d`,
 * `-30d`, `1d12h`); a malformed value stops the process with a message naming the variable.
 *
 * Loaded first by the entry points (bin/orbita.mjs, mcp/main.ts, worker/main.ts) and by vitest's
 * setupFiles; importing it again re-applies the same offset to the original Date (never twice). The
 * Next.js server does not load it: `next start` runs with NODE_ENV=production, so the Playwright
 * suite runs on the real clock.
 */
import { parseDuration } from '../duration';

export const clockOffsetVariable = 'ORBITA_TEST_CLOCK_OFFSET';

/** The offset in milliseconds for a value like `365d` or `-30d`. */
export function parseClockOffset(text: string): number {
  const negative = text.trim().startsWith('-');
  const ms = parseDuration(negative ? text.trim().slice(1) : text);
  if (ms === null) throw new Error(`${clockOffsetVariable} must be a duration such as 365d or -30d (got "${text}")`);
  return negative ? -ms : ms;
}

/** The offset the environment asks for: 0 unless the variable is set and NODE_ENV is `test`. */
export function clockOffsetFromEnv(env: Record<string, string | undefined> = process.env): number {
  const value = env[clockOffsetVariable]?.trim();
  if (!value) return 0;
  if (env.NODE_ENV !== 'test') {
    process.stderr.write(`orbita: ${clockOffsetVariable} is ignored: it is honoured only when NODE_ENV=test\n`);
    return 0;
  }
  return parseClockOffset(value);
}

/** The variable for a child process's environment, so the processes a test starts share its clock. */
export function clockShiftEnv(env: Record<string, string | undefined> = process.env): Record<string, string> {
  const value = env[clockOffsetVariable];
  return value ? { [clockOffsetVariable]: value } : {};
}

const realDateKey = Symbol.for('orbita.realDate');
const holder = globalThis as unknown as { [realDateKey]?: DateConstructor };

/** The unshifted Date constructor (the global one when no shift is installed). */
export function realDate(): DateConstructor {
  return holder[realDateKey] ?? Date;
}

/** Replaces the global Date with one whose "now" is `offsetMs` ahead (0 restores the original). */
export function installClockShift(offsetMs: number): void {
  const RealDate = realDate();
  if (offsetMs === 0) {
    globalThis.Date = RealDate;
    RealDate.prototype.constructor = RealDate;
    delete holder[realDateKey];
    return;
  }
  const now = () => RealDate.now() + offsetMs;
  const Shifted = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length ? args : [now()], newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, property, receiver) => (property === 'now' ? now : Reflect.get(target, property, receiver)),
  });
  holder[realDateKey] = RealDate;
  globalThis.Date = Shifted;
  // `new someDate.constructor()` then also reads the shifted clock.
  RealDate.prototype.constructor = Shifted;
}

installClockShift(clockOffsetFromEnv());
