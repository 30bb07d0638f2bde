import { ZodError } from 'zod';
import { AppError, isAppError } from '../errors';
import { logger } from '../logger';

/** True when a message already starts with the field's name (`duration must …` for durationMinutes). */
function namesField(message: string, field: string): boolean {
  const firstWord = /^[A-Za-z]+/.exec(message)?.[0]?.toLowerCase();
  return !!firstWord && field.toLowerCase().replace(/[^a-z]/g, '').startsWith(firstWord);
}

/** Turns zod issues into a validation AppError naming each field. */
export function fromZodError(error: ZodError): AppError {
  const issues = error.issues.map((issue) => ({ field: issue.path.join('.') || null, message: issue.message }));
  const first = issues[0];
  const message = first ? (first.field && !namesField(first.message, first.field) ? `${first.field}: ${first.message}` : first.message) : 'invalid input';
  return new AppError('validation_error', message, { issues });
}

/** The first message per top-level field, for forms that show each error next to its field. */
export function fieldErrors(error: ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return errors;
}

/**
 * PostgreSQL's codes for text it cannot store (a NUL character, `\u0000`, in any string field), as
 * Prisma reports them through the driver adapter. Input, not a fault: every door answers 400.
 */
const unstorableText = new Set(['22021', '22P05']);

function databaseCode(error: unknown): string | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null)?.meta;
  const code = meta?.driverAdapterError?.cause?.originalCode;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Signs that the database, not the request, failed: it is restarting, unreachable or dropped the
 * connection. Prisma reports these as P1001 (cannot reach), P1002/P2024 (timeouts), P1017 (closed)
 * or a driver-adapter kind (in a Prisma error's meta, or as the cause of a bare DriverAdapterError);
 * the pg driver under it throws plain errors for a connection killed mid-query; PostgreSQL itself
 * sends class 08 (connection exception) and 57P01–57P03 (shutting down, starting up).
 */
const unreachablePrismaCodes = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
const unreachableAdapterKinds = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const unreachableSystemCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const unreachableMessages =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|Can't reach database server|is not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)/i;

/** True when `error` (or what caused it) says the database could not be reached or went away. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const e = error as { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; originalMessage?: unknown } } } };
  const adapter = e.meta?.driverAdapterError?.cause;
  // A bare DriverAdapterError (its `cause` is `{ kind }`) reaches us unwrapped when a transaction's connection closes under it.
  if (typeof e.kind === 'string' && unreachableAdapterKinds.has(e.kind)) return true;
  const pgCode = typeof adapter?.originalCode === 'string' ? adapter.originalCode : typeof e.code === 'string' ? e.code : '';
  if (typeof e.code === 'string' && (unreachablePrismaCodes.has(e.code) || unreachableSystemCodes.has(e.code))) return true;
  if (typeof adapter?.kind === 'string' && unreachableAdapterKinds.has(adapter.kind)) return true;
  if (/^08[0-9A-Z]{3}$/.test(pgCode) || pgCode === '57P01' || pgCode === '57P02' || pgCode === '57P03') return true;
  if (typeof e.message === 'string' && unreachableMessages.test(e.message)) return true;
  if (typeof adapter?.originalMessage === 'string' && unreachableMessages.test(adapter.originalMessage)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** The Retry-After (seconds) of a 503 `unavailable` (database or upstream unreachable) that did not set its own. */
export const unavailableRetryAfterSeconds = 5;

/** Any thrown value as an AppError; unknown errors are logged and become an opaque 500. */
export function toAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  if (error instanceof ZodError) return fromZodError(error);
  const code = databaseCode(error);
  if (code && unstorableText.has(code)) return new AppError('validation_error', 'text must not contain NUL characters (\\u0000)');
  if (isDatabaseUnavailable(error)) return new AppError('unavailable', 'the database cannot be reached right now; try again in a few seconds');
  return null;
}

/** The JSON error body every HTTP door answers with: `{ error: { code, message, details } }`. */
export function errorResponse(error: unknown, headers?: HeadersInit): Response {
  const appError = toAppError(error);
  if (appError?.code === 'unavailable') {
    const withRetry = new Headers(headers);
    if (!withRetry.has('retry-after')) withRetry.set('Retry-After', String(unavailableRetryAfterSeconds));
    return Response.json({ error: appError.toJSON() }, { status: appError.httpStatus, headers: withRetry });
  }
  if (appError) return Response.json({ error: appError.toJSON() }, { status: appError.httpStatus, headers });
  logger.error({ err: error }, 'unhandled error in request');
  return Response.json({ error: { code: 'internal_error', message: 'something went wrong on our side' } }, { status: 500, headers });
}
