import { Module, type DynamicModule } from '@nestjs/common';
import { ClientRegistry } from './infrastructure/clients/client.registry';
import { Clock } from './contracts/clock/clock.interface';
import { ClientAccessGuard } from './adapters/guards/client-access.guard';
import { MultiTokenAuthGuard } from './adapters/guards/multi-token-auth.guard';
import { GuardSteps } from './adapters/guards/guard-steps';
import { KeyRateLimitCheck } from './adapters/guards/key-rate-limit.check';
import { ScopeGuard } from './adapters/guards/scope.guard';
import { LiveConnections } from './adapters/sockets/live-connections';
import { SocketAuthenticator } from './adapters/sockets/socket.authenticator';
import { PassportBearerAuthGuard } from './adapters/guards/passport-bearer-auth.guard';
import { MULTI_TOKEN_AUTH_THROTTLER_STORAGE, RESOLVED_OPTIONS } from './contracts/multi-token-auth.constants';
import { ASYNC_OPTIONS_TYPE, ConfigurableModuleClass } from './multi-token-auth.module-definition';
import { checkAsyncKeys } from './pure/options/module-extras';
import { PasswordHasher } from './contracts/password-hasher.interface';
import { ClientThrottlerGuard } from './adapters/guards/client-throttler.guard';
import { TokenService } from './services/tokens/token.service';
import { TokenStore } from './contracts/token-store.interface';
import { MULTI_TOKEN_AUTH_PROVIDERS } from './multi-token-auth.providers';
import { CookieTransport } from './adapters/http/cookie-transport';
import { LoginAttemptStore } from './contracts/login-attempt-store.interface';
import { LoginAttemptLimiter } from './services/attempts/login-attempt.limiter';
import { TokenCodec } from './pure/tokens/token.codec';
import { TokenVerifier } from './services/tokens/token.verifier';
import { CredentialsVerifier } from './services/users/credentials.verifier';
import { UserAccessor } from './infrastructure/users/user.accessor';
import { AuthEventSink } from './contracts/events/auth-event-sink.interface';
import { AuthEvents } from './services/events/auth-events';
import { PurgeScheduler } from './services/purge/purge.scheduler';
import { ClientAdmin } from './services/clients/client.admin';
import { TokenQuotaCheck } from './adapters/guards/token-quota.check';
import type { ResourceServerAsyncOptions, ResourceServerOptions } from './contracts/resource-server.options';
import { MultiTokenAuthResourceServerModule } from './multi-token-auth.resource-server.module';

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
  KeyRateLimitCheck,
  TokenQuotaCheck,
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
  providers: MULTI_TOKEN_AUTH_PROVIDERS,
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

  /**
   * For another service that accepts the tokens without their database: the same guards and
   * decorators, tokens verified by the owner's introspection (`introspection: { url, apiKey }`),
   * cached while the owner's revocation feed is fresh, revocations heard through its Redis too.
   */
  static forResourceServer(options: ResourceServerOptions): DynamicModule {
    return MultiTokenAuthResourceServerModule.register(options);
  }

  /**
   * `forResourceServer()` with its options from other providers: `useFactory` (with `imports`,
   * `inject`) returns them; `isGlobal` and `globalGuard` go beside it.
   */
  static forResourceServerAsync(options: ResourceServerAsyncOptions): DynamicModule {
    return MultiTokenAuthResourceServerModule.registerAsync(options);
  }
}
