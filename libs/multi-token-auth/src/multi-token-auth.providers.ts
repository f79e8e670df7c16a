import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from './contracts/clock/clock.interface';
import { RESOLVED_OPTIONS } from './contracts/multi-token-auth.constants';
import { RevocationJournal } from './infrastructure/storage/revocation.journal';
import { TokenStore } from './contracts/token-store.interface';
import { TypeOrmTokenStore } from './infrastructure/storage/typeorm-token.store';
import { LIMIT_PROVIDERS } from './multi-token-auth-limits.providers';
import { CachedTokenStore } from './infrastructure/cache/cached-token.store';
import { DEFAULT_JOURNAL_TIMINGS, JournalFollower } from './infrastructure/cache/journal.follower';
import { InMemoryTokenCache } from './infrastructure/cache/memory-token.cache';
import { openRedisConnections } from './infrastructure/cache/redis-connections';
import { DEFAULT_REVOCATION_CHANNEL, REDIS, RedisLink } from './infrastructure/cache/redis.link';
import { RedisRevocationBus } from './infrastructure/cache/redis-revocation.bus';
import { RevocationFeed } from './infrastructure/cache/revocation-feed';
import { TokenCache } from './contracts/token-cache.interface';
import type { ResolvedOptions } from './contracts/resolved-options';
import { PasswordCheckQueue } from './pure/passwords/password-check.queue';
import { LoginAttemptLimiter } from './services/attempts/login-attempt.limiter';
import { LoginAttemptStore } from './contracts/login-attempt-store.interface';
import { InMemoryLoginAttemptStore } from './infrastructure/attempts/memory-login-attempt.store';
import { RedisLoginAttemptStore } from './infrastructure/attempts/redis-login-attempt.store';
import { ClientAccessGuard } from './adapters/guards/client-access.guard';
import { ClientThrottlerGuard } from './adapters/guards/client-throttler.guard';
import { GuardSteps } from './adapters/guards/guard-steps';
import { KeyRateLimitCheck } from './adapters/guards/key-rate-limit.check';
import { MultiTokenAuthGuard } from './adapters/guards/multi-token-auth.guard';
import { PassportBearerAuthGuard } from './adapters/guards/passport-bearer-auth.guard';
import { RoutePolicyCheck } from './adapters/guards/route-policy.check';
import { ScopeGuard } from './adapters/guards/scope.guard';
import { CookieTransport } from './adapters/http/cookie-transport';
import { KeepAliveCloser } from './adapters/http/keep-alive.closer';
import { LiveConnections } from './adapters/sockets/live-connections';
import { SocketAuthenticator } from './adapters/sockets/socket.authenticator';
import { MultiTokenBearerStrategy } from './adapters/strategies/bearer.strategy';
import { AuthEventSink } from './contracts/events/auth-event-sink.interface';
import { MultiTokenAuthOptions } from './contracts/multi-token-auth.options';
import { PasswordHasher } from './contracts/password-hasher.interface';
import { UserChangesSubscriber } from './infrastructure/cache/user-changes.subscriber';
import { ClientRegistry } from './infrastructure/clients/client.registry';
import { EventEmitterSink } from './infrastructure/events/event-emitter.sink';
import { UserAccessor } from './infrastructure/users/user.accessor';
import { MULTI_TOKEN_AUTH_OPTIONS } from './multi-token-auth.module-definition';
import { resolveOptions } from './pure/options/multi-token-auth.defaults';
import { TokenCodec } from './pure/tokens/token.codec';
import { ClientAdmin } from './services/clients/client.admin';
import { AuthEvents } from './services/events/auth-events';
import { PurgeScheduler } from './services/purge/purge.scheduler';
import { TokenUsageCounter } from './services/tokens/token-usage.counter';
import { TokenQuotaKeeper } from './services/tokens/token-quota.keeper';
import { LeakedTokenRevoker } from './services/tokens/leaked-token.revoker';
import { SigningKeySource } from './infrastructure/leaks/signing-key.source';
import { CredentialRevocationLimit } from './adapters/guards/credential-revocation.limit';
import { TokenQuotaCheck } from './adapters/guards/token-quota.check';
import { TokenUsageTable } from './infrastructure/storage/token-usage.table';
import { LastUsedTracker } from './services/tokens/last-used.tracker';
import { LegacyImportLedger } from './services/tokens/legacy-import.ledger';
import { LegacyTokenImporter } from './services/tokens/legacy-token.importer';
import { TokenIssuer } from './services/tokens/token.issuer';
import { TokenPurger } from './services/tokens/token.purger';
import { TokenRevoker } from './services/tokens/token.revoker';
import { TokenUpdater } from './services/tokens/token.updater';
import { TokenRotator } from './services/tokens/token.rotator';
import { TokenFamilyRevoker } from './services/tokens/token-family.revoker';
import { TokenRoller } from './services/tokens/token.roller';
import { TokenService } from './services/tokens/token.service';
import { TokenVerifier } from './services/tokens/token.verifier';
import { CredentialsVerifier } from './services/users/credentials.verifier';

