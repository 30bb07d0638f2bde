import { listCompletions } from '@/lib/habits/service';
import { readQuery, withUser } from '@/lib/http/with-user';

/** A habit's completions, newest first (`limit`, `cursor`). */
export const GET = withUser<{ id: string }>(async (req, { ctx, params }) => listCompletions(ctx, params.id, readQuery(req)));
