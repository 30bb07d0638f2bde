import { openApiDocument } from '@/lib/http/openapi';
import { secured } from '@/lib/http/security-headers';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

/** The OpenAPI 3.1 document of REST v1, generated from the operations' zod schemas. Public. */
export const GET = secured(() => Response.json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } }));

const notServed = methodNotAllowed('GET');
export { notServed as POST, notServed as PUT, notServed as PATCH, notServed as DELETE };
