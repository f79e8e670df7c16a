import { StoreTimeoutError } from './store-timeout.error';

/**
 * Whether an error means the store could not be reached or could not serve now (a 503), as
 * opposed to a bug or bad data that slipped through (a 500, logged with its stack). Only real
 * outages may say "temporarily unavailable": a 503 tells clients and load balancers to retry.
 */
export function isStoreOutage(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  // The library's own deadline (`databaseTimeout`): the database did not answer in time.
  if (error instanceof StoreTimeoutError) return true;
  const { code, driverError, name, message } = error as {
    code?: unknown;
    driverError?: unknown;
    name?: unknown;
    message?: unknown;
  };
  if (driverError !== undefined && driverError !== error && isStoreOutage(driverError)) return true;
  if (typeof code === 'string' && (NETWORK.has(code) || SQLITE.test(code) || POSTGRES.test(code))) return true;
  if (typeof name === 'string' && TYPEORM_CONNECTION.has(name)) return true;
  return typeof message === 'string' && DRIVER_MESSAGES.some((text) => message.includes(text));
}

/** Node's socket errors. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
/** SQLite: busy, locked, I/O, full, cannot open, read-only, corrupt (with extended codes). */
const SQLITE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|CORRUPT|NOMEM|PROTOCOL)/;
/**
 * PostgreSQL SQLSTATE classes 08 (connection), 53 (insufficient resources), 57 (operator
 * intervention, e.g. 57P01 shutdown, 57014 a `statement_timeout`), 58 (system error), the retryable
 * 40001 / 40P01 / 55P03 (a `lock_timeout`), and the server ending a transaction that outlived
 * `idle_in_transaction_session_timeout` (25P03) or `transaction_timeout` (25P04).
 */
const POSTGRES = /^(08|53|57|58)[0-9A-Z]{3}$|^(40001|40P01|55P03|25P03|25P04)$/;
/** TypeORM's errors for a data source that is not (or no longer) connected. */
const TYPEORM_CONNECTION = new Set([
  'ConnectionIsNotSetError',
  'CannotExecuteNotConnectedError',
  'ConnectionNotFoundError',
]);
/** node-postgres and better-sqlite3 raise these as plain errors, without a code. */
const DRIVER_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end',
  'The database connection is not open',
  // TypeORM's own, from a data source destroyed (an app shutting down) or not yet initialized.
  'Driver not Connected',
];
