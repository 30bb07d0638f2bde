import { getBillingStatus, listEntitlements } from '../../lib/billing/entitlements';
import { modules } from '../../lib/billing/modules';
import { defineTool, type ToolDefinition } from '../registry';
import { noInput } from './fields';

/** Read-only: granting modules is an operator's job (CLI `billing grant`), never an assistant's. */
export const billingTools: ToolDefinition[] = [
  defineTool({
    name: 'billing_status',
    title: 'Billing status',
    description:
      "Shows the user's plan and subscription. Returns { mode ('self-hosted': every module enabled, or 'stripe'), message, plan, status, currentPeriodEnd (ISO-8601 with offset), cancelAtPeriodEnd, stripeCustomerId, stripeSubscriptionId }.",
    input: noInput(),
    annotations: { readOnlyHint: true },
    run: (ctx) => getBillingStatus(ctx),
  }),
  defineTool({
    name: 'billing_entitlements',
    title: 'Enabled modules',
    description: `Lists the paid modules (${modules.join(', ')}) and whether each is enabled for the user — a tool that needs a disabled module fails with module_not_enabled. Returns { mode, message, modules: [{ module, enabled, active, source, updatedAt }] }.`,
    input: noInput(),
    annotations: { readOnlyHint: true },
    run: (ctx) => listEntitlements(ctx),
  }),
];
