import type { RedisConnection } from '../../contracts/revocation-bus.interface';

/** Longest a request waits for Redis before the caller falls back to this process's memory. */
export const REDIS_TIMEOUT_MS = 250;

/**
 * Runs a Lua script and returns its reply, or `undefined` when Redis is not ready, fails or takes
 * longer than `REDIS_TIMEOUT_MS`: the counters built on it then count in memory, and no request is
 * ever failed or held up by Redis.
 */
export async function evalWithin(
  redis: RedisConnection,
  script: string,
  keys: string[],
  args: (string | number)[],
): Promise<unknown> {
  if (redis.status !== 'ready') return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), REDIS_TIMEOUT_MS)));
  try {
    return await Promise.race([redis.eval(script, keys.length, ...keys, ...args).catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The one shape of every Redis-backed counter here (rate limits, password attempts, quotas): the
 * script's list reply while `healthy()` (the revocation bus's view of the link) says Redis can be
 * used and it answers in time, else `undefined`, and the caller counts in this process's memory.
 */
export async function evalWhileHealthy(
  redis: RedisConnection,
  healthy: () => boolean,
  script: string,
  keys: string[],
  args: (string | number)[],
): Promise<unknown[] | undefined> {
  if (!healthy()) return undefined;
  const reply = await evalWithin(redis, script, keys, args);
  return Array.isArray(reply) ? (reply as unknown[]) : undefined;
}
