import { autoScheduleSchema, autoSchedule } from '../../lib/scheduling/auto';
import { removeBlockEverywhere } from '../../lib/calendar/sync';
import { addBlock, freeSlots, moveBlock, scheduleDay, scheduleWeek } from '../../lib/scheduling/blocks';
import { completeBlockAndTask, completeBlockSchema } from '../../lib/scheduling/complete-block';
import { exportIcs, exportIcsSchema } from '../../lib/scheduling/ics-feed';
import { rescheduleMissed, rescheduleMissedSchema } from '../../lib/scheduling/missed';
import { addBlockSchema, blockTypes, freeSlotsSchema, moveBlockSchema, scheduleDaySchema, scheduleWeekSchema } from '../../lib/scheduling/schemas';
import { defineTool, type ToolDefinition } from '../registry';
import { flag, idField, requiredServiceValidatedString, serviceValidatedString, toolInput } from './fields';

const blockReturns =
  'Returns the block: id, type, referenceId, title, start and end (ISO-8601 with offset), date (local YYYY-MM-DD), startTime/endTime (local HH:MM), minutes, status (planned, completed, missed), source (orbita or imported), pinned (moved or added by hand: planning never moves it), flag (for a task block: "overdue" when the task is past its due time, "after_due" when the block ends after it, else null), createdAt, updatedAt.';

const dayReturns =
  '{ date, timeZone, blocks: [block…], workingHours: { start, end } | null, summary: { plannedMinutes, freeMinutes } } (block times ISO-8601 with offset)';

/** Block start/end are turned into instants by the service's schema, so the tools take the text (see fields.ts). */
const spanFields = {
  date: moveBlockSchema.shape.date,
  start: requiredServiceValidatedString(moveBlockSchema.shape.start),
  end: requiredServiceValidatedString(moveBlockSchema.shape.end),
};

const blockId = idField('block', 'schedule_day or schedule_week');
const idInput = toolInput({ id: blockId });

