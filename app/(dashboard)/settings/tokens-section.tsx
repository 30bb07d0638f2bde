'use client';

import { useActionState, useTransition } from 'react';
import { buttonClass, Field } from '@/components/field';
import { type CreateTokenState, createTokenAction, revokeTokenAction } from './actions';

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  /** When it was last used, in the user's zone (lib/format.ts); formatted by the server, so the browser's zone never enters. */
  lastUsed: string | null;
  revokedAt: string | null;
}

const initial: CreateTokenState = { token: null, errors: {}, values: { name: '', scopes: ['read', 'write'] } };

export function TokensSection({ tokens }: { tokens: TokenRow[] }) {
  const [state, action, pending] = useActionState(createTokenAction, initial);
  const [revoking, startRevoke] = useTransition();

  return (
    <section aria-labelledby="tokens-heading" className="space-y-4">
      <div>
        <h2 id="tokens-heading" className="text-lg font-semibold">
          Personal access tokens
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          For the REST API and MCP clients: send <code>Authorization: Bearer &lt;token&gt;</code>.
        </p>
      </div>

      <form action={action} className="flex flex-wrap items-end gap-4" noValidate>
        <div className="w-64">
          <Field label="Token name" name="name" defaultValue={state.values.name} key={state.token ?? 'form'} error={state.errors.name} placeholder="e.g. Claude Desktop" />
        </div>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium">Scopes</legend>
          <div className="flex gap-3 text-sm">
            {['read', 'write'].map((scope) => (
              <label key={scope} className="flex items-center gap-1">
                <input type="checkbox" name="scopes" value={scope} defaultChecked={state.values.scopes.includes(scope)} />
                {scope}
              </label>
            ))}
          </div>
          {state.errors.scopes ? (
            <p role="alert" className="text-sm text-red-700">
              {state.errors.scopes}
            </p>
          ) : null}
        </fieldset>
        <button type="submit" className={buttonClass} disabled={pending}>
          {pending ? 'Creating…' : 'Create token'}
        </button>
      </form>

      {state.token ? (
        <div role="status" className="space-y-1 rounded-lg border border-emerald-300 bg-emerald-50 p-4 dark:border-emerald-800 dark:bg-emerald-950">
          <p className="text-sm font-medium">Copy this token now. It will not be shown again.</p>
          <code data-testid="new-token" className="block break-all rounded bg-white p-2 font-mono text-sm dark:bg-slate-900">
            {state.token}
          </code>
        </div>
      ) : null}

      {tokens.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No tokens yet.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-200 dark:border-slate-800">
              <th className="py-2 font-medium">Name</th>
              <th className="py-2 font-medium">Token</th>
              <th className="py-2 font-medium">Scopes</th>
              <th className="py-2 font-medium">Last used</th>
              <th className="py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id} className="border-b border-slate-100 dark:border-slate-800">
                <td className="py-2">{token.name}</td>
                <td className="py-2 font-mono">{token.prefix}…</td>
                <td className="py-2">{token.scopes.join(', ')}</td>
                <td className="py-2">{token.lastUsed ?? 'never'}</td>
                <td className="py-2 text-right">
                  {token.revokedAt ? (
                    <span className="text-slate-500">revoked</span>
                  ) : (
                    <button
                      type="button"
                      disabled={revoking}
                      aria-label={`Revoke token ${token.name}`}
                      onClick={() => {
                        const form = new FormData();
                        form.set('tokenId', token.id);
                        startRevoke(async () => {
                          await revokeTokenAction(form);
                        });
                      }}
                      className="rounded-md border border-red-300 px-2 py-1 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-400"
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
