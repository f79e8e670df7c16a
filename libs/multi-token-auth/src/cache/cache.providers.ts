import type { OnModuleDestroy, Provider } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.interface';
import { MULTI_TOKEN_AUTH_THROTTLER_STORAGE, RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { RevocationJournal } from '../storage/revocation.journal';
import { TokenStore } from '../storage/token-store.interface';
import { TypeOrmTokenStore } from '../storage/typeorm-token.store';
import { RedisThrottlerStorage } from '../throttling/redis-throttler.storage';
import { CachedTokenStore } from './cached-token.store';
import { DEFAULT_JOURNAL_TIMINGS, JournalFollower } from './journal.follower';
import { InMemoryTokenCache } from './memory-token.cache';
import { openRedisConnections, type RedisConnections } from './redis-connections';
import { RedisRevocationBus } from './redis-revocation.bus';
import { RevocationFeed } from './revocation-feed';
import { TokenCache } from './token-cache.interface';

export const DEFAULT_REVOCATION_CHANNEL = 'multi-token-auth:revocations';
const PRUNE_ONLY = { ...DEFAULT_JOURNAL_TIMINGS, pollMs: DEFAULT_JOURNAL_TIMINGS.pruneMs };
export const REDIS = Symbol('MultiTokenAuthRedis');

/** The bus and its connections when the `redis` option is set; closed with the module. */
export class RedisLink implements OnModuleDestroy {
  constructor(
    readonly connections: RedisConnections,
    readonly bus: RedisRevocationBus,
  ) {}

  onModuleDestroy(): void {
    this.bus.stop();
    this.connections.counters.disconnect();
  }
}

/**
 * The store (the app's, or TypeORM's) behind the verified-token cache, the Redis link that shares
 * revocations and counters between instances, and the throttler storage.
 */
export const cacheProviders: Provider[] = [
  { provide: RevocationFeed, useFactory: () => new RevocationFeed() },
  {
    provide: REDIS,
    useFactory: async (options: ResolvedOptions): Promise<RedisLink | null> => {
      if (!options.redis) return null;
      const connections = await openRedisConnections(options.redis);
      const channel = options.redis.channel ?? DEFAULT_REVOCATION_CHANNEL;
      const bus = new RedisRevocationBus(connections.publisher, connections.subscriber, channel);
      await bus.start();
      return new RedisLink(connections, bus);
    },
    inject: [RESOLVED_OPTIONS],
  },
  {
    provide: TokenCache,
    useFactory: (options: ResolvedOptions) =>
      options.cache ? (options.cache.store ?? new InMemoryTokenCache(options.cache.maxEntries)) : null,
    inject: [RESOLVED_OPTIONS],
  },
  {
    provide: TokenStore,
    useFactory: (
      options: ResolvedOptions,
      dataSource: DataSource,
      cache: TokenCache | null,
      redis: RedisLink | null,
      feed: RevocationFeed,
      clock: Clock,
    ) => {
      const { entity, idField } = options.user;
      const timeoutMs = options.databaseTimeout * 1000;
      const store = options.tokenStore ?? new TypeOrmTokenStore(dataSource, entity, idField, timeoutMs);
      if (!options.cache || !cache) return store;
      const cached = new CachedTokenStore(store, cache, clock, options.cache.ttl * 1000, feed);
      if (redis) {
        cached.connect(redis.bus);
        redis.bus.attach({
          revoked: (revocation) => cached.applyRemote(revocation),
          recovered: () => cached.recovered(),
        });
      }
      return cached;
    },
    inject: [RESOLVED_OPTIONS, DataSource, TokenCache, REDIS, RevocationFeed, Clock],
  },
  {
    // The durable revocation record lives beside auth_tokens: only with the library's TypeORM store.
    provide: RevocationJournal,
    useFactory: (options: ResolvedOptions, dataSource: DataSource) =>
      options.tokenStore ? null : new RevocationJournal(dataSource),
    inject: [RESOLVED_OPTIONS, DataSource],
  },
  {
    provide: JournalFollower,
    useFactory: (store: TokenStore, journal: RevocationJournal | null) => {
      if (!journal) return null;
      if (!(store instanceof CachedTokenStore)) {
        // No cache here, but others may have one: only keep the journal pruned (every 30 s).
        const pruner = new JournalFollower(journal, { applyRemote: () => undefined }, PRUNE_ONLY);
        pruner.start();
        return pruner;
      }
      const follower = new JournalFollower(journal, store);
      store.follow(follower);
      follower.start();
      return follower;
    },
    inject: [TokenStore, RevocationJournal],
  },
  {
    provide: MULTI_TOKEN_AUTH_THROTTLER_STORAGE,
    useFactory: (options: ResolvedOptions, redis: RedisLink | null) => {
      if (options.throttlerStorage) return options.throttlerStorage;
      const memory = new ThrottlerStorageService();
      return redis
        ? new RedisThrottlerStorage(redis.connections.counters, memory, () => redis.bus.isHealthy())
        : memory;
    },
    inject: [RESOLVED_OPTIONS, REDIS],
  },
];
