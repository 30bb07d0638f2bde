import type { Operation } from '../http/openapi';
import { completeBlockSchema } from './complete-block';
import { addBlockSchema, freeSlotsSchema, listBlocksSchema, moveBlockSchema, scheduleDaySchema, scheduleWeekSchema } from './schemas';

/** The schedule-blocks part of REST v1, for the OpenAPI document (`auto` and `reschedule-missed` are described beside their services). */
export const blockOperations: Operation[] = [
  { method: 'get', path: '/schedule/day', tag: 'schedule', summary: 'One day of your schedule: blocks, working hours, planned and free minutes', query: scheduleDaySchema, returns: '`{ date, timeZone, blocks, workingHours, summary: { plannedMinutes, freeMinutes } }`' },
  { method: 'get', path: '/schedule/week', tag: 'schedule', summary: 'A Monday-based week (`offset` weeks from the week of `date`)', query: scheduleWeekSchema, returns: '`{ weekStart, weekEnd, timeZone, days, summary }`, each day shaped like /schedule/day' },
  { method: 'get', path: '/schedule/free', tag: 'schedule', summary: 'Free slots inside working hours on a date (never in the past), at least `min` minutes long', query: freeSlotsSchema, returns: '`{ date, timeZone, min, slots: [{ start, end, startTime, endTime, minutes }] }`' },
  { method: 'get', path: '/schedule/blocks', tag: 'schedule', summary: 'Blocks sharing time with [from, to), by start time', query: listBlocksSchema, returns: 'A page of blocks: `{ items, nextCursor }`' },
  { method: 'post', path: '/schedule/blocks', tag: 'schedule', summary: 'Add a block (409 naming the block it would overlap)', body: addBlockSchema, returns: 'The block', status: 201 },
  { method: 'get', path: '/schedule/blocks/{id}', tag: 'schedule', summary: 'Show a block', returns: 'The block' },
  { method: 'patch', path: '/schedule/blocks/{id}', tag: 'schedule', summary: 'Move a planned or missed Orbita block (409 on overlap; imported and completed blocks do not move)', body: moveBlockSchema, returns: 'The block' },
  { method: 'delete', path: '/schedule/blocks/{id}', tag: 'schedule', summary: 'Remove a block', returns: 'The removed block' },
  {
    method: 'post',
    path: '/schedule/blocks/{id}/complete',
    tag: 'schedule',
    summary:
      "Complete a block (completing twice is a conflict). A task's last planned block completes the task too; when the task has other planned blocks, `completeTask` says whether to (without it: 409 with `details.choice = \"completeTask\"`)",
    body: completeBlockSchema,
    returns: 'The block, plus `task` when the task was completed',
  },
];
