import type { Command } from 'commander';
import { checkBroker } from '../../lib/broker-health';
import { config } from '../../lib/config';
import { resolveDatabase } from '../../lib/db/resolve';
import { databaseTarget, describeDatabaseTarget } from '../../lib/db/target';
import { checkDatabase, type HealthCheck } from '../../lib/health';
import { printJson } from '../output';

export function registerHealth(program: Command): void {
  program
    .command('health')
    .description('check the database (and the broker when RABBITMQ_URL is set); exits 1 if any check fails')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const checks: HealthCheck[] = [];
      // Which database: DATABASE_URL's server, or the embedded one (started here, or the running `npm start`'s).
      const database = databaseTarget(config().DATABASE_URL);
      const named = { target: describeDatabaseTarget(database), database };
      let embedded: Awaited<ReturnType<typeof resolveDatabase>> | null = null;
      try {
        embedded = await resolveDatabase();
        checks.push({ ...(await checkDatabase(embedded.url)), ...named });
      } catch (error) {
        checks.push({ name: 'database', ok: false, detail: (error as Error).message, durationMs: 0, ...named });
      } finally {
        await embedded?.stop();
      }
      const rabbitUrl = config().RABBITMQ_URL;
      if (rabbitUrl) checks.push(await checkBroker(rabbitUrl));

      const ok = checks.every((c) => c.ok);
      if (options.json) {
        printJson({ status: ok ? 'ok' : 'fail', checks });
      } else {
        for (const c of checks) {
          console.log(`${c.name.padEnd(9)} ${c.ok ? 'ok  ' : 'FAIL'}  ${c.target ? `${c.target} · ` : ''}${c.detail} (${c.durationMs} ms)`);
        }
      }
      if (!ok) process.exitCode = 1;
    });
}
