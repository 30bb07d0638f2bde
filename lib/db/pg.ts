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

/**
 * Keeps a connection that dies from taking the process with it. PostgreSQL ending a session (a
 * restart, pg_terminate_backend: FATAL 57P01) can reach a client as a second 'error' after pg-pool
 * took its own listener off it (a checked-out client whose query already failed), and an 'error'
 * with no listener is an uncaught exception. Every client gets a listener of its own for its whole
 * life: the queries on it still fail (and answer 503), and pg-pool still drops it.
 * `onIdleError` hears what pg-pool reports for idle clients (each once).
 */
export function guardPool(pool: pg.Pool, onIdleError: (error: Error) => void = () => {}): pg.Pool {
  pool.on('error', onIdleError);
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}
