import type { ServiceContext } from '../context';

/** The add-on modules sold through Stripe (SPEC §7). */
export const modules = ['adaptive-frequency', 'smart-habits', 'smart-1to1', 'auto-rescheduler', 'priority-engine', 'ai-inbox'] as const;
export type ModuleName = (typeof modules)[number];

/**
 * The single gate every door calls before a gated feature. Until billing lands (issue 7) every
 * module is enabled, which is also the self-hosted rule when Stripe is not configured.
 */
export async function requireModule(_ctx: ServiceContext, _module: ModuleName): Promise<void> {}
