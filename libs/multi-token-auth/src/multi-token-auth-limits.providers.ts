import type { Provider } from '@nestjs/common';
import { MULTI_TOKEN_AUTH_THROTTLER_STORAGE, RESOLVED_OPTIONS } from './contracts/multi-token-auth.constants';
import type { ResolvedOptions } from './contracts/resolved-options';
import { QuotaLedger } from './contracts/token-quota';
import { REDIS, type RedisLink } from './infrastructure/cache/redis.link';
import { MemoryQuotaLedger } from './infrastructure/quotas/memory-quota.ledger';
import { RedisQuotaLedger } from './infrastructure/quotas/redis-quota.ledger';
import { MemoryThrottlerStorage } from './infrastructure/throttling/memory-throttler.storage';
import { RedisThrottlerStorage } from './infrastructure/throttling/redis-throttler.storage';

/**
 * What counts requests across instances: the rate-limit counters and the quota balances, in Redis
 * when the `redis` option is set (each falling back to this process's memory while Redis cannot
 * answer), else in memory.
 */
export const LIMIT_PROVIDERS: Provider[] = [
  {
    provide: MULTI_TOKEN_AUTH_THROTTLER_STORAGE,
    useFactory: (options: ResolvedOptions, redis: RedisLink | null) => {
      if (options.throttlerStorage) return options.throttlerStorage;
      const memory = new MemoryThrottlerStorage();
      return redis
        ? new RedisThrottlerStorage(redis.connections.counters, memory, () => redis.bus.isHealthy())
        : memory;
    },
    inject: [RESOLVED_OPTIONS, REDIS],
  },
  { provide: MemoryQuotaLedger, useFactory: () => new MemoryQuotaLedger() },
  {
    provide: QuotaLedger,
    useFactory: (redis: RedisLink | null, memory: MemoryQuotaLedger): QuotaLedger =>
      redis ? new RedisQuotaLedger(redis.connections.counters, memory, () => redis.bus.isHealthy()) : memory,
    inject: [REDIS, MemoryQuotaLedger],
  },
];
