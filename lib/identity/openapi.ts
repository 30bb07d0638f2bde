import type { Operation } from '../http/openapi';
import { updateProfileSchema } from './schemas';

/** The identity part of REST v1, for the OpenAPI document. */
export const identityOperations: Operation[] = [
  { method: 'get', path: '/me', tag: 'me', summary: 'The acting user and how the request authenticated', returns: '`{ user: { id, email, name, timeZone, createdAt }, auth: { via, scopes } }`' },
  {
    method: 'patch',
    path: '/me',
    tag: 'me',
    summary: 'Change your time zone, working hours (the whole week, Sunday first; null = day off) and/or personal hours',
    body: updateProfileSchema,
    returns: 'The profile: `{ timeZone, workingHours: [7 × { start, end } | null], personalHours: { start, end } }`',
  },
];
