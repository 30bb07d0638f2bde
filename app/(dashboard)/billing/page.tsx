import type { Metadata } from 'next';
import { getBillingStatus, listEntitlements } from '@/lib/billing/entitlements';
import { moduleDescriptions } from '@/lib/billing/modules';
import { systemClock } from '@/lib/context';
import { db } from '@/lib/db/client';
import { formatDate, wallClock } from '@/lib/format';
import { requireSessionUser } from '@/lib/identity/session';
import { ManageBillingButton, UpgradeButton } from './billing-buttons';

export const metadata: Metadata = { title: 'Billing' };

const checkoutMessages: Record<string, string> = {
  success: 'Thank you! The module turns on as soon as Stripe confirms the payment.',
  canceled: 'Checkout was canceled: nothing was charged.',
};

export default async function BillingPage({ searchParams }: { searchParams: Promise<{ checkout?: string }> }) {
  const user = await requireSessionUser();
  const ctx = { db: db(), userId: user.id, now: systemClock };
  const [status, entitlements, { checkout }] = await Promise.all([getBillingStatus(ctx), listEntitlements(ctx), searchParams]);
  const selfHosted = status.mode === 'self-hosted';
  const periodEnd = status.currentPeriodEnd
    ? formatDate(wallClock(status.currentPeriodEnd, user.timeZone).date)
    : null;

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-bold">Billing</h1>
      {checkout && checkoutMessages[checkout] ? (
        <p role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950">
          {checkoutMessages[checkout]}
        </p>
      ) : null}
      {selfHosted ? (
        <p role="status" className="rounded-lg border border-indigo-200 bg-indigo-50 p-3 text-sm dark:border-indigo-900 dark:bg-indigo-950" data-testid="self-hosted">
          Self-hosted: all modules are enabled. Billing is off because <code>STRIPE_API_KEY</code> is not set.
        </p>
      ) : null}

      <section aria-labelledby="plan-heading" className="space-y-3">
        <h2 id="plan-heading" className="text-lg font-semibold">
          Plan
        </h2>
        <dl className="grid grid-cols-[10rem_1fr] gap-y-1 text-sm" data-testid="plan">
          <dt className="text-slate-600 dark:text-slate-400">Plan</dt>
          <dd>{status.plan ?? (selfHosted ? 'Self-hosted' : 'Free')}</dd>
          <dt className="text-slate-600 dark:text-slate-400">Status</dt>
          <dd>{status.status ? status.status.replace('_', ' ') : 'no subscription'}</dd>
          <dt className="text-slate-600 dark:text-slate-400">{status.cancelAtPeriodEnd ? 'Ends on' : 'Renews on'}</dt>
          <dd>{periodEnd ?? '—'}</dd>
        </dl>
        {selfHosted ? null : <ManageBillingButton />}
      </section>

      <section aria-labelledby="modules-heading" className="space-y-3">
        <h2 id="modules-heading" className="text-lg font-semibold">
          Modules
        </h2>
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-200 dark:border-slate-800">
              <th scope="col" className="py-2 font-medium">Module</th>
              <th scope="col" className="py-2 font-medium">Status</th>
              <th scope="col" className="py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entitlements.modules.map((m) => (
              <tr key={m.module} className="border-b border-slate-100 align-top dark:border-slate-800" data-testid={`module-${m.module}`}>
                <td className="py-3 pr-4">
                  <div className="font-medium">{m.module}</div>
                  <div className="text-slate-600 dark:text-slate-400">{moduleDescriptions[m.module]}</div>
                </td>
                <td className="py-3 pr-4">
                  <span
                    className={`rounded-full px-2 py-0.5 text-xs font-medium ${m.enabled ? 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100' : 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200'}`}
                  >
                    {m.enabled ? 'On' : 'Off'}
                  </span>
                  {m.source && !selfHosted ? <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">({m.source})</span> : null}
                </td>
                <td className="py-3 text-right">{!selfHosted && !m.enabled ? <UpgradeButton module={m.module} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
