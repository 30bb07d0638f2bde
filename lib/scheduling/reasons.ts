import { addCalendarDays, formatDate, formatMinute } from '../format';

/**
 * Why the planner left an item out, or placed it with a flag: one list of codes for every door
 * (REST and MCP carry the code and the sentence, the CLI and the dashboard show the sentence). The
 * sentences name the day ("today", "tomorrow", "Wed 9 Dec") and, when there is one, the nearest
 * alternative ("first free slot tomorrow 09:00").
 */
export const planReasonCodes = [
  /** Today's working (or personal) hours are over and the plan covers only what is left of today. */
  'working_hours_over_today',
  /** No working hours on the day(s) planned. */
  'day_off',
  /** Placed after its due time (a flag on a placement): no slot before it. */
  'no_slot_before_due',
  /** Placed although it is already past its due time (a flag on a placement). */
  'overdue',
  /** Free time is left, but no single slot is as long as the item. */
  'longer_than_any_free_slot',
  /** Every minute of working time on the days planned is taken. */
  'no_free_time',
  /** A habit's preferred window lies outside personal hours (or personal hours are empty). */
  'outside_personal_hours',
  /** A habit's window has no free slot long enough on its day. */
  'no_slot_in_window',
  /** A habit or 1:1 is due on a day the plan does not cover. */
  'not_a_planned_date',
  /** The item's duration is not a positive number of minutes. */
  'invalid_duration',
  /** 1:1s were asked for but the smart-1to1 module is not enabled. */
  'module_not_enabled',
] as const;
export type PlanReasonCode = (typeof planReasonCodes)[number];

/** A code and its sentence. */
export interface PlanReason {
  code: PlanReasonCode;
  reason: string;
}

/** `today`, `tomorrow`, or `Wed 9 Dec` (with the year when it is not today's). */
export function dayName(date: string, today: string): string {
  if (date === today) return 'today';
  if (date === addCalendarDays(today, 1)) return 'tomorrow';
  return formatDate(date, today);
}

/** A local date and minute as a person says it: `today 17:00`, `tomorrow 09:00`, `Wed 9 Dec 09:00`. */
export function whenName(date: string, minute: number, today: string): string {
  return `${dayName(date, today)} ${formatMinute(minute)}`;
}

/** `; first free slot tomorrow 09:00` (or nothing when there is none to offer). */
export const alternative = (when: string | null, suffix = '') => (when ? `; first free slot ${when}${suffix}` : '');

/** How long a block is, as a person says it: `45-min`, `2-hour`, `1 h 30 min`. */
export function lengthName(minutes: number): string {
  if (minutes < 60) return `${minutes}-min`;
  if (minutes % 60 === 0) return `${minutes / 60}-hour`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
