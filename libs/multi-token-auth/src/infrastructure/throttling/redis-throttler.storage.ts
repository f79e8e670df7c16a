import type { ThrottlerStorage } from '@nestjs/throttler';
import { evalWhileHealthy } from '../cache/redis-eval';
import type { RedisConnection } from '../../contracts/revocation-bus.interface';

/** What @nestjs/throttler expects back from a storage (its `ThrottlerStorageRecord`). */
interface HitRecord {
  totalHits: number;
  /** Seconds until the window ends. */
  timeToExpire: number;
  isBlocked: boolean;
  /** Seconds until the block ends. */
  timeToBlockExpire: number;
}

/**
 * One atomic step per request: count the hit in a fixed window, start the window on its first hit,
 * and start a block once the count passes the limit. KEYS: hits, block. ARGV: ttl ms, limit, block ms.
 */
const SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local block = redis.call('PTTL', KEYS[2])
if block <= 0 and hits > tonumber(ARGV[2]) and tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  block = tonumber(ARGV[3])
end
return { hits, ttl, block }
`;

/**
 * Rate-limit counters shared by every instance through Redis, so a 3/m limit holds across them.
 * Written here rather than taken from `@nest-lab/throttler-storage-redis`, whose peer range stops
 * at NestJS 11. When Redis is unreachable, hung (the revocation bus says so) or slow, the hit is
 * counted by `fallback` (in memory, per instance): requests are neither failed nor held up.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: RedisConnection,
    private readonly fallback: ThrottlerStorage,
    private readonly healthy: () => boolean,
    private readonly prefix = 'multi-token-auth:throttle:',
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, name: string): Promise<HitRecord> {
    const base = `${this.prefix}${name}:${key}`;
    const keys = [`${base}:hits`, `${base}:block`];
    const reply = await evalWhileHealthy(this.redis, this.healthy, SCRIPT, keys, [ttl, limit, blockDuration]);
    if (!reply) return this.fallback.increment(key, ttl, limit, blockDuration, name);
    const [hits, ttlMs, blockMs] = reply.map(Number) as [number, number, number];
    return {
      totalHits: hits,
      timeToExpire: Math.max(0, Math.ceil(ttlMs / 1000)),
      isBlocked: blockMs > 0,
      timeToBlockExpire: Math.max(0, Math.ceil(blockMs / 1000)),
    };
  }
}
