import type { Operation } from '../http/openapi';
import { createHabitSchema, listCompletionsSchema, listHabitsSchema, logHabitSchema, updateHabitSchema } from './schemas';

/** The habits part of REST v1, for the OpenAPI document (`addOperations(habitOperations)`). */
export const habitOperations: Operation[] = [
  { method: 'get', path: '/habits', tag: 'habits', summary: 'List habits (active ones unless `archived`; `due` = due today)', query: listHabitsSchema, returns: 'A page of habits: `{ items, nextCursor }`' },
  { method: 'post', path: '/habits', tag: 'habits', summary: 'Create a habit', body: createHabitSchema, returns: 'The habit', status: 201 },
  { method: 'get', path: '/habits/{id}', tag: 'habits', summary: 'Show a habit with its recent completions', returns: 'The habit with `recentCompletions`' },
  { method: 'patch', path: '/habits/{id}', tag: 'habits', summary: 'Update a habit (archived habits are a conflict)', body: updateHabitSchema, returns: 'The habit' },
  { method: 'delete', path: '/habits/{id}', tag: 'habits', summary: 'Archive a habit (idempotent; history is kept)', returns: 'The habit' },
  { method: 'post', path: '/habits/{id}/log', tag: 'habits', summary: 'Log a completion for today or a back-dated day (once per day)', body: logHabitSchema, returns: '`{ habit, completion }`', status: 201 },
  { method: 'get', path: '/habits/{id}/completions', tag: 'habits', summary: "A habit's completions, newest first", query: listCompletionsSchema, returns: 'A page of completions: `{ items, nextCursor }`' },
  { method: 'post', path: '/habits/{id}/archive', tag: 'habits', summary: 'Archive a habit (idempotent; history is kept)', returns: 'The habit' },
];
