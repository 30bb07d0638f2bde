import { db } from '@/lib/db/client';
import { secured } from '@/lib/http/security-headers';

export const dynamic = 'force-dynamic';

/** Liveness + database ping for load balancers. */
export const GET = secured(async () => {
  try {
    await db().$queryRaw`SELECT 1`;
    return Response.json({ status: 'ok', checks: { database: 'ok' } });
  } catch (error) {
    return Response.json(
      { status: 'error', checks: { database: 'unreachable' }, error: { code: 'unavailable', message: (error as Error).message.split('\n')[0] } },
      { status: 503 },
    );
  }
});
