import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { answersMethodNotAllowed } from '../../lib/http/method-not-allowed';
import { projectRoot } from '../../lib/paths';

// Every REST v1 route answers every method: the ones it serves, and a 405 in the API's error shape
// for the rest (Next.js's own 405 has an empty body and no security headers). A new route file
// that forgets `methodNotAllowed` fails here.
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const v1 = path.join(projectRoot, 'app', 'api', 'v1');
const routeFiles = (fs.readdirSync(v1, { recursive: true }) as string[])
  .filter((file) => path.basename(file) === 'route.ts' && !file.includes('[...path]'))
  .sort();

it('finds the REST v1 routes', () => {
  expect(routeFiles.length).toBeGreaterThan(20);
});

it.each(routeFiles)('%s: 405 with Allow, the JSON error and the API headers for every method it does not serve', async (file) => {
  const mod = (await import(path.join(v1, file))) as Record<string, unknown>;
  const handlers = methods.map((method) => [method, mod[method]] as const);
  const missing = handlers.filter(([, handler]) => typeof handler !== 'function').map(([method]) => method);
  expect(missing, 'methods with no handler (export methodNotAllowed(...) for them)').toEqual([]);
  const served = handlers.filter(([, handler]) => !(answersMethodNotAllowed in (handler as object))).map(([method]) => method);
  expect(served.length).toBeGreaterThan(0);
  const allow = [...served, ...(served.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  for (const [method, handler] of handlers) {
    if (served.includes(method)) continue;
    const url = `http://127.0.0.1/api/v1/${path.dirname(file)}`;
    const response = await (handler as (req: Request) => Promise<Response>)(new Request(url, { method, body: method === 'GET' ? undefined : '{}' }));
    expect(response.status, `${method} ${file}`).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.json()).toEqual({ error: { code: 'method_not_allowed', message: `${method} is not served here; this route serves ${served.join(' and ')}` } });
  }
});
