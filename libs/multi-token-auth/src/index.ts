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
} from './multi-token-auth.options';
export { DEFAULT_OPTIONS } from './multi-token-auth.defaults';
export type { ResolvedOptions as ResolvedMultiTokenAuthOptions } from './multi-token-auth.defaults';
export { InjectMultiTokenAuthOptions } from './multi-token-auth-options.decorator';
export { systemClock, Clock } from './clock/clock.interface';
export { ManualClock } from './clock/manual.clock';
export { MULTI_TOKEN_AUTH_THROTTLER_STORAGE, MULTI_TOKEN_BEARER } from './multi-token-auth.constants';

export { AuthClient } from './entities/auth-client.entity';
export { AuthToken } from './entities/auth-token.entity';
export { multiTokenAuthEntities } from './entities/auth-entities.factory';
export { CreateMultiTokenAuthTables9000000000000 } from './migrations/create-multi-token-auth-tables.migration';
export { AddClientSessionLifetimes9000000000001 } from './migrations/add-client-session-lifetimes.migration';
export { AddTokenScopes9000000000002 } from './migrations/add-token-scopes.migration';
export { AddTokenExpiryIndex9000000000003 } from './migrations/add-token-expiry-index.migration';
export { AddLegacyImports9000000000004 } from './migrations/add-legacy-imports.migration';
export { multiTokenAuthMigrations } from './migrations/multi-token-auth.migrations';

export { TokenService, type IssueTokenOptions, type IssuedToken } from './tokens/token.service';
export { TokenVerifier, type VerifiedToken } from './tokens/token.verifier';
export { TokenCodec } from './tokens/token.codec';
export { DRF_TOKEN_FORMAT } from './tokens/legacy-token.format';
export { MAX_CLIENT_SECONDS } from './options/option.checks';
export { MAX_RETENTION as MAX_PURGE_RETENTION } from './purge/purge-limits';
export type {
  LegacyImportOptions,
  LegacyImportResult,
  LegacySkipReason,
  LegacyToken,
} from './tokens/legacy-token.importer';
export { ClientAdmin, type ClientSummary, type StoredClientDefinition } from './clients/client.admin';
export { ClientAdminError } from './clients/client-admin.errors';
export {
  TokenStore,
  type LockedTokenStore,
  type NewToken,
  type RevokedToken,
  type TokenFilter,
  type TokenPosition,
  type TokenTouch,
} from './storage/token-store.interface';
export { TypeOrmTokenStore } from './storage/typeorm-token.store';
export { TokenCache } from './cache/token-cache.interface';
export { InMemoryTokenCache } from './cache/memory-token.cache';
export { CachedTokenStore } from './cache/cached-token.store';
export { ClientRegistry } from './clients/client.registry';
export type { UserId } from './users/user.accessor';
export { CredentialsVerifier } from './users/credentials.verifier';
export { LoginAttemptStore, type AttemptCount } from './attempts/login-attempt-store.interface';
export { InMemoryLoginAttemptStore } from './attempts/memory-login-attempt.store';
export { LoginAttemptLimiter } from './attempts/login-attempt.limiter';
export type { PasswordCheckLimits } from './passwords/password-check.queue';
export { RouteErrorsInterceptor } from './http/route-errors.interceptor';
export { CookieTransport, CsrfFailedException, CSRF_FAILED_MESSAGE } from './http/cookie-transport';
export * from './errors/attempt.exceptions';

export { PasswordHasher } from './passwords/password-hasher.interface';
export { ScryptPasswordHasher } from './passwords/scrypt-password.hasher';
export { DjangoPbkdf2PasswordHasher, type DjangoPbkdf2Options } from './passwords/django-pbkdf2-password.hasher';

export { MultiTokenAuthGuard } from './guards/multi-token-auth.guard';
export { PassportBearerAuthGuard } from './guards/passport-bearer-auth.guard';
export { ClientAccessGuard } from './guards/client-access.guard';
export { ScopeGuard } from './guards/scope.guard';
export { GuardSteps } from './guards/guard-steps';
export { ClientThrottlerGuard } from './throttling/client-throttler.guard';
export { MultiTokenBearerStrategy } from './strategies/bearer.strategy';

export { Public } from './decorators/public.decorator';
export { AllowClients } from './decorators/allow-clients.decorator';
export { DisallowClients } from './decorators/disallow-clients.decorator';
export { DisallowApiKeys } from './decorators/disallow-api-keys.decorator';
export { ClientRateLimit } from './decorators/client-rate-limit.decorator';
export { CurrentUser } from './decorators/current-user.decorator';
export { CurrentToken } from './decorators/current-token.decorator';
export { RequireScopes, RequireAnyScope } from './decorators/require-scopes.decorator';
export { OptionalAuth } from './decorators/optional-auth.decorator';
export { MAX_SCOPES, MAX_SCOPE_LENGTH } from './scopes/scope-set';

export {
  SocketAuthenticator,
  type ConnectionAuthOptions,
  type GraphqlWsContextLike,
  type SocketIoNamespaceLike,
  type SocketIoSocketLike,
  type UpgradeRequestLike,
  type WebSocketLike,
} from './sockets/socket.authenticator';
export type { HandshakeSources } from './sockets/handshake-credentials';
export { LiveConnections } from './sockets/live-connections';
export { SocketErrorsFilter, SOCKET_INTERNAL_ERROR, type SocketErrorPayload } from './sockets/socket-errors.filter';

export { addMultiTokenAuthSecurity, type OpenApiDocumentLike } from './openapi/multi-token-auth-security';
export { ApiRoute, BEARER_SCHEME, COOKIE_SCHEME, type RouteBody, type RouteDoc } from './openapi/api-route.decorator';
export { ApiErrorResponse } from './openapi/api-error-response.decorator';
export { AuthEventName } from './events/auth-event.names';
export { AuthEventSink } from './events/auth-event-sink.interface';
export { AuthEvents } from './events/auth-events';
export { EventEmitterSink } from './events/event-emitter.sink';
export { PurgeScheduler, PURGE_JOB } from './purge/purge.scheduler';
export type {
  LoginFailedEvent,
  LoginSucceededEvent,
  RevocationReason,
  TokenCreatedEvent,
  TokenEventFields,
  TokenRefreshedEvent,
  TokenRevokedEvent,
} from './events/auth-event.payloads';
export { GraphqlAuthError, type GraphqlAuthExtensions } from './transports/graphql-auth.error';
export type { SocketAuthErrorBody } from './transports/ws-auth.error';

export * from './errors/auth.exceptions';
export * from './errors/token-issue.exceptions';
export * from './errors/scope.exceptions';
export { RateLimitedException } from './throttling/rate-limited.exception';
export * from './errors/not-found.exceptions';
export { ValidationFailedException } from './errors/validation-failed.exception';
export { StoreTimeoutError } from './errors/store-timeout.error';
export { BodyLimitsInterceptor, DEFAULT_MAX_BODY_DEPTH } from './http/body-limits.interceptor';
export { BodyParserErrorsFilter, bodyParserAnswer } from './http/body-parser-errors.filter';
export * from './errors/bad-input.exceptions';
export { IsTokenName } from './validation/is-token-name.decorator';
export { PAGE_DEFAULT_LIMIT, PAGE_MAX_LIMIT } from './dto/page-query.dto';
