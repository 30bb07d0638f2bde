import { db } from '@/lib/db/client';
import { logger } from '@/lib/logger';
import { icsForFeedToken } from '@/lib/scheduling/ics-feed';

export const dynamic = 'force-dynamic';

const plain = (status: number, text: string) =>
  new Response(`${text}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/**
 * The secret ICS feed calendar apps subscribe to: `GET /api/ics/<token>.ics`. No session and no
 * Bearer token: the unguessable token in the URL is the credential (Settings rotates or revokes it).
 * Unknown or revoked tokens answer a plain 404, the same as a malformed name.
 */
export async function GET(_req: Request, route: { params: Promise<{ file: string }> }): Promise<Response> {
  const { file } = await route.params;
  const token = file.endsWith('.ics') ? file.slice(0, -4) : null;
  if (!token) return plain(404, 'not found');
  let ics: string | null;
  try {
    ics = await icsForFeedToken(db(), token);
  } catch (error) {
    // Not the error object: a database error can echo the query, and the token is the credential.
    const { name, code } = error as { name?: string; code?: string };
    logger.error({ error: name, code }, 'ics feed failed');
    return plain(500, 'something went wrong on our side');
  }
  if (ics === null) return plain(404, 'not found');
  return new Response(ics, {
    status: 200,
    headers: {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': 'inline; filename="orbita.ics"',
      'cache-control': 'private, max-age=300',
    },
  });
}
