import type { OnModuleDestroy } from '@nestjs/common';
import type { RedisConnections } from './redis-connections';
import type { RedisRevocationBus } from './redis-revocation.bus';

/** The channel revocations are published on when `redis.channel` is not set. */
export const DEFAULT_REVOCATION_CHANNEL = 'multi-token-auth:revocations';

/** Injection token of the module's `RedisLink`, or `null` when the `redis` option is not set. */
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
