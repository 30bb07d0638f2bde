import { z } from 'zod';
import type { RefEntity } from '../../lib/shared/refs';
import { idRefSchema, pageSchema } from '../../lib/shared/schemas';

/**
 * Building blocks for tool inputs. A tool input is a plain, strict `z.object` of fields taken from
 * the services' own schemas (so the JSON Schema an assistant sees carries their types, enums and
 * bounds); object-level rules (refine/superRefine) are left to the service, which parses its input
 * again and throws the ZodError / AppError naming the field.
 *
 * Tool inputs must parse to values the service accepts as *input*: the SDK parses the arguments
 * with the tool's schema and hands the parsed value to `run`. Fields whose service schema
 * transforms the value into another type (HH:MM → minutes, block times → instants) are therefore
 * given here as plain strings, validated by the service.
 */

/** The description a schema carries, looking through optional/nullable/default wrappers and pipes. */
export function descriptionOf(schema: z.ZodType): string | undefined {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    if (current.description) return current.description;
    const def = current._zod.def as unknown as { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType };
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe') current = def.in && def.in._zod.def.type !== 'transform' ? def.in : def.out;
    else current = undefined;
  }
  return undefined;
}

/**
 * A strict object of `shape` where every field carries its description at the top level (lifted
 * from the schema it wraps when the field itself has none: the SDK and `tools/list` read the outer
 * one). A field without any description is a programming error, caught when the module loads.
 */
export function toolInput<Shape extends z.ZodRawShape>(shape: Shape): z.ZodObject<Shape, z.core.$strict> {
  const described: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(shape) as [string, z.ZodType][]) {
    const description = descriptionOf(field);
    if (!description) throw new Error(`tool input field "${key}" has no description`);
    described[key] = field.description ? field : field.describe(description);
  }
  return z.object(described as unknown as Shape).strict();
}

/** The input of a tool that takes nothing. */
export const noInput = () => z.object({}).strict();

/** A task, habit, meeting or block by full id or unique id prefix (as lists show them). */
export function idField(entity: RefEntity, listTool: string) {
  const noun = entity === 'block' ? 'schedule block' : entity;
  return idRefSchema(entity).describe(
    `The ${noun} id (a UUID as returned by ${listTool}), or a unique prefix of it such as its first 8 characters; a prefix matching several ${noun}s is a validation error listing them`,
  );
}

/** Cursor pagination (`limit`, `cursor`) as every list tool takes it. */
export const pageFields = {
  limit: pageSchema.shape.limit.describe('How many items to return, 1–200 (default 50)'),
  cursor: pageSchema.shape.cursor.describe('Omit for the first page; to get the next page pass the `nextCursor` of the previous result (null there means there is no more)'),
};

/** An optional yes/no flag (the services also accept "true"/"false" strings; assistants get a boolean). */
export const flag = (description: string) => z.boolean().optional().describe(description);

/** An optional string validated by the service (its schema transforms the value, see above). */
export const serviceValidatedString = (schema: z.ZodType) => z.string().optional().describe(descriptionOf(schema) ?? '');

/** A required string validated by the service. */
export const requiredServiceValidatedString = (schema: z.ZodType) => z.string().describe(descriptionOf(schema) ?? '');

/** A create field reused by an update tool: its "(default …)" note does not apply when changing a value. */
export function forUpdate<T extends z.ZodType>(schema: T): T {
  const description = descriptionOf(schema);
  return description ? schema.describe(description.replace(/\s*\(default[^)]*\)/g, '')) : schema;
}
