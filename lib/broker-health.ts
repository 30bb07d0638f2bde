import amqp from 'amqplib';

/** Opens and closes an AMQP connection to check the broker, failing within `timeoutMs`. */
export async function checkBroker(url: string, timeoutMs = 3000) {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const connection = await amqp.connect(url, { timeout: timeoutMs });
    await connection.close();
    return { name: 'broker', ok: true, detail: 'reachable', durationMs: elapsed() };
  } catch (error) {
    return { name: 'broker', ok: false, detail: (error as Error).message || String(error), durationMs: elapsed() };
  }
}