const PRUNE_ONLY = { ...DEFAULT_JOURNAL_TIMINGS, pollMs: DEFAULT_JOURNAL_TIMINGS.pruneMs };

/** The Redis link (connections and the revocation bus on its channel) when `redis` is set, else `null`. */
export const REDIS_PROVIDER: Provider = {
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
};

/**
 * The store (the app's, or TypeORM's) behind the verified-token cache, the Redis link that shares
 * revocations and counters between instances, and the throttler storage.
 */
const storeProviders: Provider[] = [
  { provide: RevocationFeed, useFactory: () => new RevocationFeed() },
  REDIS_PROVIDER,
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
    // API keys' usage counts, beside auth_tokens (a foreign key to it): only with the library's store.
    provide: TokenUsageTable,
    useFactory: (options: ResolvedOptions, dataSource: DataSource) =>
      options.tokenStore ? null : new TokenUsageTable(dataSource, options.databaseTimeout * 1000),
    inject: [RESOLVED_OPTIONS, DataSource],
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
];

/** The attempt counters (Redis when configured, else memory), the limiter and the password-check queue. */
const attemptProviders: Provider[] = [
  {
    provide: LoginAttemptStore,
    useFactory: (options: ResolvedOptions, redis: RedisLink | null, clock: Clock): LoginAttemptStore => {
      if (options.loginAttempts && options.loginAttempts.store) return options.loginAttempts.store;
      const memory = new InMemoryLoginAttemptStore(clock);
      return redis
        ? new RedisLoginAttemptStore(redis.connections.counters, memory, () => redis.bus.isHealthy())
        : memory;
    },
    inject: [RESOLVED_OPTIONS, REDIS, Clock],
  },
  {
    provide: PasswordCheckQueue,
    useFactory: (options: ResolvedOptions) =>
      options.passwordChecks ? new PasswordCheckQueue(options.passwordChecks) : null,
    inject: [RESOLVED_OPTIONS],
  },
  LoginAttemptLimiter,
];

/**
 * Every provider of the module: the options, resolved once, and what is derived from them; the
 * stores; the services; the guards. The module file only says which of them apps may inject.
 */
export const MULTI_TOKEN_AUTH_PROVIDERS: Provider[] = [
  {
    provide: RESOLVED_OPTIONS,
    useFactory: (options: MultiTokenAuthOptions) => resolveOptions(options),
    inject: [MULTI_TOKEN_AUTH_OPTIONS],
  },
  {
    provide: PasswordHasher,
    useFactory: (options: ResolvedOptions) => options.passwordHasher,
    inject: [RESOLVED_OPTIONS],
  },
  { provide: Clock, useFactory: (options: ResolvedOptions) => options.clock, inject: [RESOLVED_OPTIONS] },
  ...storeProviders,
  ...attemptProviders,
  ...LIMIT_PROVIDERS,
  UserChangesSubscriber,
  {
    provide: TokenCodec,
    useFactory: (options: ResolvedOptions) => new TokenCodec(options.tokenPrefix, options.legacyTokens?.format),
    inject: [RESOLVED_OPTIONS],
  },
  ClientRegistry,
  UserAccessor,
  CredentialsVerifier,
  TokenIssuer,
  TokenRevoker,
  TokenUpdater,
  TokenRoller,
  TokenRotator,
  TokenFamilyRevoker,
  TokenPurger,
  TokenService,
  LastUsedTracker,
  TokenUsageCounter,
  TokenQuotaKeeper,
  TokenVerifier,
  CookieTransport,
  MultiTokenBearerStrategy,
  ClientAccessGuard,
  ClientThrottlerGuard,
  ScopeGuard,
  GuardSteps,
  KeyRateLimitCheck,
  TokenQuotaCheck,
  MultiTokenAuthGuard,
  PassportBearerAuthGuard,
  LiveConnections,
  SocketAuthenticator,
  EventEmitterSink,
  {
    provide: AuthEventSink,
    useFactory: (options: ResolvedOptions, fromEmitter: EventEmitterSink) => options.eventSink ?? fromEmitter,
    inject: [RESOLVED_OPTIONS, EventEmitterSink],
  },
  AuthEvents,
  PurgeScheduler,
  LegacyTokenImporter,
  LegacyImportLedger,
  ClientAdmin,
  RoutePolicyCheck,
  LeakedTokenRevoker,
  SigningKeySource,
  CredentialRevocationLimit,
  KeepAliveCloser,
];
