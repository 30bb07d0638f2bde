import type { Operation } from '../http/openapi';
import { createTaskSchema, listTasksSchema, updateTaskSchema } from './schemas';

/** The tasks part of REST v1, for the OpenAPI document. */
export const taskOperations: Operation[] = [
  { method: 'get', path: '/tasks', tag: 'tasks', summary: 'List tasks (every status but archived unless filtered)', query: listTasksSchema, returns: 'A page of tasks: `{ items, nextCursor }`' },
  { method: 'post', path: '/tasks', tag: 'tasks', summary: 'Create a task', body: createTaskSchema, returns: 'The task', status: 201 },
  { method: 'get', path: '/tasks/{id}', tag: 'tasks', summary: 'Show a task', returns: 'The task' },
  { method: 'patch', path: '/tasks/{id}', tag: 'tasks', summary: 'Update any field of a task (pass `version` for an optimistic lock)', body: updateTaskSchema, returns: 'The task. Its time blocks follow: `schedule` lists what they did (renamed, resized, moved, removed, completed, kept, unplaced), present when anything happened' },
  { method: 'delete', path: '/tasks/{id}', tag: 'tasks', summary: 'Archive a task (idempotent; tasks are never hard-deleted)', returns: 'The task' },
  { method: 'post', path: '/tasks/{id}/start', tag: 'tasks', summary: 'Start a task', returns: 'The task' },
  { method: 'post', path: '/tasks/{id}/complete', tag: 'tasks', summary: 'Complete a task (completing twice is a conflict)', returns: 'The task. Its time blocks follow: `schedule` lists what they did (renamed, resized, moved, removed, completed, kept, unplaced), present when anything happened' },
  { method: 'post', path: '/tasks/{id}/archive', tag: 'tasks', summary: 'Archive a task (idempotent)', returns: 'The task. Its time blocks follow: `schedule` lists what they did (renamed, resized, moved, removed, completed, kept, unplaced), present when anything happened' },
];
