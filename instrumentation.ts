// Runs once when the Next.js server starts: configuration is validated before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./instrumentation-node');
}
