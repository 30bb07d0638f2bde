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

/** Any thrown value as an AppError; unknown errors are logged and become an opaque 500. */
export function toAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  if (error instanceof ZodError) return fromZodError(error);
  const code = databaseCode(error);
  if (code && unstorableText.has(code)) return new AppError('validation_error', 'text must not contain NUL characters (\\u0000)');
  return null;
}

/** The JSON error body every HTTP door answers with: `{ error: { code, message, details } }`. */
export function errorResponse(error: unknown, headers?: HeadersInit): Response {
  const appError = toAppError(error);
  if (appError) return Response.json({ error: appError.toJSON() }, { status: appError.httpStatus, headers });
  logger.error({ err: error }, 'unhandled error in request');
  return Response.json({ error: { code: 'internal_error', message: 'something went wrong on our side' } }, { status: 500, headers });
}
