import type { DataSource, EntityManager } from 'typeorm';
import { StoreTimeoutError } from '../../contracts/errors/store-timeout.error';

/** The locked section's bound: when it ends (epoch milliseconds) and its length (milliseconds). */
export interface SectionDeadline {
  deadline: number;
  timeoutMs: number;
}

/**
 * Runs `work` in a transaction that holds SQLite's write lock from its start, as `BEGIN IMMEDIATE`
 * would, so that every read of the section (the re-check of the user, the token counts) happens
 * while no other process can write: a `tokens revoke` from the CLI either committed before this
 * section started or waits until it has committed, and then revokes what it issued. TypeORM opens
 * transactions with a deferred `BEGIN`, which takes no lock until the first write: a section that
 * read first would let the other process revoke in between, then insert a token nobody revoked. A
 * statement that writes no row still takes the lock, so that is the section's first statement.
 *
 * The transaction is committed even when `work` throws: better-sqlite3 is one connection, so the
 * app's own writes that ran meanwhile (a user saved, a purge batch) are in it too, and a rollback
 * would undo them behind their callers' backs. So on SQLite a section that fails keeps the steps
 * before its failure, as it did before it was a transaction; what the transaction adds is isolation.
 *
 * better-sqlite3 waits for a lock held elsewhere synchronously, up to the connection's
 * `busy_timeout` (TypeORM's `timeout` option, 5 s by default), with the event loop stopped: no
 * timer, not even the deadline's, fires meanwhile. So for the locking statement the wait is set to
 * what is left of the section's bound and the previous value put back after it; a lock still held
 * then is a `StoreTimeoutError` (503), like any other wait on the database past `databaseTimeout`.
 *
 * @param table a table of the library's (no row is written; its triggers do not fire)
 */
export async function withSqliteWriteLock<T>(
  dataSource: DataSource,
  table: string,
  bound: SectionDeadline,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.startTransaction();
  try {
    await takeWriteLock(runner.manager, table, bound);
    return await work(runner.manager);
  } finally {
    await runner.commitTransaction();
    await runner.release();
  }
}

async function takeWriteLock(manager: EntityManager, table: string, { deadline, timeoutMs }: SectionDeadline) {
  const left = Math.ceil(deadline - Date.now());
  if (left <= 0) throw new StoreTimeoutError('withUserLock', timeoutMs);
  const [setting] = await manager.query<{ timeout?: number }[]>(`PRAGMA busy_timeout`);
  await manager.query(`PRAGMA busy_timeout = ${left}`);
  try {
    await manager.query(`UPDATE "${table}" SET "id" = "id" WHERE 0`);
  } catch (error) {
    if (isBusy(error)) throw new StoreTimeoutError('withUserLock', timeoutMs);
    throw error;
  } finally {
    await manager.query(`PRAGMA busy_timeout = ${setting?.timeout ?? 0}`);
  }
}

/** SQLITE_BUSY (and its extended codes), from the driver or wrapped in TypeORM's QueryFailedError. */
function isBusy(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError } = error as { code?: unknown; driverError?: unknown };
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
  return driverError !== undefined && driverError !== error && isBusy(driverError);
}
