import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * TypeORM's PostgreSQL query runner can give its connection back with an error, and pg-pool then
 * destroys the connection instead of reusing it. The method exists at run time in TypeORM 0.3.18+
 * and 1.x but is private in its types; without it (another driver), a plain `release()` is used.
 */
interface ReleasableWithError {
  releasePostgresConnection?: (error: unknown) => Promise<void>;
}

/**
 * Runs `work` in a PostgreSQL transaction bounded by the server too (see `TypeOrmTokenStore`), and
 * gives back a connection that failed as broken.
 *
 * Why not `dataSource.transaction()`: when a ROLLBACK fails (the server ended the session, e.g.
 * `idle_in_transaction_session_timeout` or a restart), TypeORM swallows that error and releases the
 * connection as healthy. pg notices the closed socket a moment later, so pg-pool can hand the dead
 * connection to the next caller first, who then gets a 503 for nothing. Here a connection whose
 * BEGIN, COMMIT or ROLLBACK failed is released with the error, and pg-pool destroys it.
 *
 * @param timeoutMs `statement_timeout`, `lock_timeout` and `idle_in_transaction_session_timeout`,
 *   set for this transaction only (`set_config(…, true)`)
 * @param signal checked before the first statement and before COMMIT: a section whose caller has
 *   already been answered rolls back
 */
export async function inPostgresTransaction<T>(
  dataSource: DataSource,
  timeoutMs: number,
  signal: AbortSignal,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  let broken: unknown;
  try {
    try {
      await runner.connect();
      await runner.startTransaction();
    } catch (error) {
      broken = error;
      throw error;
    }
    try {
      signal.throwIfAborted();
      await runner.query(
        "SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $1, true), " +
          "set_config('idle_in_transaction_session_timeout', $1, true)",
        [String(Math.ceil(timeoutMs))],
      );
      const result = await work(runner.manager);
      signal.throwIfAborted();
      await runner.commitTransaction();
      return result;
    } catch (error) {
      // A failed COMMIT leaves the transaction active: the ROLLBACK then tells whether the connection lives.
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction().catch((rollbackError: unknown) => (broken = rollbackError));
      }
      throw error;
    }
  } finally {
    await release(runner, broken);
  }
}

async function release(runner: QueryRunner, broken: unknown): Promise<void> {
  const withError = (runner as unknown as ReleasableWithError).releasePostgresConnection;
  if (broken !== undefined && typeof withError === 'function') await withError.call(runner, broken);
  else await runner.release();
}
