import { isStripeConfigured } from '../config';
import type { ServiceContext } from '../context';
import { moduleNotEnabled } from '../errors';

/** The add-on modules sold through Stripe (SPEC §7). */
export const modules = ['adaptive-frequency', 'smart-habits', 'smart-1to1', 'auto-rescheduler', 'priority-engine', 'ai-inbox'] as const;
export type ModuleName = (typeof modules)[number];

/** What each module adds, as the Billing page and `billing entitlements` describe it. */
export const moduleDescriptions: Record<ModuleName, string> = {
  'adaptive-frequency': 'Adapts habit frequencies and 1:1 cadences to what actually happened',
  'smart-habits': 'Smarter habit planning',
  'smart-1to1': 'Recurring 1:1 meetings, their next occurrence and scheduling',
  'auto-rescheduler': 'Moves missed blocks to the next free slot',
  'priority-engine': 'Priority-driven planning of tasks',
  'ai-inbox': 'An inbox that turns notes into tasks',
};

export const isModuleName = (value: unknown): value is ModuleName => typeof value === 'string' && (modules as readonly string[]).includes(value);

/** 'self-hosted' when Stripe is not configured (every module enabled), else 'stripe'. */
export type BillingMode = 'self-hosted' | 'stripe';
export const billingMode = (): BillingMode => (isStripeConfigured() ? 'stripe' : 'self-hosted');

/**
 * The single gate every door calls before a gated feature. Self-hosted (no STRIPE_API_KEY): every
 * module is on. With Stripe: only with an active entitlement row. There is one row per (user,
 * module); a manual grant replaces the row with source `manual`, and the webhook never touches
 * manual rows, so a manual grant or revoke always wins.
 */
export async function requireModule(ctx: ServiceContext, module: ModuleName): Promise<void> {
  if (!(await hasModule(ctx, module))) throw moduleNotEnabled(module);
}

/** Whether the user may use a module (the same rule as requireModule), for doors that offer it only then. */
export async function hasModule(ctx: ServiceContext, module: ModuleName): Promise<boolean> {
  if (billingMode() === 'self-hosted') return true;
  const row = await ctx.db.entitlement.findUnique({ where: { userId_module: { userId: ctx.userId, module } }, select: { active: true } });
  return row?.active === true;
}
