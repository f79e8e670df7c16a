/**
 * The database did not answer within `databaseTimeout`: a hung server, a pool with every connection
 * held by one, a lock that is not released. An outage (`isStoreOutage`: a 503 `auth_unavailable`),
 * never a 500. The message names the operation and the bound, never a query's values.
 */
export class StoreTimeoutError extends Error {
  override readonly name = 'StoreTimeoutError';

  /**
   * @param operation what waited (`findByDigest`, `user lookup`…)
   * @param timeoutMs the bound it had, in milliseconds
   */
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super(`the database did not answer within ${timeoutMs} ms (${operation})`);
  }
}
