import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { TokenStore } from '../storage/token-store.interface';
import { TypeOrmTokenStore } from '../storage/typeorm-token.store';
import { CachedTokenStore } from './cached-token.store';
import { InMemoryTokenCache } from './memory-token.cache';
import { openRedisConnections } from './redis-connections';
import { RedisRevocationBus } from './redis-revocation.bus';
import { TokenCache } from './token-cache.interface';

export const DEFAULT_REVOCATION_CHANNEL = 'multi-token-auth:revocations';

/** The store (the app's, or TypeORM's), behind the verified-token cache, joined to the bus. */
export const tokenStoreProviders: Provider[] = [
  {
    provide: TokenCache,
    useFactory: (options: ResolvedOptions) =>
      options.cache ? (options.cache.store ?? new InMemoryTokenCache(options.cache.maxEntries)) : null,
    inject: [RESOLVED_OPTIONS],
  },
  {
    provide: TokenStore,
    useFactory: async (options: ResolvedOptions, dataSource: DataSource, cache: TokenCache | null) => {
      const store = options.tokenStore ?? new TypeOrmTokenStore(dataSource, options.user.entity, options.user.idField);
      if (!options.cache || !cache) return store;
      const cached = new CachedTokenStore(store, cache, options.clock, options.cache.ttl * 1000);
      if (options.redis) {
        const [publisher, subscriber] = await openRedisConnections(options.redis);
        const bus = new RedisRevocationBus(publisher, subscriber, options.redis.channel ?? DEFAULT_REVOCATION_CHANNEL, {
          revoked: (revocation) => cached.applyRemote(revocation),
          recovered: () => cached.recovered(),
        });
        cached.connect(bus);
        await bus.start();
      }
      return cached;
    },
    inject: [RESOLVED_OPTIONS, DataSource, TokenCache],
  },
];
