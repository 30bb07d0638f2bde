'use client';

import { useActionState } from 'react';
import { type BillingActionState, manageBillingAction, upgradeAction } from './actions';

const initial: BillingActionState = { error: null };

const buttonClass =
  'rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60';

/** "Upgrade": creates a Checkout Session for the module and goes there. */
export function UpgradeButton({ module }: { module: string }) {
  const [state, action, pending] = useActionState(upgradeAction, initial);
  return (
    <form action={action} className="flex flex-col items-end gap-1">
      <input type="hidden" name="module" value={module} />
      <button type="submit" disabled={pending} className={`${buttonClass} bg-indigo-700 text-white hover:bg-indigo-800`} aria-label={`Upgrade: ${module}`}>
        {pending ? 'Opening checkout…' : 'Upgrade'}
      </button>
      {state.error ? (
        <p role="alert" className="max-w-xs text-right text-xs text-red-700">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

/** "Manage billing": opens the Stripe customer portal. */
export function ManageBillingButton() {
  const [state, action, pending] = useActionState(manageBillingAction, initial);
  return (
    <form action={action} className="space-y-1">
      <button type="submit" disabled={pending} className={`${buttonClass} border border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800`}>
        {pending ? 'Opening…' : 'Manage billing'}
      </button>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
