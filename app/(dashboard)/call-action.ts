import type { ActionResult } from './run-action';

type ActionError = Extract<ActionResult, { ok: false }>['error'];

/** What a page shows when a server action never answered (offline, aborted, a 500 page). */
export const unreachableError: ActionError = { code: 'internal_error', message: 'Could not reach the server. Nothing was changed; please try again.' };

/**
 * Calls a server action from the browser; a request that never gets an answer becomes an
 * `{ ok: false }` like any other failure, so the caller rolls back its optimistic change.
 */
export async function callAction<T>(action: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await action();
  } catch {
    return { ok: false, error: unreachableError };
  }
}
