import { revalidatePath } from 'next/cache';
import { ZodError } from 'zod';
import type { ServiceContext } from '@/lib/context';
import type { ErrorCode } from '@/lib/errors';
import { fieldErrors, isDatabaseUnavailable, toAppError } from '@/lib/http/errors';
import { type SessionUser, sessionContext } from '@/lib/identity/session';
import { logger } from '@/lib/logger';

/**
 * What every dashboard server action returns: the result, or an error the page can show — a toast
 * for `message`, and `fields` (first message per form field) next to the inputs. Actions never
 * throw for bad input or domain errors, so the client can roll back its optimistic change.
 */
export type ActionResult<T = null> =
  | { ok: true; data: T }
  | { ok: false; error: { code: ErrorCode | 'internal_error'; message: string; fields?: Record<string, string> } };

/**
 * Runs `work` as the signed-in user (redirects to sign-in without a session) and turns any AppError
 * or ZodError into `{ ok: false }`. `revalidate` lists the pages whose server data changed.
 */
export async function runAction<T>(
  work: (ctx: ServiceContext, user: SessionUser) => Promise<T>,
  revalidate: string[] = [],
): Promise<ActionResult<T>> {
  let session: Awaited<ReturnType<typeof sessionContext>>;
  try {
    session = await sessionContext();
  } catch (error) {
    // redirect() to sign-in must propagate; a database that cannot be reached is an answer like any other.
    if (!isDatabaseUnavailable(error)) throw error;
    const appError = toAppError(error);
    return { ok: false, error: { code: 'unavailable', message: appError?.message ?? 'the database cannot be reached right now' } };
  }
  const { ctx, user } = session;
  try {
    const data = await work(ctx, user);
    for (const path of revalidate) revalidatePath(path);
    return { ok: true, data };
  } catch (error) {
    const appError = toAppError(error);
    if (!appError) {
      logger.error({ err: error }, 'unhandled error in a dashboard action');
      return { ok: false, error: { code: 'internal_error', message: 'Something went wrong on our side. Nothing was changed; please try again.' } };
    }
    const fields = error instanceof ZodError ? fieldErrors(error) : issuesByField(appError.details);
    return { ok: false, error: { code: appError.code, message: appError.message, ...(fields ? { fields } : {}) } };
  }
}

/** The per-field messages of a validation AppError built by fromZodError (`details.issues`). */
function issuesByField(details: unknown): Record<string, string> | undefined {
  const issues = (details as { issues?: { field: string | null; message: string }[] } | undefined)?.issues;
  if (!Array.isArray(issues)) return undefined;
  const fields: Record<string, string> = {};
  for (const issue of issues) if (issue.field) fields[issue.field.split('.')[0]] ??= issue.message;
  return Object.keys(fields).length ? fields : undefined;
}
