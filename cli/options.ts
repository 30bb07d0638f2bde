/**
 * Flag values arrive as strings. These helpers only reshape them for the operation's zod schema,
 * which does every check (so a bad value gets the same message through every door).
 */

/** A numeric flag as a number when it looks like one; otherwise the text, for the schema to reject. */
export function numberFlag(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
}

/** A clearable flag: `none` or an empty value clears the field (null). */
export function clearable<T>(value: T | string | undefined): T | string | null | undefined {
  if (typeof value === 'string' && (value.trim() === '' || value.trim().toLowerCase() === 'none')) return null;
  return value;
}

/** Drops undefined values so "flag not given" never reads as "set to nothing". */
export function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
