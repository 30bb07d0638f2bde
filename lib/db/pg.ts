import type pg from 'pg';

/**
 * Runs `fn` with a client checked out of `pool`. pg-pool drops its error listener from a client
 * while it is checked out, so a connection that dies mid-checkout would emit an unhandled 'error'
 * and kill the process; the error is swallowed here (the pending query rejects on its own) and the
 * broken client is destroyed instead of being returned to the pool.
 */
export async function withPoolClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return await fn(client);
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
