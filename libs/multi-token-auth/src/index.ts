export { MultiTokenAuthModule } from './multi-token-auth.module';
export { MULTI_TOKEN_AUTH_OPTIONS } from './multi-token-auth.module-definition';
export type {
  CacheOptions,
  ClientDefinition,
  CookieOptions,
  LegacyTokenFormat,
  LegacyTokenOptions,
  PurgeOptions,
  LoginAttemptOptions,
  MultiTokenAuthExtras,
  MultiTokenAuthOptions,
  TokenLimitPolicy,
  UserOptions,
} from './contracts/multi-token-auth.options';
export { DEFAULT_OPTIONS } from './pure/options/multi-token-auth.defaults';
export { InjectMultiTokenAuthOptions } from './contracts/multi-token-auth-options.decorator';
export { systemClock, Clock } from './contracts/clock/clock.interface';
export { ManualClock } from './contracts/clock/manual.clock';
export { MULTI_TOKEN_AUTH_THROTTLER_STORAGE, MULTI_TOKEN_BEARER } from './contracts/multi-token-auth.constants';

export { AuthClient } from './contracts/entities/auth-client.entity';
export { AuthToken } from './contracts/entities/auth-token.entity';
export { multiTokenAuthEntities } from './contracts/entities/auth-entities.factory';
export { CreateMultiTokenAuthTables9000000000000 } from './pure/migrations/create-multi-token-auth-tables.migration';
export { AddClientSessionLifetimes9000000000001 } from './pure/migrations/add-client-session-lifetimes.migration';
export { AddTokenScopes9000000000002 } from './pure/migrations/add-token-scopes.migration';
export { AddTokenExpiryIndex9000000000003 } from './pure/migrations/add-token-expiry-index.migration';
export { AddLegacyImports9000000000004 } from './pure/migrations/add-legacy-imports.migration';
export { multiTokenAuthMigrations } from './pure/migrations/multi-token-auth.migrations';

export { TokenService, type IssueTokenOptions, type IssuedToken } from './services/tokens/token.service';
export { TokenVerifier, type VerifiedToken } from './services/tokens/token.verifier';
export { TokenCodec } from './pure/tokens/token.codec';
export { DRF_TOKEN_FORMAT } from './pure/tokens/legacy-token.format';
export { MAX_CLIENT_SECONDS } from './pure/options/option.checks';
export { MAX_RETENTION as MAX_PURGE_RETENTION } from './pure/options/purge-limits';
export type {
  LegacyImportOptions,
  LegacyImportResult,
  LegacySkipReason,
  LegacyToken,
} from './services/tokens/legacy-token.importer';
export { ClientAdmin, type ClientSummary, type StoredClientDefinition } from './services/clients/client.admin';
export { ClientAdminError } from './services/clients/client-admin.errors';
export {
  TokenStore,
  type LockedTokenStore,
  type NewToken,
  type RevokedToken,
  type TokenFilter,
  type TokenPosition,
  type TokenTouch,
} from './contracts/token-store.interface';
export { TypeOrmTokenStore } from './infrastructure/storage/typeorm-token.store';
export { TokenCache } from './contracts/token-cache.interface';
export { InMemoryTokenCache } from './infrastructure/cache/memory-token.cache';
export { CachedTokenStore } from './infrastructure/cache/cached-token.store';
export { ClientRegistry } from './infrastructure/clients/client.registry';
export { CredentialsVerifier } from './services/users/credentials.verifier';
export { LoginAttemptStore, type AttemptCount } from './contracts/login-attempt-store.interface';
export { InMemoryLoginAttemptStore } from './infrastructure/attempts/memory-login-attempt.store';
export { LoginAttemptLimiter } from './services/attempts/login-attempt.limiter';
export { RouteErrorsInterceptor } from './adapters/http/route-errors.interceptor';
export { CookieTransport, CsrfFailedException } from './adapters/http/cookie-transport';
export * from './contracts/errors/attempt.exceptions';

export { PasswordHasher } from './contracts/password-hasher.interface';
export { ScryptPasswordHasher } from './pure/passwords/scrypt-password.hasher';
export { DjangoPbkdf2PasswordHasher, type DjangoPbkdf2Options } from './pure/passwords/django-pbkdf2-password.hasher';