export const scheduleTools: ToolDefinition[] = [
  defineTool({
    name: 'schedule_day',
    title: "Show a day's schedule",
    description: `Shows one local day of the user's schedule: every time block (Orbita blocks and events imported from calendars), that day's working hours and planned/free minutes. Returns ${dayReturns}.`,
    input: toolInput({ ...scheduleDaySchema.shape }),
    annotations: { readOnlyHint: true },
    run: (ctx, input) => scheduleDay(ctx, input),
  }),
  defineTool({
    name: 'schedule_week',
    title: "Show a week's schedule",
    description: `Shows the Monday-to-Sunday week containing date (default today), optionally shifted by offset weeks. Returns { weekStart, weekEnd, timeZone, days: [7 × ${dayReturns}], summary: { plannedMinutes, freeMinutes } }.`,
    input: toolInput({ ...scheduleWeekSchema.shape }),
    annotations: { readOnlyHint: true },
    run: (ctx, input) => scheduleWeek(ctx, input),
  }),
  defineTool({
    name: 'schedule_free_slots',
    title: 'Find free time',
    description:
      "Lists free slots on a local day: that weekday's working hours minus every block and imported event, only slots of at least min minutes and never before now. Returns { date, timeZone, min, slots: [{ start, end (ISO-8601 with offset), startTime, endTime (HH:MM), minutes }] }.",
    input: toolInput({ ...freeSlotsSchema.shape }),
    annotations: { readOnlyHint: true },
    run: (ctx, input) => freeSlots(ctx, input),
  }),
  defineTool({
    name: 'schedule_add',
    title: 'Add a time block',
    description:
      `Adds a time block to the user's schedule, e.g. { type: "focus", title: "Deep work", date: "2026-12-07", start: "09:00", end: "11:00" } or with ISO-8601 start/end. Blocks are 5 minutes to 24 hours and must not overlap another Orbita block (a conflict names it; check schedule_free_slots first). ${blockReturns}`,
    input: toolInput({
      ...addBlockSchema.shape,
      type: addBlockSchema.shape.type.describe(
        `The kind of block, one of ${blockTypes.join(', ')}: task/habit/meeting blocks may point at that item with referenceId; focus, break and event are free-standing`,
      ),
      ...spanFields,
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, input) => addBlock(ctx, input),
  }),
  defineTool({
    name: 'schedule_move',
    title: 'Move a time block',
    description: `Moves a planned or missed Orbita block to a new start/end (a missed block becomes planned again). HH:MM times are on date, default the block's own date (today for a missed block). Imported events and completed blocks cannot be moved. Moving a block to where it already is changes nothing. ${blockReturns}`,
    input: toolInput({
      id: blockId,
      ...spanFields,
      date: moveBlockSchema.shape.date.describe("Local date YYYY-MM-DD the HH:MM times are on (default the block's current date; today for a missed block)"),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    run: (ctx, { id, ...span }) => moveBlock(ctx, id, span),
  }),
  defineTool({
    name: 'schedule_complete',
    title: 'Complete a time block',
    description: `Marks a time block completed (a conflict if it already is). For a block of an open task: when it is the task's last planned block the task is completed too; when the task has other planned blocks, pass completeTask (true completes the task and removes its future blocks, false leaves it open) — without it the answer is a conflict asking for it (ask the user). It does not log the habit a habit block points at: use habit_log or done. ${blockReturns} Plus task (the completed task, with schedule: what happened to its other blocks) when the task was completed.`,
    input: toolInput({ id: blockId, ...completeBlockSchema.shape }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, { id, ...input }) => completeBlockAndTask(ctx, id, input),
  }),
  defineTool({
    name: 'schedule_remove',
    title: 'Remove a time block',
    description: `Deletes a time block from the schedule (the task, habit or meeting it was for is kept). With calendar delete-missing on, the Google Calendar event a sync created for it is deleted too. Returns the block as it was, plus calendarEvent: null (no synced event) or { calendarId, eventId, deleted, reason? }. ${blockReturns}`,
    input: idInput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
    run: (ctx, input) => removeBlockEverywhere(ctx, input.id),
  }),
  defineTool({
    name: 'schedule_auto',
    title: 'Plan automatically',
    description:
      'Plans open tasks (by priority and due date) into free working time on one or more days — with habits: true also habits due (in their preferred time), with meetings: true also 1:1s due (module smart-1to1) — around existing blocks and imported events. Running it again places nothing twice. Returns { dates, timeZone, placed: [block… with kind], failures: [{ kind, refId, title, date, code, reason, suggestion: { start, date, time } | null }], utilisation (percent of working time busy) }. A task that cannot end by its due time is placed after it (flag "after_due", note { code, reason }); an overdue task is placed at the first free slot (flag "overdue"). Failure codes: working_hours_over_today, day_off, longer_than_any_free_slot, no_free_time, outside_personal_hours, no_slot_in_window, not_a_planned_date, invalid_duration; the reason names the day and, for tasks, the first free slot in the next days.',
    input: toolInput({
      ...autoScheduleSchema.shape,
      habits: flag(autoScheduleSchema.shape.habits.description!),
      meetings: flag(autoScheduleSchema.shape.meetings.description!),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    run: (ctx, input) => autoSchedule(ctx, input),
  }),
  defineTool({
    name: 'schedule_reschedule_missed',
    title: 'Reschedule missed blocks',
    description:
      'Marks blocks that ended over an hour ago without being completed as missed, then moves every missed Orbita block to the next free slot (within 7 days). Needs the auto-rescheduler module. Returns { markedMissed, rescheduled: [block… with from: { start, end }], failures: [{ id, title, reason }] }.',
    input: toolInput({ ...rescheduleMissedSchema.shape, after: serviceValidatedString(rescheduleMissedSchema.shape.after) }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, input) => rescheduleMissed(ctx, input),
  }),
  defineTool({
    name: 'schedule_export_ics',
    title: 'Export the schedule as iCalendar',
    description:
      "Exports the user's Orbita blocks (not imported events) for days local days from from as iCalendar (RFC 5545) text, e.g. to save as an .ics file. Returns { contentType: 'text/calendar', ics } with the calendar text in ics.",
    input: toolInput({ ...exportIcsSchema.shape }),
    annotations: { readOnlyHint: true },
    run: async (ctx, input) => ({ contentType: 'text/calendar', ics: await exportIcs(ctx, input) }),
  }),
];
