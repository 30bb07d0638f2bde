import { config } from '../config';
import { db } from '../db/client';
import type { HealthAudience } from '../health';
import { presentsMetricsToken } from '../metrics';
import { resolvePrincipal } from './with-user';

/**
 * The audience of a web health endpoint (/api/health, /readyz): an operator when the request sends
 * `Authorization: Bearer <METRICS_TOKEN>`, or the session cookie or a personal access token of an
 * admin (users.is_admin, as the Operations page checks it); anyone else is the public. Never fails:
 * a bad credential, or a database that cannot say who is an admin, means the public answer.
 */
export async function healthAudience(req: Request): Promise<HealthAudience> {
  const authorization = req.headers.get('authorization');
  if (presentsMetricsToken(authorization, config().METRICS_TOKEN)) return 'operator';
  // A load balancer's probe carries no credentials: answer it without asking for a session.
  if (authorization === null && !/session-token=/.test(req.headers.get('cookie') ?? '')) return 'public';
  try {
    const { userId } = await resolvePrincipal(req);
    const user = await db().user.findUnique({ where: { id: userId }, select: { isAdmin: true } });
    return user?.isAdmin ? 'operator' : 'public';
  } catch {
    return 'public';
  }
}
