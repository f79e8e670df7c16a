import type { Provider } from '@nestjs/common';
import { Clock } from './contracts/clock/clock.interface';
import { IntrospectedUser } from './contracts/introspected-user';
import { RESOLVED_OPTIONS } from './contracts/multi-token-auth.constants';
import type { ResolvedOptions } from './contracts/resolved-options';
import type { ResourceServerOptions } from './contracts/resource-server.options';
import { TokenCache } from './contracts/token-cache.interface';
import { ClientAccessGuard } from './adapters/guards/client-access.guard';
import { ClientThrottlerGuard } from './adapters/guards/client-throttler.guard';
import { GuardSteps } from './adapters/guards/guard-steps';
import { KeyRateLimitCheck } from './adapters/guards/key-rate-limit.check';
import { MultiTokenAuthGuard } from './adapters/guards/multi-token-auth.guard';
import { PassportBearerAuthGuard } from './adapters/guards/passport-bearer-auth.guard';
import { ScopeGuard } from './adapters/guards/scope.guard';
import { CookieTransport } from './adapters/http/cookie-transport';
import { MultiTokenBearerStrategy } from './adapters/strategies/bearer.strategy';
import { JournalFollower } from './infrastructure/cache/journal.follower';
import { InMemoryTokenCache } from './infrastructure/cache/memory-token.cache';
import { REDIS, type RedisLink } from './infrastructure/cache/redis.link';
import { OwnerClient } from './infrastructure/remote/owner.client';
import { RemoteRevocationJournal } from './infrastructure/remote/remote-revocation.journal';
import { LIMIT_PROVIDERS } from './multi-token-auth-limits.providers';
import { REDIS_PROVIDER } from './multi-token-auth.providers';
import { resolveOptions } from './pure/options/multi-token-auth.defaults';
import {
  ownerOptions,
  resolveResourceServer,
  resourceServerChecked,
  type ResolvedResourceServer,
} from './pure/options/resource-server.checks';
import { TokenCodec } from './pure/tokens/token.codec';
import { RemoteTokenVerifier } from './services/remote/remote-token.verifier';
import { TokenVerifier } from './services/tokens/token.verifier';
import { KeepAliveCloser } from './adapters/http/keep-alive.closer';

/** Injection tokens of `forResourceServer()`'s options as given, and as resolved for its own parts. */
export const RESOURCE_SERVER_OPTIONS = Symbol('MultiTokenAuthResourceServerOptions');
export const RESOURCE_SERVER_SETTINGS = Symbol('MultiTokenAuthResourceServerSettings');

/**
 * A resource server's providers: the guards, strategy and checks of the library, unchanged, over a
 * `TokenVerifier` that introspects (with its cache and the owner's revocation feed) instead of a
 * store. No database, no TypeORM data source, no quota, usage, cookies or login here. `options`
 * provides `RESOURCE_SERVER_OPTIONS`: the options as given, or a factory's.
 */
export function resourceServerProviders(options: Provider<ResourceServerOptions>): Provider[] {
  return [
    options,
    {
      provide: RESOURCE_SERVER_SETTINGS,
      useFactory: (given: ResourceServerOptions) => resourceServerChecked(() => resolveResourceServer(given)),
      inject: [RESOURCE_SERVER_OPTIONS],
    },
    {
      provide: RESOLVED_OPTIONS,
      // After the resource server's own check (its settings are injected first), so its errors come first.
      useFactory: (given: ResourceServerOptions, _settings: ResolvedResourceServer) =>
        resourceServerChecked(() => resolveOptions(ownerOptions(given, IntrospectedUser))),
      inject: [RESOURCE_SERVER_OPTIONS, RESOURCE_SERVER_SETTINGS],
    },
    { provide: Clock, useFactory: (resolved: ResolvedOptions) => resolved.clock, inject: [RESOLVED_OPTIONS] },
    {
      provide: TokenCodec,
      useFactory: (resolved: ResolvedOptions) => new TokenCodec(resolved.tokenPrefix),
      inject: [RESOLVED_OPTIONS],
    },
    REDIS_PROVIDER,
    ...LIMIT_PROVIDERS,
    {
      provide: OwnerClient,
      useFactory: (settings: ResolvedResourceServer) => new OwnerClient(settings),
      inject: [RESOURCE_SERVER_SETTINGS],
    },
    {
      provide: TokenCache,
      useFactory: (settings: ResolvedResourceServer) => new InMemoryTokenCache(settings.cacheMaxEntries),
      inject: [RESOURCE_SERVER_SETTINGS],
    },
    {
      provide: RemoteTokenVerifier,
      useFactory: (
        codec: TokenCodec,
        owner: OwnerClient,
        cache: TokenCache,
        clock: Clock,
        settings: ResolvedResourceServer,
        resolved: ResolvedOptions,
      ) =>
        new RemoteTokenVerifier(codec, owner, cache, clock, {
          cacheTtlMs: settings.cacheTtlMs,
          timeoutMs: settings.timeoutMs,
          rates: new Map(resolved.clients.map((client) => [client.name, client.throttleRate])),
          defaultRate: resolved.defaultThrottleRate,
        }),
      inject: [TokenCodec, OwnerClient, TokenCache, Clock, RESOURCE_SERVER_SETTINGS, RESOLVED_OPTIONS],
    },
    {
      // The owner's journal, followed as an instance follows its own; Redis (when set) only speeds it up.
      provide: JournalFollower,
      useFactory: (
        verifier: RemoteTokenVerifier,
        owner: OwnerClient,
        settings: ResolvedResourceServer,
        redis: RedisLink | null,
      ) => {
        const follower = new JournalFollower(
          new RemoteRevocationJournal(owner, settings.revocationsUrl, settings.timeoutMs),
          verifier,
        );
        verifier.follow(follower);
        redis?.bus.attach({ revoked: (revocation) => verifier.applyRemote(revocation), recovered: () => undefined });
        follower.start();
        return follower;
      },
      inject: [RemoteTokenVerifier, OwnerClient, RESOURCE_SERVER_SETTINGS, REDIS],
    },
    { provide: TokenVerifier, useExisting: RemoteTokenVerifier },
    ...RESOURCE_SERVER_GUARDS,
    MultiTokenBearerStrategy,
    KeepAliveCloser,
  ];
}

/** The guards and what they inject, as on the owner: provided, and exported for the app's own modules. */
export const RESOURCE_SERVER_GUARDS = [
  CookieTransport,
  ClientAccessGuard,
  ScopeGuard,
  ClientThrottlerGuard,
  KeyRateLimitCheck,
  GuardSteps,
  MultiTokenAuthGuard,
  PassportBearerAuthGuard,
];
