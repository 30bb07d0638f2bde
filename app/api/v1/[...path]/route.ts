import { notFound } from '@/lib/errors';
import { errorResponse } from '@/lib/http/errors';
import { secured } from '@/lib/http/security-headers';

/**
 * Any /api/v1 path no route serves: a JSON 404 in the API's error shape (Next.js would answer its
 * HTML not-found page, and REST v1 skips proxy.ts, which gives pages their CSP).
 */
const unknownRoute = secured((req: Request) =>
  errorResponse(notFound(`no API route ${req.method} ${new URL(req.url).pathname}: see /api/v1/openapi.json for the routes`)),
);

export const GET = unknownRoute;
export const HEAD = unknownRoute;
export const POST = unknownRoute;
export const PUT = unknownRoute;
export const PATCH = unknownRoute;
export const DELETE = unknownRoute;
export const OPTIONS = unknownRoute;
export const dynamic = 'force-dynamic';