export { MultiTokenAuthGuard } from './adapters/guards/multi-token-auth.guard';
export { PassportBearerAuthGuard } from './adapters/guards/passport-bearer-auth.guard';
export { ClientAccessGuard } from './adapters/guards/client-access.guard';
export { ScopeGuard } from './adapters/guards/scope.guard';
export { GuardSteps } from './adapters/guards/guard-steps';
export { ClientThrottlerGuard } from './adapters/guards/client-throttler.guard';
export { MultiTokenBearerStrategy } from './adapters/strategies/bearer.strategy';

export { Public } from './pure/decorators/public.decorator';
export { AllowClients } from './pure/decorators/allow-clients.decorator';
export { DisallowClients } from './pure/decorators/disallow-clients.decorator';
export { DisallowApiKeys } from './pure/decorators/disallow-api-keys.decorator';
export { ClientRateLimit } from './pure/decorators/client-rate-limit.decorator';
export { CurrentUser } from './pure/decorators/current-user.decorator';
export { CurrentToken } from './pure/decorators/current-token.decorator';
export { RequireScopes, RequireAnyScope } from './pure/decorators/require-scopes.decorator';
export { OptionalAuth } from './pure/decorators/optional-auth.decorator';
export { MAX_SCOPES, MAX_SCOPE_LENGTH } from './pure/scopes/scope-set';

export {
  SocketAuthenticator,
  type ConnectionAuthOptions,
  type GraphqlWsContextLike,
  type SocketIoNamespaceLike,
  type SocketIoSocketLike,
  type UpgradeRequestLike,
  type WebSocketLike,
} from './adapters/sockets/socket.authenticator';
export type { HandshakeSources } from './adapters/sockets/handshake-credentials';
export { LiveConnections } from './adapters/sockets/live-connections';
export {
  SocketErrorsFilter,
  SOCKET_INTERNAL_ERROR,
  type SocketErrorPayload,
} from './adapters/sockets/socket-errors.filter';

export { addMultiTokenAuthSecurity, type OpenApiDocumentLike } from './adapters/openapi/multi-token-auth-security';
export {
  ApiRoute,
  BEARER_SCHEME,
  COOKIE_SCHEME,
  type RouteBody,
  type RouteDoc,
} from './adapters/openapi/api-route.decorator';
export { ApiErrorResponse } from './adapters/openapi/api-error-response.decorator';
export { AuthEventName } from './contracts/events/auth-event.names';
export { AuthEventSink } from './contracts/events/auth-event-sink.interface';
export { AuthEvents } from './services/events/auth-events';
export { EventEmitterSink } from './infrastructure/events/event-emitter.sink';
export { PurgeScheduler, PURGE_JOB } from './services/purge/purge.scheduler';
export type {
  LoginFailedEvent,
  LoginSucceededEvent,
  RevocationReason,
  TokenCreatedEvent,
  TokenEventFields,
  TokenRefreshedEvent,
  TokenRevokedEvent,
} from './contracts/events/auth-event.payloads';
export { GraphqlAuthError, type GraphqlAuthExtensions } from './pure/transports/graphql-auth.error';
export type { SocketAuthErrorBody } from './pure/transports/ws-auth.error';

export {
  AUTH_ERRORS,
  authErrorBody,
  type AuthErrorBody,
  type AuthErrorCode,
  type AuthErrorDefinition,
  type AuthErrorVariant,
} from './contracts/errors/auth-error.table';
export * from './contracts/errors/auth.exceptions';
export * from './contracts/errors/token-issue.exceptions';
export * from './contracts/errors/scope.exceptions';
export { RateLimitedException } from './contracts/errors/rate-limited.exception';
export * from './contracts/errors/not-found.exceptions';
export { ValidationFailedException } from './contracts/errors/validation-failed.exception';
export { StoreTimeoutError } from './contracts/errors/store-timeout.error';
export { BodyLimitsInterceptor, DEFAULT_MAX_BODY_DEPTH } from './adapters/http/body-limits.interceptor';
export { BodyParserErrorsFilter, bodyParserAnswer } from './adapters/http/body-parser-errors.filter';
export * from './contracts/errors/bad-input.exceptions';
export { IsTokenName } from './pure/validation/is-token-name.decorator';
export { PAGE_DEFAULT_LIMIT, PAGE_MAX_LIMIT } from './adapters/dto/page-query.dto';
export type { UserId } from './contracts/user-id';
export type { ResolvedOptions as ResolvedMultiTokenAuthOptions } from './contracts/resolved-options';
export type { PasswordCheckLimits } from './contracts/password-check.options';
