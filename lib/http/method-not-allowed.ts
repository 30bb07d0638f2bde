import { AppError } from '../errors';
import { errorResponse } from './errors';
import { secured } from './security-headers';

export type ServedMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Set on a handler that only answers 405, so enumerations of a route's real handlers skip it. */
export const answersMethodNotAllowed = Symbol.for('orbita.answersMethodNotAllowed');

/**
 * The handler a REST route exports for every method it does not serve: 405 with `Allow` and the
 * API's JSON error, with the API's security headers. Next.js's own 405 (for a method a route does
 * not export) has an empty body and, since REST v1 skips proxy.ts, no security headers.
 */
export function methodNotAllowed(...served: ServedMethod[]) {
  const allow = [...served, ...(served.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  const handler = secured((req: Request) =>
    errorResponse(new AppError('method_not_allowed', `${req.method} is not served here; this route serves ${served.join(' and ')}`), { Allow: allow }),
  );
  return Object.assign(handler, { [answersMethodNotAllowed]: true as const });
}
