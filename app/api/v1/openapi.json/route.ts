import { openApiDocument } from '@/lib/http/openapi';

/** The OpenAPI 3.1 document of REST v1, generated from the operations' zod schemas. Public. */
export function GET(): Response {
  return Response.json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } });
}
