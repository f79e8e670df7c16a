import { Module, type DynamicModule } from '@nestjs/common';
import { ClientRegistry } from './clients/client.registry';
import { Clock } from './clock/clock.interface';
import { ClientAccessGuard } from './guards/client-access.guard';
import { MultiTokenAuthGuard } from './guards/multi-token-auth.guard';
import { GuardSteps } from './guards/guard-steps';
import { ScopeGuard } from './guards/scope.guard';
import { RoutePolicyCheck } from './guards/route-policy.check';
import { LiveConnections } from './sockets/live-connections';
import { SocketAuthenticator } from './sockets/socket.authenticator';
import { PassportBearerAuthGuard } from './guards/passport-bearer-auth.guard';
import { MULTI_TOKEN_AUTH_THROTTLER_STORAGE, RESOLVED_OPTIONS } from './multi-token-auth.constants';
import { resolveOptions } from './multi-token-auth.defaults';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  MULTI_TOKEN_AUTH_OPTIONS,
} from './multi-token-auth.module-definition';
import { checkAsyncKeys } from './options/module-extras';
import type { MultiTokenAuthOptions } from './multi-token-auth.options';
import type { ResolvedOptions } from './multi-token-auth.defaults';
import { PasswordHasher } from './passwords/password-hasher.interface';
import { MultiTokenBearerStrategy } from './strategies/bearer.strategy';
import { ClientThrottlerGuard } from './throttling/client-throttler.guard';
import { LastUsedTracker } from './tokens/last-used.tracker';
import { TokenService } from './tokens/token.service';
import { TokenIssuer } from './tokens/token.issuer';
import { TokenPurger } from './tokens/token.purger';
import { TokenRevoker } from './tokens/token.revoker';
import { TokenStore } from './storage/token-store.interface';
import { cacheProviders } from './cache/cache.providers';
import { CookieTransport } from './http/cookie-transport';
import { attemptProviders } from './attempts/attempts.providers';
import { LoginAttemptStore } from './attempts/login-attempt-store.interface';
import { LoginAttemptLimiter } from './attempts/login-attempt.limiter';
import { UserChangesSubscriber } from './cache/user-changes.subscriber';
import { TokenCodec } from './tokens/token.codec';
import { TokenVerifier } from './tokens/token.verifier';
import { CredentialsVerifier } from './users/credentials.verifier';
import { UserAccessor } from './users/user.accessor';
import { AuthEventSink } from './events/auth-event-sink.interface';
import { AuthEvents } from './events/auth-events';
import { EventEmitterSink } from './events/event-emitter.sink';
import { PurgeScheduler } from './purge/purge.scheduler';
import { ClientAdmin } from './clients/client.admin';
import { LegacyTokenImporter } from './tokens/legacy-token.importer';
import { LegacyImportLedger } from './tokens/legacy-import.ledger';

const EXPORTED = [
  RESOLVED_OPTIONS,
  MULTI_TOKEN_AUTH_THROTTLER_STORAGE,
  PasswordHasher,
  Clock,
  TokenStore,
  TokenCodec,
  TokenService,
  TokenVerifier,
  ClientRegistry,
  ClientAccessGuard,
  ClientThrottlerGuard,
  MultiTokenAuthGuard,
  PassportBearerAuthGuard,
  CredentialsVerifier,
  UserAccessor,
  LoginAttemptStore,
  LoginAttemptLimiter,
  CookieTransport,
  ScopeGuard,
  GuardSteps,
  SocketAuthenticator,
  LiveConnections,
  AuthEventSink,
  AuthEvents,
  PurgeScheduler,
  ClientAdmin,
];

/**
 * Opaque bearer tokens stored in the app's database.
 *
 * @example
 * MultiTokenAuthModule.forRoot({ user: { entity: User }, clients: [{ name: 'web', tokenTtl: 86400 }] })
 */
@Module({
  providers: [
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
    ...cacheProviders,
    ...attemptProviders,
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
    TokenPurger,
    TokenService,
    LastUsedTracker,
    TokenVerifier,
    CookieTransport,
    MultiTokenBearerStrategy,
    ClientAccessGuard,
    ClientThrottlerGuard,
    ScopeGuard,
    GuardSteps,
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
  ],
  exports: EXPORTED,
})
export class MultiTokenAuthModule extends ConfigurableModuleClass {
  /**
   * Options from other providers: `useFactory` (with `imports`, `inject`) returns the options; the
   * module-shape settings (`isGlobal`, `routePrefix`, `mountControllers`, `globalGuard`) go beside it.
   */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    checkAsyncKeys(options);
    return super.forRootAsync(options);
  }
}
