/** What the monitor needs of a connection: ioredis's events (an ioredis `Redis` fits). */
export interface MonitoredConnection {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  on(event: 'reconnecting' | 'ready', listener: () => void): unknown;
}

/** Where the two lines go (Nest's `Logger` fits). */
export interface LinkLog {
  warn(message: string): unknown;
  log(message: string): unknown;
}

/** Longest wait between two reconnection attempts to Redis, in milliseconds. */
export const MAX_RECONNECT_DELAY_MS = 1_000;

/**
 * ioredis's `retryStrategy` for the connections the library opens: 50 ms, doubling, at most
 * `MAX_RECONNECT_DELAY_MS`, forever. Redis back is heard within a second, and a minute of outage
 * costs a link about 60 attempts.
 *
 * @param attempt 1 for the first retry after the link dropped
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt - 1, 10), MAX_RECONNECT_DELAY_MS);
}

/**
 * Gives `connection` an error listener and logs its state changes: one line when it goes down, one
 * when it is back, nothing per retry. Without an `error` listener ioredis prints every failed
 * reconnection attempt to stderr with its stack ("[ioredis] Unhandled error event"); those errors
 * only repeat what the down line says (the bus and the counters already cope with a missing link).
 *
 * "Down" is ioredis scheduling a reconnection (`reconnecting`), never a close the library asked for
 * at shutdown; the line names the last error seen (a socket error: no URL, no password).
 *
 * @param name which link (`publisher`, `subscriber`, `counters`), named in the lines
 */
export function monitorRedisLink(name: string, connection: MonitoredConnection, log: LinkLog): void {
  let down = false;
  let lastError: string | undefined;
  connection.on('error', (error) => {
    lastError = error instanceof Error ? error.message : String(error);
  });
  connection.on('reconnecting', () => {
    if (down) return;
    down = true;
    log.warn(`Redis link "${name}" is down (${lastError ?? 'connection closed'}); reconnecting`);
  });
  connection.on('ready', () => {
    lastError = undefined;
    if (!down) return;
    down = false;
    log.log(`Redis link "${name}" is back`);
  });
}
