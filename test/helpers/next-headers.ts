import { createRequire } from 'node:module';

/**
 * A Next.js request scope outside a Next.js server, for tests that run next-auth's route handler,
 * getServerSession and server actions in-process: `next/headers` answers with the request under test
 * (`requestScope.headers`), and cookies a server action sets land in `requestScope.setCookies`.
 *
 * next-auth reaches `next/headers` with require() at call time (patched here, on import); code under
 * test imports it as a module, so a test file also needs
 *   vi.mock('next/headers', async () => (await import('../helpers/next-headers')).nextHeaders);
 * (this file imports nothing of the app's, so that mock cannot wait on itself)
 */
export const requestScope = { headers: new Headers(), setCookies: [] as { name: string; value: string; options: Record<string, unknown> }[] };

const parseCookies = (header: string | null) =>
  (header ?? '')
    .split(/;\s*/)
    .filter(Boolean)
    .map((pair) => ({ name: pair.slice(0, pair.indexOf('=')), value: decodeURIComponent(pair.slice(pair.indexOf('=') + 1)) }));

export const nextHeaders = {
  headers: async () => requestScope.headers,
  cookies: async () => {
    const all = parseCookies(requestScope.headers.get('cookie'));
    return {
      getAll: () => all,
      get: (name: string) => all.find((c) => c.name === name),
      has: (name: string) => all.some((c) => c.name === name),
      set: (name: string, value: string, options: Record<string, unknown> = {}) => void requestScope.setCookies.push({ name, value, options }),
      delete: (name: string) => void requestScope.setCookies.push({ name, value: '', options: { maxAge: 0 } }),
    };
  },
};
Object.assign(createRequire(import.meta.url)('next/headers') as Record<string, unknown>, nextHeaders);
