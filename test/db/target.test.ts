import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { databaseTarget, describeDatabaseTarget } from '../../lib/db/target';

const describeUrl = (url: string | undefined) => describeDatabaseTarget(databaseTarget(url));

describe('the database a process uses, named for a person', () => {
  afterEach(() => void vi.unstubAllEnvs());

  it('DATABASE_URL unset: the embedded database under ORBITA_HOME', () => {
    vi.stubEnv('ORBITA_HOME', '/srv/orbita-home');
    expect(databaseTarget(undefined)).toEqual({ kind: 'embedded', path: path.join('/srv/orbita-home', 'pgdata') });
    expect(describeUrl(undefined)).toBe(`embedded database at ${path.join('/srv/orbita-home', 'pgdata')}`);
  });

  it.each([
    ['postgres://orbita:hunter2@db.internal:6432/orbita?sslmode=require', 'PostgreSQL at db.internal:6432/orbita'],
    ['postgresql://db.internal/orbita', 'PostgreSQL at db.internal:5432/orbita'],
    ['postgres://me:p%40ss@localhost/orbita?host=/var/run/postgresql', 'PostgreSQL at /var/run/postgresql:5432/orbita'],
    ['postgres://u:pw@[::1]:5433/my%20db', 'PostgreSQL at [::1]:5433/my db'],
    ['postgres://u:pw@db.internal', 'PostgreSQL at db.internal:5432 (default database)'],
  ])('%s → %s, never the user or password', (url, expected) => {
    const text = describeUrl(url);
    expect(text).toBe(expected);
    expect(JSON.stringify(databaseTarget(url))).not.toMatch(/hunter2|p%40ss|p@ss|pw|orbita:|me:|u:/);
  });
});
