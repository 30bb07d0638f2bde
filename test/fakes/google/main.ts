import { startFakeGoogle } from './server';

/** `npm run fake:google`: the loopback fake Google on FAKE_GOOGLE_PORT (default 8085), for manual runs. */
const port = Number(process.env.FAKE_GOOGLE_PORT ?? 8085);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`FAKE_GOOGLE_PORT must be a port number, got ${process.env.FAKE_GOOGLE_PORT}`);
  process.exit(1);
}

const fake = await startFakeGoogle({ port });
console.log(`fake Google listening on ${fake.url} (account ${fake.accountEmail})`);
console.log('Use these settings (e.g. in .env):');
console.log(`OAUTH_AUTH_URL=${fake.authUrl}`);
console.log(`OAUTH_TOKEN_URL=${fake.tokenUrl}`);
console.log(`GOOGLE_API_BASE_URL=${fake.apiBaseUrl}`);
console.log(`OAUTH_CLIENT_ID=${fake.clientId}`);
console.log(`OAUTH_CLIENT_SECRET=${fake.clientSecret}`);

const stop = () => {
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
