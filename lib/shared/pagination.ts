import { validationError } from '../errors';

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url of the last row's id. */
export const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The row id inside a cursor; a cursor this server did not issue is a validation error. */
export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!uuidPattern.test(id)) throw validationError('cursor is not valid: pass the nextCursor of the previous page');
  return id;
}

/**
 * Prisma arguments for a keyset page: rows after the cursor row (resolved and ownership-checked by
 * resolveCursor) in the query's order, which must end with `id` so it is total; one extra row to
 * know whether another page exists.
 */
export function pageArgs(limit: number, cursorId: string | undefined) {
  return {
    take: limit + 1,
    ...(cursorId ? { cursor: { id: cursorId }, skip: 1 } : {}),
  };
}

/** Cuts the extra row off and computes the next cursor. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, view: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(view), nextCursor: more ? encodeCursor(kept[kept.length - 1].id) : null };
}
