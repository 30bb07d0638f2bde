import type { Db } from '../../lib/db/client';
import { createAccessToken } from '../../lib/identity/tokens';
import { createUser } from '../../lib/identity/users';

export interface TestUser {
  id: string;
  /** A read+write personal access token, for REST calls. */
  token: string;
}

/** A user in `timeZone` with a personal access token. */
export async function userWithToken(db: Db, name: string, timeZone: string): Promise<TestUser> {
  const user = await createUser(db, { name, timeZone });
  const { token } = await createAccessToken({ db, userId: user.id, now: () => new Date() }, { name: 'test' });
  return { id: user.id, token };
}
