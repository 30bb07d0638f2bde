import { describe, expect, it } from 'vitest';
import { errorResponse, isDatabaseUnavailable, toAppError } from '../../lib/http/errors';

// The shapes Prisma 7 (driver adapter) and pg throw when PostgreSQL is down or restarting, as seen
// through test/helpers/tcp-proxy.ts; test/faults/faults.test.ts checks the whole path.
const bareAdapterError = (cause: { kind: string; message?: string; [field: string]: unknown }) => Object.assign(new Error(cause.message ?? cause.kind), { name: 'DriverAdapterError', cause });
const adapterError = (cause: Record<string, unknown>, code = 'P2010') => Object.assign(new Error('Invalid `db.user.findFirst()` invocation'), { code, meta: { driverAdapterError: { name: 'DriverAdapterError', cause } } });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['Prisma P1001 (cannot reach)', adapterError({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 }, 'P1001')],
    ['pg: a connection killed mid-query', new Error('Connection terminated unexpectedly')],
    ['pg: connect timeout', new Error('timeout exceeded when trying to connect')],
    ['refused socket', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['server shutting down (57P01)', adapterError({ originalCode: '57P01', kind: 'postgres' })],
    ['starting up (57P03)', adapterError({ originalCode: '57P03', kind: 'postgres' })],
    ['connection exception class 08', adapterError({ originalCode: '08006', kind: 'postgres' })],
    ['database closed to connections', adapterError({ originalCode: '55000', originalMessage: 'database "orbita" is not currently accepting connections', kind: 'postgres' })],
    ['wrapped in a cause', new Error('transaction failed', { cause: new Error('Connection terminated unexpectedly') })],
    // What @prisma/driver-adapter-utils throws, unwrapped by Prisma, when a transaction's connection closes under it.
    ['a bare DriverAdapterError (connection closed)', bareAdapterError({ kind: 'ConnectionClosed' })],
    ['a bare DriverAdapterError (server shutting down)', bareAdapterError({ kind: 'postgres', code: '57P01', originalCode: '57P01', message: 'terminating connection due to administrator command' })],
  ])('%s → unavailable (503 with Retry-After)', async (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(toAppError(error)).toMatchObject({ code: 'unavailable', httpStatus: 503 });
    const response = errorResponse(error);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toEqual({ error: { code: 'unavailable', message: 'the database cannot be reached right now; try again in a few seconds' } });
  });

  it.each([
    ['a unique violation', Object.assign(new Error('Unique constraint failed'), { code: 'P2002' })],
    ['a missing table', adapterError({ originalCode: '42P01', kind: 'TableDoesNotExist' }, 'P2021')],
    ['a bare DriverAdapterError for a constraint', bareAdapterError({ kind: 'UniqueConstraintViolation', constraint: { fields: ['email'] } })],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error at all', 'boom'],
  ])('%s is not an outage', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
