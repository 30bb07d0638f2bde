/**
 * The server Playwright tests run against: `scripts/start.ts` (build if needed + `next start`) on a
 * fresh database that is dropped afterwards, with Stripe and Google pointed at loopback fakes.
 *
 * Specs cannot reach the fakes' in-memory stores (they live in this process), so a small control
 * server on 127.0.0.1:<PORT + 2> (E2E_CONTROL_PORT) lets them inspect and break the fake Google:
 *   GET  /google/events?calendar=<id>       the fake's events on that calendar (JSON array)
 *   POST /google/events?calendar=<id>       stores an event (JSON body; status, updated, etag filled in)
 *   POST /google/revoke-refresh-tokens      every refresh token → invalid_grant
 *   POST /google/identity {email, email_verified, name}  who the next consent signs in as (fake.signInAs;
 *                                           `{}`: back to the e2e account, verified)
 *   POST /google/expire-access-tokens       stored access tokens expire now (PostgreSQL only; 501 on PGlite)
 *   POST /sql {sql, params, write?}         runs a query (in a READ ONLY transaction unless `write`), answers the rows (PostgreSQL only)
 *   POST /admin {email}                     makes that user an admin (PostgreSQL only)
 *   POST /outage {on}                       on: the database refuses new connections and drops the open ones
 *                                           (as while PostgreSQL restarts); off: accepts them again (PostgreSQL only)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../lib/paths';
import { modules } from '../lib/billing/modules';
import { type FakeGoogle, type FakeGoogleEvent, startFakeGoogle } from '../test/fakes/google/server';
import { startFakeStripe } from '../test/fakes/stripe/server';
import { createEmptyDatabase } from '../test/helpers/database';

/** The fake Google account every e2e user connects (e2e/calendar.spec.ts repeats it). */
const e2eGoogleAccount = 'e2e.calendar@example.com';

/** The control server's port, the same rule the specs use. */
const controlPort = () => Number(process.env.E2E_CONTROL_PORT ?? Number(process.env.PORT ?? process.env.E2E_PORT ?? 3100) + 2);

function startControlServer(google: FakeGoogle, databaseUrl: string | null) {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      if (req.method === 'GET' && url.pathname === '/google/events') {
        return send(200, [...google.events(url.searchParams.get('calendar') ?? 'primary').values()]);
      }
      if (req.method === 'POST' && url.pathname === '/google/events') {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<FakeGoogleEvent> & Pick<FakeGoogleEvent, 'id' | 'start' | 'end'>;
        const stored: FakeGoogleEvent = { ...event, status: event.status ?? 'confirmed', updated: event.updated ?? new Date().toISOString(), etag: event.etag ?? `"${Date.now()}"` };
        google.events(url.searchParams.get('calendar') ?? 'primary').set(stored.id, stored);
        return send(201, stored);
      }
      if (req.method === 'POST' && url.pathname === '/google/identity') {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { email?: string; email_verified?: boolean | null; name?: string };
        return send(200, google.signInAs({ ...body, email: body.email ?? google.accountEmail }));
      }
      if (req.method === 'POST' && url.pathname === '/google/revoke-refresh-tokens') {
        google.revokeRefreshTokens();
        return send(200, { ok: true });
      }
      if (req.method === 'POST' && url.pathname === '/google/expire-access-tokens') {
        if (!databaseUrl) return send(501, { error: 'needs PostgreSQL (TEST_DATABASE_URL)' });
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          const result = await client.query(`UPDATE oauth_tokens SET expires_at = now() - interval '1 minute'`);
          return send(200, { expired: result.rowCount });
        } finally {
          await client.end();
        }
      }
      if (req.method === 'POST' && url.pathname === '/outage') {
        if (!databaseUrl) return send(501, { error: 'needs PostgreSQL (TEST_DATABASE_URL)' });
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const { on } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { on?: boolean };
        const name = new URL(databaseUrl).pathname.slice(1);
        // From the maintenance database: the app's database is the one going away.
        const client = new pg.Client({ connectionString: Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString() });
        await client.connect();
        try {
          await client.query(`ALTER DATABASE ${pg.escapeIdentifier(name)} ALLOW_CONNECTIONS ${on ? 'false' : 'true'}`);
          if (on) await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
          return send(200, { outage: Boolean(on) });
        } finally {
          await client.end();
        }
      }
      if (req.method === 'POST' && (url.pathname === '/sql' || url.pathname === '/admin')) {
        if (!databaseUrl) return send(501, { error: 'needs PostgreSQL (TEST_DATABASE_URL)' });
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { sql?: string; params?: unknown[]; write?: boolean; email?: string };
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          if (url.pathname === '/admin') {
            const result = await client.query('UPDATE users SET is_admin = true WHERE email = $1', [body.email]);
            return send(result.rowCount ? 200 : 404, { updated: result.rowCount });
          }
          await client.query(body.write ? 'BEGIN' : 'BEGIN READ ONLY');
          const result = await client.query(String(body.sql), body.params ?? []);
          await client.query(body.write ? 'COMMIT' : 'ROLLBACK');
          return send(200, result.rows);
        } finally {
          await client.end();
        }
      }
      return send(404, { error: 'not found' });
    })().catch((error: unknown) => send(500, { error: String(error) }));
  });
  server.listen(controlPort(), '127.0.0.1');
  return server;
}

