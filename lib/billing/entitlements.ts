import type { ServiceContext } from '../context';
import { type DbTx, transaction } from '../db/client';
import type { Entitlement, Subscription } from '../generated/prisma/client';
import { appendEvent } from '../outbox/append';
import { type BillingMode, billingMode, type ModuleName, modules } from './modules';
import { type GrantModuleInput, grantModuleSchema } from './schemas';

export { billingMode } from './modules';

export const selfHostedMessage = 'self-hosted: all modules enabled';

export interface EntitlementView {
  module: ModuleName;
  /** Whether the module works for this user now (always true when self-hosted). */
  enabled: boolean;
  /** The stored entitlement's state, or null when there is no row. */
  active: boolean | null;
  source: Entitlement['source'] | null;
  updatedAt: string | null;
}

export interface EntitlementsView {
  mode: BillingMode;
  /** "self-hosted: all modules enabled" when Stripe is not configured. */
  message: string | null;
  modules: EntitlementView[];
}

export interface BillingStatusView {
  mode: BillingMode;
  message: string | null;
  plan: string | null;
  status: Subscription['status'] | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
}

export function entitlementPayload(row: Pick<Entitlement, 'userId' | 'module' | 'active' | 'source'>, previous: Pick<Entitlement, 'active' | 'source'> | null) {
  return {
    entitlement: { userId: row.userId, module: row.module, active: row.active, source: row.source },
    previous: previous ? { active: previous.active, source: previous.source } : null,
  };
}

/** Records billing.entitlement.changed for one (user, module) row. */
export async function recordEntitlementChanged(
  tx: DbTx,
  row: Pick<Entitlement, 'userId' | 'module' | 'active' | 'source'>,
  previous: Pick<Entitlement, 'active' | 'source'> | null,
): Promise<void> {
  await appendEvent(tx, {
    aggregateType: 'entitlement',
    aggregateId: `${row.userId}:${row.module}`,
    eventType: 'billing.entitlement.changed',
    userId: row.userId,
    payload: entitlementPayload(row, previous),
  });
}

export async function listEntitlements(ctx: ServiceContext): Promise<EntitlementsView> {
  const mode = billingMode();
  const rows = await ctx.db.entitlement.findMany({ where: { userId: ctx.userId } });
  const byModule = new Map(rows.map((row) => [row.module, row]));
  return {
    mode,
    message: mode === 'self-hosted' ? selfHostedMessage : null,
    modules: modules.map((module) => {
      const row = byModule.get(module);
      return {
        module,
        enabled: mode === 'self-hosted' ? true : row?.active === true,
        active: row?.active ?? null,
        source: row?.source ?? null,
        updatedAt: row?.updatedAt.toISOString() ?? null,
      };
    }),
  };
}

/**
 * A manual grant (active) or revoke (inactive): replaces the row's state and source, so it
 * overrides whatever Stripe says until changed again manually. An event is recorded on change.
 */
export async function grantModule(ctx: ServiceContext, input: GrantModuleInput): Promise<EntitlementView & { changed: boolean }> {
  const data = grantModuleSchema.parse(input);
  const now = ctx.now();
  return transaction(ctx.db, async (tx) => {
    const key = { userId_module: { userId: ctx.userId, module: data.module } };
    const previous = await tx.entitlement.findUnique({ where: key });
    const row = await tx.entitlement.upsert({
      where: key,
      create: { userId: ctx.userId, module: data.module, active: data.active, source: 'manual', createdAt: now, updatedAt: now },
      update: { active: data.active, source: 'manual', updatedAt: now },
    });
    const changed = !previous || previous.active !== row.active || previous.source !== row.source;
    if (changed) await recordEntitlementChanged(tx, row, previous);
    return {
      module: data.module,
      enabled: billingMode() === 'self-hosted' ? true : row.active,
      active: row.active,
      source: row.source,
      updatedAt: row.updatedAt.toISOString(),
      changed,
    };
  });
}

export async function getBillingStatus(ctx: ServiceContext): Promise<BillingStatusView> {
  const mode = billingMode();
  const sub = await ctx.db.subscription.findUnique({ where: { userId: ctx.userId } });
  return {
    mode,
    message: mode === 'self-hosted' ? selfHostedMessage : null,
    plan: sub?.plan ?? null,
    status: sub?.status ?? null,
    currentPeriodEnd: sub?.currentPeriodEnd?.toISOString() ?? null,
    cancelAtPeriodEnd: sub?.cancelAtPeriodEnd ?? false,
    stripeCustomerId: sub?.stripeCustomerId ?? null,
    stripeSubscriptionId: sub?.stripeSubscriptionId ?? null,
  };
}
