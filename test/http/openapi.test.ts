import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GET } from '../../app/api/v1/openapi.json/route';
import { projectRoot } from '../../lib/paths';

const apiRoot = path.join(projectRoot, 'app', 'api', 'v1');
// The document itself, and the JSON 404 for paths no route serves.
const undocumented = new Set(['/openapi.json', '/{path}']);

/** Every (method, path) the route files under app/api/v1 export, e.g. `post /tasks/{id}/start`. */
function implementedOperations(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') {
        const apiPath = `/${path.relative(apiRoot, dir).split(path.sep).join('/')}`.replace(/\[(?:\.\.\.)?(\w+)\]/g, '{$1}');
        if (undocumented.has(apiPath)) continue;
        const source = fs.readFileSync(full, 'utf8');
        for (const [, method] of source.matchAll(/export (?:const|async function|function) (GET|POST|PATCH|PUT|DELETE)\b/g)) {
          found.push(`${method.toLowerCase()} ${apiPath}`);
        }
      }
    }
  };
  walk(apiRoot);
  return found.sort();
}

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document describing exactly the routes that exist', async () => {
    const response = await GET(new Request('http://localhost/api/v1/openapi.json'));
    expect(response.status).toBe(200);
    const doc = await response.json();
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([p, methods]) => Object.keys(methods).map((method) => `${method} ${p}`))
      .sort();
    expect(documented).toEqual(implementedOperations());
  });

  it('derives request bodies and query parameters from the operations\' zod schemas', async () => {
    const doc = await (await GET(new Request('http://localhost/api/v1/openapi.json'))).json();
    const create = doc.paths['/tasks'].post;
    expect(create.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['title'],
      additionalProperties: false,
      properties: { title: { type: 'string', maxLength: 500 }, priority: { enum: ['none', 'low', 'medium', 'high', 'urgent'] } },
    });
    const list = doc.paths['/tasks'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'status', 'overdue', 'sort']));
    expect(doc.paths['/tasks/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(doc.paths['/tasks/{id}'].get.responses['404'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    const ids = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((m) => Object.values(m).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists every error code, and the answers of operations that call Google', async () => {
    const doc = await (await GET(new Request('http://localhost/api/v1/openapi.json'))).json();
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual(expect.arrayContaining(['upstream_error', 'unavailable', 'rate_limited', 'validation_error']));
    expect(Object.keys(doc.paths['/calendar/sync'].post.responses)).toEqual(expect.arrayContaining(['429', '502', '503']));
    expect(doc.paths['/calendar/settings'].get.responses['502']).toBeUndefined();
    expect(doc.paths['/tasks'].get.responses['502']).toBeUndefined();
  });
});
