import { createMeetingSchema, heldMeetingSchema, listMeetingsSchema, meetingFields, updateMeetingSchema } from '../../lib/meetings/schemas';
import { archiveMeeting, createMeeting, getMeeting, listMeetings, markMeetingHeld, updateMeeting } from '../../lib/meetings/service';
import { defineTool, type ToolDefinition } from '../registry';
import { flag, forUpdate, idField, pageFields, serviceValidatedString, toolInput } from './fields';

const gate = 'Needs the smart-1to1 module (module_not_enabled otherwise).';
const meetingReturns =
  'Returns the meeting: id, name, cadence, intervalDays, durationMinutes, time (preferred local start HH:MM), lastHeldAt, nextOccurrence (ISO-8601 with offset; null when archived), dueToday, archived, archivedAt, createdAt, updatedAt.';

const idInput = toolInput({ id: idField('meeting', 'meeting_list') });

/** HH:MM is turned into minutes by the service's schema, so the tool takes the text (see fields.ts). */
const timeField = serviceValidatedString(meetingFields.time);

export const meetingTools: ToolDefinition[] = [
  defineTool({
    name: 'meeting_create',
    title: 'Create a recurring 1:1',
    description: `Creates a recurring 1:1 meeting with a person. Give name and a cadence (weekly, biweekly, monthly) or custom with intervalDays; default weekly, 30 minutes at 10:00. ${gate} ${meetingReturns}`,
    input: toolInput({
      ...createMeetingSchema.shape,
      cadence: createMeetingSchema.shape.cadence.describe(`${meetingFields.cadence.description} (default weekly)`),
      time: timeField,
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, input) => createMeeting(ctx, input),
  }),
  defineTool({
    name: 'meeting_list',
    title: 'List 1:1s',
    description: `Lists the user's 1:1 meetings by next occurrence (archived ones last, only with archived: true). ${gate} Returns { items: [meeting…], nextCursor }.`,
    input: toolInput({ ...listMeetingsSchema.shape, ...pageFields, archived: flag(listMeetingsSchema.shape.archived.description!) }),
    annotations: { readOnlyHint: true },
    run: (ctx, input) => listMeetings(ctx, input),
  }),
  defineTool({
    name: 'meeting_get',
    title: 'Show a 1:1',
    description: `Shows one 1:1 meeting by id or id prefix. ${gate} ${meetingReturns}`,
    input: idInput,
    annotations: { readOnlyHint: true },
    run: (ctx, input) => getMeeting(ctx, input.id),
  }),
  defineTool({
    name: 'meeting_update',
    title: 'Update a 1:1',
    description: `Changes fields of an active 1:1: give the id and only the fields to change (at least one). ${gate} ${meetingReturns}`,
    input: toolInput({
      id: idField('meeting', 'meeting_list'),
      ...updateMeetingSchema.shape,
      durationMinutes: forUpdate(updateMeetingSchema.shape.durationMinutes),
      time: forUpdate(timeField),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, { id, ...changes }) => updateMeeting(ctx, id, changes),
  }),
  defineTool({
    name: 'meeting_held',
    title: 'Record that a 1:1 took place',
    description: `Records that a 1:1 was held (default now; never in the future), which moves its next occurrence. ${gate} Returns { meeting, heldAt } (heldAt ISO-8601 with offset).`,
    input: toolInput({
      id: idField('meeting', 'meeting_list'),
      ...heldMeetingSchema.shape,
      time: serviceValidatedString(heldMeetingSchema.shape.time),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, { id, ...held }) => markMeetingHeld(ctx, id, held),
  }),
  defineTool({
    name: 'meeting_archive',
    title: 'Archive a 1:1',
    description: `Archives a 1:1: it is no longer planned or listed by default and can no longer be changed. Archiving an archived meeting changes nothing. ${gate} ${meetingReturns}`,
    input: idInput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    run: (ctx, input) => archiveMeeting(ctx, input.id),
  }),
];
