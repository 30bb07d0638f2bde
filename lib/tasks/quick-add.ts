import { formatDate } from '../format';
import type { PriorityName } from './schemas';

/*
 * Natural-language quick add: "Write report 45m !high tomorrow" → a title plus estimate, priority
 * and due date. The browser runs it to preview what was understood and the server runs it again on
 * submit, so it stays pure and browser-safe: no Node, no server modules and no luxon (a type-only
 * import is erased). Dates are plain YYYY-MM-DD strings, calculated with Date.UTC.
 */

export interface QuickAddResult {
  title: string;
  estimateMinutes?: number;
  priority?: PriorityName;
  /** Local due date, YYYY-MM-DD. */
  due?: string;
  /** Human labels of what was recognised besides the title, e.g. `45 min`, `high priority`, `due Sun 29 Nov`. */
  understood: string[];
}

export interface QuickAddOptions {
  /** The user's local date today (YYYY-MM-DD): relative dates count from it. */
  today: string;
}

const dayMs = 86_400_000;

const priorityWords: Record<string, PriorityName> = {
  low: 'low',
  medium: 'medium',
  med: 'medium',
  high: 'high',
  urgent: 'urgent',
  '!': 'high', // `!!` once the leading `!` is read
  '!!': 'urgent', // `!!!`
};

const weekdayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const weekdayLong = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const monthLabels = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthLong = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** 0–6 (Sunday first) for `mon`, `monday`, `tues`, `thurs`…; null otherwise. */
function weekdayOf(word: string): number | null {
  const extra: Record<string, number> = { tues: 2, weds: 3, thur: 4, thurs: 4 };
  if (Object.hasOwn(extra, word)) return extra[word];
  const short = weekdayNames.indexOf(word);
  if (short >= 0) return short;
  const long = weekdayLong.indexOf(word);
  return long >= 0 ? long : null;
}

/** 0–11 for `dec`, `december`, `sept`; null otherwise. */
function monthOf(word: string): number | null {
  if (word === 'sept') return 8;
  const short = monthLabels.findIndex((m) => m.toLowerCase() === word);
  if (short >= 0) return short;
  const long = monthLong.indexOf(word);
  return long >= 0 ? long : null;
}

interface CalendarDay {
  year: number;
  month: number; // 0–11
  day: number;
}

function toMs(d: CalendarDay): number {
  return Date.UTC(d.year, d.month, d.day);
}

function fromMs(ms: number): CalendarDay {
  const date = new Date(ms);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth(), day: date.getUTCDate() };
}

/** A real calendar day (Feb 30 is not), or null. */
function calendarDay(year: number, month: number, day: number): CalendarDay | null {
  if (month < 0 || month > 11 || day < 1 || day > 31) return null;
  const back = fromMs(Date.UTC(year, month, day));
  return back.year === year && back.month === month && back.day === day ? back : null;
}

function parseIsoDate(text: string): CalendarDay | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return match ? calendarDay(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}

