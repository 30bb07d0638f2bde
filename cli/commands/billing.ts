import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { getBillingStatus, grantModule, listEntitlements } from '../../lib/billing/entitlements';
import type { GrantModuleInput } from '../../lib/billing/schemas';
import { handleStripeEvent } from '../../lib/billing/webhook';
import { validationError } from '../../lib/errors';
import { printJson, printRecord, printTable } from '../output';
import { withDatabase, withUserContext } from '../runtime';

/** `--active`, `--active true`, `--active=false`: a boolean flag that also takes true/false. */
function parseActive(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new InvalidArgumentError('must be true or false');
}

async function readEvent(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw validationError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw validationError(`${file} is not valid JSON`);
  }
}

export function registerBilling(program: Command): void {
  const billing = program.command('billing').description('subscription, module entitlements and Stripe webhooks');

  billing
    .command('status')
    .description('show the subscription: plan, status, period end, Stripe ids')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const status = await withUserContext((ctx) => getBillingStatus(ctx));
      if (o.json) return printJson(status);
      if (status.message) console.log(status.message);
      if (!status.status) return console.log('no subscription');
      printRecord([
        ['plan', status.plan],
        ['status', status.status],
        ['period end', status.currentPeriodEnd],
        ['cancels at period end', status.cancelAtPeriodEnd ? 'yes' : 'no'],
        ['customer', status.stripeCustomerId],
        ['subscription', status.stripeSubscriptionId],
      ]);
    });

  billing
    .command('entitlements')
    .description('list every module and whether it is enabled')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const view = await withUserContext((ctx) => listEntitlements(ctx));
      if (o.json) return printJson(view);
      if (view.message) console.log(view.message);
      printTable(
        view.modules.map((m) => ({ ...m, enabled: m.enabled ? 'on' : 'off' })),
        [
          { key: 'module', header: 'module' },
          { key: 'enabled', header: 'enabled' },
          { key: 'source', header: 'source' },
        ],
      );
    });

  billing
    .command('grant')
    .description('grant (or with --active=false revoke) a module manually; overrides Stripe')
    .requiredOption('--module <module>', 'the module, e.g. adaptive-frequency')
    .option('--active [bool]', 'true (the default) grants, false revokes', parseActive, true)
    .option('--json', 'machine-readable output')
    .action(async (o: { module: string; active: boolean; json?: boolean }) => {
      const result = await withUserContext((ctx) => grantModule(ctx, { module: o.module as GrantModuleInput['module'], active: o.active }));
      if (o.json) return printJson(result);
      console.log(`${result.active ? 'granted' : 'revoked'} ${result.module} (manual)${result.changed ? '' : ', unchanged'}`);
    });

  billing
    .command('webhook')
    .description('process a Stripe event from a JSON file with the webhook handler (no signature check; operator use)')
    .requiredOption('--event <file>', 'the event JSON, e.g. ./event.json')
    .option('--json', 'machine-readable output')
    .action(async (o: { event: string; json?: boolean }) => {
      const event = await readEvent(o.event);
      const result = await withDatabase((db) => handleStripeEvent(db, event));
      if (o.json) return printJson(result);
      console.log(`${result.type} ${result.eventId}: ${result.outcome}${result.userId ? ` (user ${result.userId})` : ''}`);
    });
}
