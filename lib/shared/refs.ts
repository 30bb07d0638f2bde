import type { ServiceContext } from '../context';
import { AppError, notFound, validationError } from '../errors';
import { decodeCursor } from './pagination';
import { idRefSchema } from './schemas';

/** The entities addressable by id or id prefix, and their tables. */
const tables = { task: 'tasks', habit: 'habits', meeting: 'meetings', block: 'schedule_blocks' } as const;
export type RefEntity = keyof typeof tables;

export interface RefCandidate {
  id: string;
  label: string;
}

const labelColumn: Record<RefEntity, string> = { task: 'title', habit: 'name', meeting: 'name', block: 'title' };

/**
 * Resolves a full id or a case-insensitive id prefix to one of the acting user's rows. Another
 * user's id is "not found", exactly like a missing one; a prefix matching several rows is a
 * validation error listing them (the CLI exits 2 and shows the candidates).
 */
export async function resolveRef(ctx: ServiceContext, entity: RefEntity, ref: string): Promise<string> {
  const prefix = idRefSchema(entity).safeParse(ref);
  if (!prefix.success) throw notFound(`${entity} ${JSON.stringify(ref)}`);
  const rows = await ctx.db.$queryRawUnsafe<RefCandidate[]>(
    `SELECT id::text AS id, ${labelColumn[entity]} AS label FROM ${tables[entity]}
      WHERE user_id = $1::uuid AND id::text LIKE $2 ORDER BY created_at LIMIT 11`,
    ctx.userId,
    `${prefix.data}%`,
  );
  if (rows.length === 0) throw notFound(`${entity} ${prefix.data}`);
  if (rows.length > 1) throw ambiguous(prefix.data, rows.map((row) => ({ ...row, kind: entity })));
  return rows[0].id;
}

/** The error for a prefix that matches several items; `details.candidates` lists them. */
export function ambiguous(prefix: string, candidates: (RefCandidate & { kind: string })[]): AppError {
  const shown = candidates.slice(0, 10).map((c) => `${c.id.slice(0, 8)} ${c.kind} "${c.label}"`);
  return validationError(`"${prefix}" matches ${candidates.length > 10 ? 'more than 10' : candidates.length} items, use a longer prefix: ${shown.join(', ')}`, {
    candidates: candidates.slice(0, 10),
  });
}

/** The id inside a list cursor, checked to be one of the acting user's rows of that entity. */
export async function resolveCursor(ctx: ServiceContext, entity: RefEntity, cursor: string): Promise<string> {
  const id = decodeCursor(cursor);
  const rows = await ctx.db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id::text AS id FROM ${tables[entity]} WHERE user_id = $1::uuid AND id = $2::uuid`,
    ctx.userId,
    id,
  );
  if (rows.length === 0) throw validationError('cursor is not valid: pass the nextCursor of the previous page');
  return id;
}
