import type { z } from 'zod';
import type { ServiceContext } from '../lib/context';

/**
 * One MCP tool: a name (`^[a-z][a-z0-9_]*$`, grouped by prefix: `task_create`, `habit_log`, …), a
 * description written for a language model, a zod object as input (descriptions on every field),
 * annotations, and `run`, which calls one lib/ service as the acting user. Every server (standalone
 * and /api/mcp) registers the same list (mcp/tools/index.ts).
 */
export interface ToolDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject<Shape>;
  annotations: {
    readOnlyHint: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
  };
  /** Returns a JSON-serialisable result (it becomes `structuredContent` and the text content). */
  run(ctx: ServiceContext, input: z.infer<z.ZodObject<Shape>>): Promise<unknown>;
}

export function defineTool<Shape extends z.ZodRawShape>(tool: ToolDefinition<Shape>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}
