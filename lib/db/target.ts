import { embeddedDataDir } from './embedded';

/**
 * The database a process uses, as a person would name it: the embedded database's data directory,
 * or the host, port and database of DATABASE_URL — never its user name, password or other parameters.
 */
export type DatabaseTarget =
  | { kind: 'embedded'; path: string }
  | { kind: 'postgresql'; host: string; port: number; database: string | null };

/**
 * The target for `databaseUrl` (DATABASE_URL; unset: the embedded database under ORBITA_HOME, whether
 * this process starts it or another process, such as `npm start`, already serves it).
 */
export function databaseTarget(databaseUrl: string | undefined): DatabaseTarget {
  if (!databaseUrl) return { kind: 'embedded', path: embeddedDataDir() };
  const url = new URL(databaseUrl);
  // node-postgres's rules: `?host=` (a Unix socket directory) and `?port=` win over the authority.
  const host = url.searchParams.get('host') || decodeURIComponent(url.hostname) || 'localhost';
  const port = Number(url.searchParams.get('port') || url.port || 5432);
  return { kind: 'postgresql', host, port, database: decodeURIComponent(url.pathname.slice(1)) || null };
}

/** `embedded database at <path>` or `PostgreSQL at host:port/database`. */
export function describeDatabaseTarget(target: DatabaseTarget): string {
  if (target.kind === 'embedded') return `embedded database at ${target.path}`;
  return `PostgreSQL at ${target.host}:${target.port}${target.database === null ? ' (default database)' : `/${target.database}`}`;
}
