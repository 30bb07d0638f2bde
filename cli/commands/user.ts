import fs from 'node:fs';
import type { Command } from 'commander';
import { createUser, listUsers, setAdmin } from '../../lib/identity/users';
import { printJson, printTable } from '../output';
import { withDatabase } from '../runtime';

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage users (the CLI acts as ORBITA_USER_ID, or the only user)');

  user
    .command('create')
    .description('create a user (with a password, the user can sign in to the dashboard)')
    .option('--email <email>', 'sign-in email')
    .option('--name <name>', 'display name')
    .option('--time-zone <zone>', 'IANA time zone, e.g. Europe/Berlin', 'UTC')
    .option('--password-stdin', 'read the password from standard input')
    .option('--json', 'machine-readable output')
    .action(async (options: { email?: string; name?: string; timeZone: string; passwordStdin?: boolean; json?: boolean }) => {
      const password = options.passwordStdin ? fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '') : undefined;
      const created = await withDatabase((db) => createUser(db, { email: options.email, name: options.name, timeZone: options.timeZone, password }));
      if (options.json) printJson(created);
      else {
        console.log(`created user ${created.id}${created.email ? ` <${created.email}>` : ''}`);
        console.log(`act as this user with: export ORBITA_USER_ID=${created.id}`);
      }
    });

  user
    .command('admin <user>')
    .description('let a user (id or email) see the Operations page of the dashboard; --off takes it away')
    .option('--off', 'take admin away')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, options: { off?: boolean; json?: boolean }) => {
      const updated = await withDatabase((db) => setAdmin(db, ref, options.off !== true));
      if (options.json) printJson(updated);
      else console.log(`${updated.email ?? updated.id} is ${updated.isAdmin ? 'now an admin (Operations page)' : 'no longer an admin'}`);
    });

  user
    .command('list')
    .description('list users')
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const users = await withDatabase((db) => listUsers(db));
      if (options.json) printJson(users);
      else if (users.length === 0) console.log('no users yet (the CLI creates a local user on first use)');
      else printTable(users, [
        { key: 'id', header: 'id' },
        { key: 'email', header: 'email' },
        { key: 'name', header: 'name' },
        { key: 'timeZone', header: 'time zone' },
        { key: 'createdAt', header: 'created' },
      ]);
    });
}
