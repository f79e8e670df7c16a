import { QueryFailedError, TypeORMError } from 'typeorm';
import { isStoreOutage } from './store-outage';
import { StoreTimeoutError } from './store-timeout.error';

const failed = (driverError: object) =>
  new QueryFailedError('SELECT 1', [], Object.assign(new Error('x'), driverError));

describe('isStoreOutage', () => {
  it.each([
    ['PostgreSQL refusing connections', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['PostgreSQL shutting down (57P01)', failed({ code: '57P01' })],
    ['PostgreSQL out of connections (53300)', failed({ code: '53300' })],
    ['a connection failure (08006)', failed({ code: '08006' })],
    ['a deadlock (40P01)', failed({ code: '40P01' })],
    ['node-postgres losing its connection', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['the library giving up on the database (databaseTimeout)', new StoreTimeoutError('findByDigest', 5000)],
    ['a statement_timeout (57014)', failed({ code: '57014' })],
    ['a lock_timeout (55P03)', failed({ code: '55P03' })],
    ['an idle_in_transaction_session_timeout (25P03)', failed({ code: '25P03' })],
    ['SQLite busy', failed({ code: 'SQLITE_BUSY' })],
    ['SQLite disk full', failed({ code: 'SQLITE_FULL' })],
    ['SQLite I/O error (extended code)', failed({ code: 'SQLITE_IOERR_WRITE' })],
    [
      'a closed better-sqlite3 database',
      new QueryFailedError('q', [], new TypeError('The database connection is not open')),
    ],
  ])('%s is an outage (503)', (_case, error) => {
    expect(isStoreOutage(error)).toBe(true);
  });

  it.each([
    ['a stack overflow', new RangeError('Maximum call stack size exceeded')],
    ['a TypeError in app code', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['bad data reaching PostgreSQL (22021)', failed({ code: '22021' })],
    ['a unique violation (23505)', failed({ code: '23505' })],
    ['a transaction already aborted by an earlier error (25P02)', failed({ code: '25P02' })],
    ['a SQLite constraint', failed({ code: 'SQLITE_CONSTRAINT_UNIQUE' })],
    ['a TypeORM usage error', new TypeORMError('No metadata for "X" was found.')],
    ['a string', 'boom'],
    ['undefined', undefined],
  ])('%s is not (500)', (_case, error) => {
    expect(isStoreOutage(error)).toBe(false);
  });
});
