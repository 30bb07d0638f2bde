/**
 * Errors are values with codes. Every door maps them once: HTTP status + JSON body, JSON-RPC
 * error, or CLI exit code. Anything that is not an AppError is a bug and maps to 500 / exit 1.
 */
export type ErrorCode =
  | 'validation_error'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'module_not_enabled'
  | 'upstream_error'
  | 'unavailable'
  | 'rate_limited';

const httpStatusByCode: Record<ErrorCode, number> = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  module_not_enabled: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  rate_limited: 429,
  upstream_error: 502,
  unavailable: 503,
};

/** Every error code, for documents that list them (the OpenAPI Error schema). */
export const errorCodes = Object.keys(httpStatusByCode) as ErrorCode[];

/** CLI exit codes: 2 bad input, 3 module not enabled, 4 not found / conflict, 1 anything else. */
const exitCodeByCode: Partial<Record<ErrorCode, number>> = {
  validation_error: 2,
  module_not_enabled: 3,
  not_found: 4,
  conflict: 4,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return httpStatusByCode[this.code];
  }

  get exitCode(): number {
    return exitCodeByCode[this.code] ?? 1;
  }

  toJSON() {
    return { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) };
  }
}

export const validationError = (message: string, details?: unknown) => new AppError('validation_error', message, details);
export const notFound = (what: string) => new AppError('not_found', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new AppError('conflict', message, details);
export const unauthorized = (message = 'authentication required') => new AppError('unauthorized', message);
export const forbidden = (message: string) => new AppError('forbidden', message);
export const moduleNotEnabled = (module: string) =>
  new AppError('module_not_enabled', `module not enabled: ${module}`, { module });
export const unavailable = (message: string) => new AppError('unavailable', message);

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
