import { created, readBody, readQuery, withUser } from '@/lib/http/with-user';
import { addBlock, listBlocks } from '@/lib/scheduling/blocks';
import { methodNotAllowed } from '@/lib/http/method-not-allowed';

export const GET = withUser(async (req, { ctx }) => listBlocks(ctx, readQuery(req)));
export const POST = withUser(async (req, { ctx }) => created(await addBlock(ctx, await readBody(req))));

const notServed = methodNotAllowed('GET', 'POST');
export { notServed as PUT, notServed as PATCH, notServed as DELETE };