function formatIso(d: CalendarDay): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(d.year).padStart(4, '0')}-${pad(d.month + 1)}-${pad(d.day)}`;
}

/** `Sun 29 Nov`, with the year when it is not this year (`Sat 2 Jan 2027`): lib/format.ts's date. */
function dueLabel(d: CalendarDay, today: CalendarDay): string {
  return `due ${formatDate(formatIso(d), formatIso(today))}`;
}

/** Minutes of a one-word duration: `45m`, `45min`, `1h`, `1.5h`, `1h30m`, `1h30`; null otherwise. */
function durationWord(word: string): number | null {
  const hoursAndMinutes = /^(\d{1,2})h(\d{1,2})(m|min)?$/.exec(word);
  if (hoursAndMinutes) return Number(hoursAndMinutes[1]) * 60 + Number(hoursAndMinutes[2]);
  const single = /^(\d+(?:\.\d+)?)(m|min|mins|minutes?|h|hr|hrs|hours?)$/.exec(word);
  if (!single) return null;
  return durationOf(Number(single[1]), single[2]);
}

function durationOf(amount: number, unit: string): number | null {
  const minutes = Math.round(unit.startsWith('h') ? amount * 60 : amount);
  return Number.isFinite(minutes) && minutes > 0 ? minutes : null;
}

const durationUnit = /^(m|min|mins|minutes?|h|hr|hrs|hours?)$/;

function durationLabel(minutes: number): string {
  return `${minutes} min`;
}

/** The first day after `today` falling on `weekday` (a week ahead when today is that weekday). */
function nextWeekday(today: CalendarDay, weekday: number): CalendarDay {
  const current = new Date(toMs(today)).getUTCDay();
  const ahead = (weekday - current + 7) % 7 || 7;
  return fromMs(toMs(today) + ahead * dayMs);
}

/** `dec 3` without a year: this year's, or next year's once this year's has passed. */
function nextMonthDay(today: CalendarDay, month: number, day: number): CalendarDay | null {
  const thisYear = calendarDay(today.year, month, day);
  if (thisYear && toMs(thisYear) >= toMs(today)) return thisYear;
  // Feb 29 waits for the next leap year.
  for (let year = today.year + 1; year <= today.year + 8; year += 1) {
    const later = calendarDay(year, month, day);
    if (later) return later;
  }
  return null;
}

/** A recognised token: how many words it spans, and what it sets. */
type Match = { words: number } & ({ kind: 'duration'; minutes: number } | { kind: 'priority'; priority: PriorityName } | { kind: 'due'; day: CalendarDay });

/** What the words starting at `words[i]` mean, if anything (lower-cased words). */
function matchAt(words: string[], i: number, today: CalendarDay): Match | null {
  const word = words[i];
  const next = words[i + 1];
  const afterNext = words[i + 2];

  const oneWordDuration = durationWord(word);
  if (oneWordDuration !== null) return { words: 1, kind: 'duration', minutes: oneWordDuration };
  if (/^\d+(\.\d+)?$/.test(word) && next !== undefined && durationUnit.test(next)) {
    const minutes = durationOf(Number(word), next);
    if (minutes !== null) return { words: 2, kind: 'duration', minutes };
  }

  if (word.startsWith('!') && Object.hasOwn(priorityWords, word.slice(1))) return { words: 1, kind: 'priority', priority: priorityWords[word.slice(1)] };

  if (word === 'today') return { words: 1, kind: 'due', day: today };
  if (word === 'tomorrow' || word === 'tmrw') return { words: 1, kind: 'due', day: fromMs(toMs(today) + dayMs) };
  const iso = parseIsoDate(word);
  if (iso) return { words: 1, kind: 'due', day: iso };

  const weekday = weekdayOf(word);
  if (weekday !== null) return { words: 1, kind: 'due', day: nextWeekday(today, weekday) };
  // "next friday" is the next Friday to come, as a bare "friday" is.
  if (word === 'next' && next !== undefined && weekdayOf(next) !== null) return { words: 2, kind: 'due', day: nextWeekday(today, weekdayOf(next) as number) };

  if (word === 'in' && next !== undefined && /^\d{1,3}$/.test(next) && afterNext !== undefined && /^(days?|weeks?)$/.test(afterNext)) {
    const days = Number(next) * (afterNext.startsWith('week') ? 7 : 1);
    return { words: 3, kind: 'due', day: fromMs(toMs(today) + days * dayMs) };
  }

  const month = monthOf(word);
  if (month !== null && next !== undefined && /^\d{1,2}$/.test(next)) {
    const day = nextMonthDay(today, month, Number(next));
    if (day) return { words: 2, kind: 'due', day };
  }
  if (/^\d{1,2}$/.test(word) && next !== undefined && monthOf(next) !== null) {
    const day = nextMonthDay(today, monthOf(next) as number, Number(word));
    if (day) return { words: 2, kind: 'due', day };
  }
  return null;
}

/**
 * Reads a quick-add line. Tokens may appear anywhere; the first of each kind (estimate, priority,
 * due date) counts and any later one stays in the title, as does anything not recognised
 * (`!foo`, `45mm`, `today's`). The rest, whitespace collapsed, is the title (possibly empty: the
 * task service rejects an empty title).
 */
export function parseQuickAdd(text: string, options: QuickAddOptions): QuickAddResult {
  const today = parseIsoDate(options.today);
  if (!today) throw new Error(`parseQuickAdd: today must be YYYY-MM-DD, got ${JSON.stringify(options.today)}`);
  const words = text.split(/\s+/).filter(Boolean);
  const lower = words.map((w) => w.toLowerCase());
  const titleWords: string[] = [];
  const result: QuickAddResult = { title: '', understood: [] };
  let dueDay: CalendarDay | undefined;

  for (let i = 0; i < words.length; ) {
    const match = matchAt(lower, i, today);
    const taken =
      match &&
      ((match.kind === 'duration' && result.estimateMinutes === undefined) ||
        (match.kind === 'priority' && result.priority === undefined) ||
        (match.kind === 'due' && dueDay === undefined));
    if (!match || !taken) {
      titleWords.push(words[i]);
      i += 1;
      continue;
    }
    if (match.kind === 'duration') result.estimateMinutes = match.minutes;
    else if (match.kind === 'priority') result.priority = match.priority;
    else dueDay = match.day;
    i += match.words;
  }

  result.title = titleWords.join(' ');
  if (result.estimateMinutes !== undefined) result.understood.push(durationLabel(result.estimateMinutes));
  if (result.priority !== undefined) result.understood.push(`${result.priority} priority`);
  if (dueDay) {
    result.due = formatIso(dueDay);
    result.understood.push(dueLabel(dueDay, today));
  }
  return result;
}
