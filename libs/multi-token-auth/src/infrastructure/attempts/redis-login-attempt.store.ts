import { evalWhileHealthy } from '../cache/redis-eval';
import type { RedisConnection } from '../../contracts/revocation-bus.interface';
import type { AttemptCount, LoginAttemptStore } from '../../contracts/login-attempt-store.interface';

/**
 * Count, start the window on the first attempt, report the time left. A key with a TTL is inside
 * its window even at zero (after undo), so the window is only ever set once. KEYS: counter. ARGV: ms.
 */
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`;
/** Decrement unless already at zero (or gone), keeping the window's expiry. */
const UNDO = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0
`;

/**
 * Attempt counters in Redis, shared by every instance. When Redis is unreachable, hung (the
 * revocation bus says so) or slow, `fallback` counts in memory: a login is never failed or held up
 * by Redis, and the limit still holds per instance.
 */
export class RedisLoginAttemptStore implements LoginAttemptStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly fallback: LoginAttemptStore,
    private readonly healthy: () => boolean,
    private readonly prefix = 'multi-token-auth:attempts:',
  ) {}

  async hit(key: string, windowMs: number): Promise<AttemptCount> {
    const reply = await this.run(HIT, key, windowMs);
    if (!reply) return this.fallback.hit(key, windowMs);
    const [count, ttl] = reply.map(Number) as [number, number];
    return { count, resetInMs: ttl > 0 ? ttl : windowMs };
  }

  async undo(key: string): Promise<void> {
    await this.fallback.undo(key);
    await this.run(UNDO, key);
  }

  async reset(key: string): Promise<void> {
    await this.fallback.reset(key);
    await this.run("return redis.call('DEL', KEYS[1])", key);
  }

  private run(script: string, key: string, ...args: number[]): Promise<unknown[] | undefined> {
    return evalWhileHealthy(this.redis, this.healthy, script, [`${this.prefix}${key}`], args);
  }
}
