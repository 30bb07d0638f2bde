import type { Operation } from '../http/openapi';
import { createMeetingSchema, heldMeetingSchema, listMeetingsSchema, updateMeetingSchema } from './schemas';

/** The meetings part of REST v1, for the OpenAPI document. Every route needs the `smart-1to1` module. */
export const meetingOperations: Operation[] = [
  { method: 'get', path: '/meetings', tag: 'meetings', summary: 'List 1:1s, soonest next occurrence first (active ones unless `archived`)', query: listMeetingsSchema, returns: 'A page of meetings: `{ items, nextCursor }`' },
  { method: 'post', path: '/meetings', tag: 'meetings', summary: 'Create a 1:1', body: createMeetingSchema, returns: 'The meeting', status: 201 },
  { method: 'get', path: '/meetings/{id}', tag: 'meetings', summary: 'Show a 1:1 with its next occurrence', returns: 'The meeting' },
  { method: 'patch', path: '/meetings/{id}', tag: 'meetings', summary: 'Update any field of a 1:1 (archived ones are a conflict)', body: updateMeetingSchema, returns: 'The meeting' },
  { method: 'delete', path: '/meetings/{id}', tag: 'meetings', summary: 'Archive a 1:1 (idempotent)', returns: 'The meeting' },
  { method: 'post', path: '/meetings/{id}/held', tag: 'meetings', summary: 'Record that a 1:1 took place (default now; never in the future)', body: heldMeetingSchema, returns: '`{ meeting, heldAt }`' },
  { method: 'post', path: '/meetings/{id}/archive', tag: 'meetings', summary: 'Archive a 1:1 (idempotent)', returns: 'The meeting' },
];
