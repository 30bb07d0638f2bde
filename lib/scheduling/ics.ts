/**
 * RFC 5545 (iCalendar) rendering of schedule blocks: one VEVENT per block, stable UIDs, UTC times,
 * TEXT escaping, CRLF line endings and lines folded at 75 octets (never inside a UTF-8 character).
 * Pure: the same blocks and `now` always give the same text.
 */

/** The block fields an iCalendar event is made of (a ScheduleBlock row fits). */
export interface IcsBlock {
  id: string;
  type: string;
  title: string;
  startAt: Date;
  endAt: Date;
  status: string;
  source?: string;
  updatedAt: Date;
}

export interface RenderIcsOptions {
  /** X-WR-CALNAME: the name calendar apps show for a subscription. */
  calendarName: string;
  /** The user's IANA zone (X-WR-TIMEZONE, a display hint; every time is written in UTC). */
  zone: string;
  /** DTSTAMP of every event. */
  now: Date;
}

export const icsProdId = '-//Orbita//Orbita//EN';
const CRLF = '\r\n';
const maxOctets = 75;

/** `YYYYMMDDTHHMMSSZ` (RFC 5545 DATE-TIME, UTC form). */
export function formatIcsUtc(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * Escapes a TEXT value (RFC 5545 §3.3.11): backslash, `;` and `,` get a backslash, every line break
 * becomes `\n`; other control characters (not allowed in TEXT) are dropped.
 */
export function escapeIcsText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

const utf8Length = (char: string) => Buffer.byteLength(char, 'utf8');

/**
 * Folds one content line (RFC 5545 §3.1): no physical line longer than 75 octets, continuation
 * lines start with one space (which counts toward their 75), and a multi-byte UTF-8 character is
 * never split. Returns the physical lines joined with CRLF (no trailing CRLF).
 */
export function foldIcsLine(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= maxOctets) return line;
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    // for…of walks code points, so a surrogate pair (4-byte UTF-8) stays together.
    const size = utf8Length(char);
    if (octets + size > maxOctets) {
      lines.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  lines.push(current);
  return lines.join(CRLF);
}

function describe(block: IcsBlock): string {
  const note = block.status === 'missed' ? ' [missed]' : '';
  return `Orbita ${block.type} block\nstatus: ${block.status}${note}`;
}

function eventLines(block: IcsBlock, now: Date): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${block.id}@orbita`,
    `DTSTAMP:${formatIcsUtc(now)}`,
    `DTSTART:${formatIcsUtc(block.startAt)}`,
    `DTEND:${formatIcsUtc(block.endAt)}`,
    `SUMMARY:${escapeIcsText(block.title)}`,
    `DESCRIPTION:${escapeIcsText(describe(block))}`,
    // Missed blocks are not cancelled: they stay on the calendar, marked in the description.
    'STATUS:CONFIRMED',
    'TRANSP:OPAQUE',
    `LAST-MODIFIED:${formatIcsUtc(block.updatedAt)}`,
    `CATEGORIES:${escapeIcsText(block.type)}`,
    'END:VEVENT',
  ];
}

/** Stable order (start, then id) so equal inputs render byte-identical text. */
function byStart(a: IcsBlock, b: IcsBlock): number {
  return a.startAt.getTime() - b.startAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** An iCalendar document (VCALENDAR, METHOD:PUBLISH) with one VEVENT per block. */
export function renderIcs(blocks: readonly IcsBlock[], options: RenderIcsOptions): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${icsProdId}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeIcsText(options.calendarName)}`,
    `X-WR-TIMEZONE:${escapeIcsText(options.zone)}`,
    ...[...blocks].sort(byStart).flatMap((block) => eventLines(block, options.now)),
    'END:VCALENDAR',
  ];
  return lines.map(foldIcsLine).join(CRLF) + CRLF;
}

/** How many VEVENTs an iCalendar text holds. */
export function countIcsEvents(ics: string): number {
  return ics.split(CRLF).filter((line) => line === 'BEGIN:VEVENT').length;
}
