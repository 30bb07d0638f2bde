import { secured } from '@/lib/http/security-headers';

export const dynamic = 'force-dynamic';

/**
 * Liveness of the web process alone: 200 while it serves requests, whatever the database does (a
 * liveness probe that followed the database would restart healthy replicas during a database
 * outage; /readyz and /api/health check the database). Also the trivial handler bench:api compares
 * the API with.
 */
export const GET = secured(() => Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } }));
