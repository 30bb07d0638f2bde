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

/** Any thrown value as an AppError; unknown errors are logged and become an opaque 500. */
export function toAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  if (error instanceof ZodError) return fromZodError(error);
  return null;
}

/** The JSON error body every HTTP door answers with: `{ error: { code, message, details } }`. */
export function errorResponse(error: unknown, headers?: HeadersInit): Response {
  const appError = toAppError(error);
  if (appError) return Response.json({ error: appError.toJSON() }, { status: appError.httpStatus, headers });
  logger.error({ err: error }, 'unhandled error in request');
  return Response.json({ error: { code: 'internal_error', message: 'something went wrong on our side' } }, { status: 500, headers });
}
