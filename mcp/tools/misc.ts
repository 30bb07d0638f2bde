import { adapt, adaptSchema } from '../../lib/adapt/service';
import { done, doneSchema } from '../../lib/done/service';
import type { HealthCheck } from '../../lib/health';
import { defineTool, type ToolDefinition } from '../registry';
import { flag, noInput, toolInput } from './fields';

/** Pings the database the server itself uses (the connection pool in ctx.db), timed like lib/health.ts checks. */
async function checkServiceDatabase(db: { $queryRaw: (query: TemplateStringsArray) => Promise<unknown> }): Promise<HealthCheck> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    await db.$queryRaw`SELECT 1`;
    return { name: 'database', ok: true, detail: 'reachable', durationMs: elapsed() };
  } catch (error) {
    return { name: 'database', ok: false, detail: ((error as Error).message || String(error)).split('\n')[0], durationMs: elapsed() };
  }
}

export const miscTools: ToolDefinition[] = [
  defineTool({
    name: 'adapt',
    title: 'Adapt habits and 1:1s to what happened',
    description:
      'Adaptive frequency, applied at once: per active habit, over the last windowDays full days, one more session per week when ≥ 85% of due sessions were done, one fewer when ≤ 40% (1–7 per week); per 1:1, a cadence that fits the days since it was last held. Needs the adaptive-frequency module (and smart-1to1 for meetings). Returns { habits: { evaluated, updated, skipped, window, habits: [{ id, name, from, to, changed, skipped, ratio, completions, dueOccasions, reason }] } | null, meetings: { evaluated, updated, meetings: [{ id, name, from, to, changed, daysSinceHeld, reason }] } | null }.',
    input: toolInput({
      ...adaptSchema.shape,
      habits: flag(adaptSchema.shape.habits.description!),
      meetings: flag(adaptSchema.shape.meetings.description!),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, input) => adapt(ctx, input),
  }),
  defineTool({
    name: 'done',
    title: 'Mark something done',
    description:
      'Shortcut: completes the open task, or logs today\'s session of the habit due today, whose id starts with prefix (as lists show ids, e.g. the first 8 characters). A prefix matching several items is a validation error listing them. Returns { kind: "task", task } or { kind: "habit", log: { habit, completion } }.',
    input: toolInput({ ...doneSchema.shape }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
    run: (ctx, input) => done(ctx, input),
  }),
  defineTool({
    name: 'health',
    title: 'Health check',
    description: "Checks that Orbita's database answers. Returns { status: 'ok' | 'fail', checks: [{ name, ok, detail, durationMs }] }.",
    input: noInput(),
    annotations: { readOnlyHint: true },
    run: async (ctx) => {
      const checks = [await checkServiceDatabase(ctx.db)];
      return { status: checks.every((c) => c.ok) ? 'ok' : 'fail', checks };
    },
  }),
];