async function main() {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXTAUTH_SECRET: 'e2e-secret-not-for-production', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  const stripe = await startFakeStripe();
  // Stripe for the browser tests: the loopback fake, with a price for every module.
  for (const name of modules) stripe.putPrice({ id: `price_${name.replace(/-/g, '_')}`, lookup_key: `orbita:${name}` });
  Object.assign(env, { STRIPE_API_KEY: 'sk_test_e2e', STRIPE_WEBHOOK_SECRET: 'whsec_e2e', STRIPE_API_BASE_URL: stripe.url });

  // Google Calendar for the browser tests: the loopback fake (consent page, token endpoint, Calendar v3).
  const google = await startFakeGoogle({ accountEmail: e2eGoogleAccount });
  const appUrl = (process.env.NEXTAUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
  Object.assign(env, {
    OAUTH_PROVIDER: 'google',
    OAUTH_CLIENT_ID: google.clientId,
    OAUTH_CLIENT_SECRET: google.clientSecret,
    OAUTH_AUTH_URL: google.authUrl,
    OAUTH_TOKEN_URL: google.tokenUrl,
    OAUTH_REDIRECT_URL: `${appUrl}/api/calendar/oauth/callback`,
    GOOGLE_API_BASE_URL: google.apiBaseUrl,
    ORBITA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  });
  delete env.ORBITA_ENCRYPTION_KEYS_OLD;
  delete env.CALENDAR_ID;
  delete env.CALENDAR_DELETE_MISSING;

  let cleanup = async () => {};
  let databaseUrl: string | null = null;
  if (process.env.TEST_DATABASE_URL || process.env.CI === 'true') {
    const database = await createEmptyDatabase();
    env.DATABASE_URL = database.url;
    databaseUrl = database.url;
    cleanup = database.drop;
  } else {
    delete env.DATABASE_URL;
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'orbita-e2e-'));
    env.ORBITA_HOME = home;
    cleanup = async () => fs.rmSync(home, { recursive: true, force: true });
  }
  const control = startControlServer(google, databaseUrl);
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'start.ts')], { cwd: projectRoot, env, stdio: 'inherit' });
  const stop = (signal: NodeJS.Signals) => server.kill(signal);
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  server.on('exit', async (code) => {
    await cleanup().catch(() => {});
    await stripe.close().catch(() => {});
    await google.close().catch(() => {});
    control.close();
    process.exit(code ?? 0);
  });
}

void main();
