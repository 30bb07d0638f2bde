import type { DbTx } from './db/client';

/** What every service receives: the database, the acting user and a clock (fixed in tests). */
export interface ServiceContext {
  db: DbTx;
  userId: string;
  now: () => Date;
  /**
   * The user's time zone when the door already holds it (the MCP server remembers it with the
   * token for a few seconds); userZone() then skips its lookup. Only read-only operations get it,
   * so a zone changed a moment ago can at worst show times in the old zone for those seconds; it
   * never decides what a write stores.
   */
  timeZone?: string;
}

export const systemClock = () => new Date();
