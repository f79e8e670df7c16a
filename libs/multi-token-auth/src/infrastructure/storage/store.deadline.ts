import { StoreTimeoutError } from '../../contracts/errors/store-timeout.error';

/** `databaseTimeout`'s default, in milliseconds (the option is in seconds: 5). */
export const DEFAULT_DATABASE_TIMEOUT_MS = 5_000;

/**
 * Runs `work` and settles within `timeoutMs` whatever the database does: with `work`'s own result,
 * or with a `StoreTimeoutError` once the time is up. The bound is kept here rather than left to the
 * driver because a hung server (SIGSTOP, a dead network path that still holds its sockets) answers
 * nothing at all: every pooled connection waits on it, a new one connects at the TCP level and then
 * waits for the server's greeting, and node-postgres waits without limit in both unless the app set
 * `connectionTimeoutMillis` and `query_timeout` (docs/operations.md, "Database timeouts").
 *
 * What `work` started keeps running until the database answers (a promise cannot be cancelled):
 * `work` gets a signal, aborted with the `StoreTimeoutError` at the deadline, so that it does no
 * further step and commits nothing after its caller has been told it failed (`stopsWhenAborted`).
 *
 * @param timeoutMs the bound, in milliseconds
 * @param operation named in the error (never a value: no digest, username or token)
 */
export async function withDeadline<T>(
  timeoutMs: number,
  operation: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new StoreTimeoutError(operation, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    // Not what keeps the process alive: a CLI whose work is done exits without waiting for it.
    timer.unref();
  });
  try {
    // A late answer (or a late failure) after the deadline settles nothing: the caller has its 503.
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `store` with every method checked against `signal` before and after it runs: once the deadline
 * has passed, the next step throws the `StoreTimeoutError` instead of running, and a step that was
 * already waiting throws it when the database answers. Inside a transaction that means a rollback:
 * a revocation or an issue whose caller got a 503 is not committed behind its back.
 */
export function stopsWhenAborted<S extends object>(store: S, signal: AbortSignal): S {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]): Promise<unknown> => {
        signal.throwIfAborted();
        const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
        signal.throwIfAborted();
        return result;
      };
    },
  });
}
