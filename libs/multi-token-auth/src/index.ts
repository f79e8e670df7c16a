export { MultiTokenAuthModule } from './multi-token-auth.module';
export type {
  CacheOptions,
  ClientDefinition,
  CookieOptions,
  LegacyTokenFormat,
  LegacyTokenOptions,
  PurgeOptions,
  LoginAttemptOptions,
  RedisOptions,
  RouteCheckOptions,
  MultiTokenAuthExtras,
  MultiTokenAuthOptions,
  TokenLimitPolicy,
  UserOptions,
} from './contracts/multi-token-auth.options';
export {
  GITHUB_SECRET_SCANNING_KEYS_URL,
  type CredentialRevocationOptions,
  type SecretScanningKey,
  type SecretScanningOptions,
} from './contracts/leaked-token.options';
export type {
  IntrospectionOptions,
  ResourceServerClient,
  ResourceServerAsyncOptions,
  ResourceServerOptions,
} from './contracts/resource-server.options';
export { IntrospectedUser } from './contracts/introspected-user';
export { InjectMultiTokenAuthOptions } from './contracts/multi-token-auth-options.decorator';
export { Clock } from './contracts/clock/clock.interface';
export { ManualClock } from './contracts/clock/manual.clock';
export { MULTI_TOKEN_BEARER } from './contracts/multi-token-auth.constants';

export { AuthClient } from './contracts/entities/auth-client.entity';
export { AuthToken } from './contracts/entities/auth-token.entity';
export type { TokenMetadata } from './contracts/entities/metadata.transformer';
export type { TokenQuota, QuotaBalance, QuotaBalanceWrite, StoredQuota } from './contracts/token-quota';
export { multiTokenAuthEntities } from './contracts/entities/auth-entities.factory';
export { multiTokenAuthMigrations } from './pure/migrations/multi-token-auth.migrations';

export { TokenService, type IssueTokenOptions, type IssuedToken } from './services/tokens/token.service';
export type { UpdateTokenOptions } from './services/tokens/token.updater';
export type { QuotaStanding } from './services/tokens/token-quota.keeper';
export type { RolledKey, RollKeyOptions } from './services/tokens/token.roller';
export type { RevokeAllOptions } from './services/tokens/token.revoker';
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
  type TokenChanges,
  type TokenSettings,
  type TokenFilter,
  type TokenPosition,
  type TokenTouch,
} from './contracts/token-store.interface';
export { TypeOrmTokenStore } from './infrastructure/storage/typeorm-token.store';
export { TokenCache } from './contracts/token-cache.interface';
export { InMemoryTokenCache } from './infrastructure/cache/memory-token.cache';
export { CredentialsVerifier } from './services/users/credentials.verifier';
export { LoginAttemptStore, type AttemptCount } from './contracts/login-attempt-store.interface';
export { RouteErrorsInterceptor } from './adapters/http/route-errors.interceptor';

export { PasswordHasher } from './contracts/password-hasher.interface';
export { ScryptPasswordHasher } from './pure/passwords/scrypt-password.hasher';
export { DjangoPbkdf2PasswordHasher, type DjangoPbkdf2Options } from './pure/passwords/django-pbkdf2-password.hasher';

export { MultiTokenAuthGuard } from './adapters/guards/multi-token-auth.guard';
export { PassportBearerAuthGuard } from './adapters/guards/passport-bearer-auth.guard';
export { ClientAccessGuard } from './adapters/guards/client-access.guard';
export { ScopeGuard } from './adapters/guards/scope.guard';
export { ClientThrottlerGuard } from './adapters/guards/client-throttler.guard';
export { MultiTokenBearerStrategy } from './adapters/strategies/bearer.strategy';

export { Public } from './pure/decorators/public.decorator';
export { AllowClients } from './pure/decorators/allow-clients.decorator';
export { DisallowClients } from './pure/decorators/disallow-clients.decorator';
export { DisallowApiKeys } from './pure/decorators/disallow-api-keys.decorator';
export { ClientRateLimit } from './pure/decorators/client-rate-limit.decorator';
export { TokenCost } from './pure/decorators/token-cost.decorator';
export { CurrentUser } from './pure/decorators/current-user.decorator';
export { CurrentToken } from './pure/decorators/current-token.decorator';
export { RequireScopes, RequireAnyScope, RequireGrantedScopes } from './pure/decorators/require-scopes.decorator';
export { OptionalAuth } from './pure/decorators/optional-auth.decorator';

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
export { SocketErrorsFilter, type SocketErrorPayload } from './adapters/sockets/socket-errors.filter';

export { addMultiTokenAuthSecurity, type OpenApiDocumentLike } from './adapters/openapi/multi-token-auth-security';
export { ApiRoute, BEARER_SCHEME, type RouteBody, type RouteDoc } from './adapters/openapi/api-route.decorator';
export { ApiErrorResponse } from './adapters/openapi/api-error-response.decorator';
export { AuthEventName } from './contracts/events/auth-event.names';
export { AuthEventSink } from './contracts/events/auth-event-sink.interface';
export { PURGE_JOB } from './services/purge/purge.scheduler';
export type {
  LoginFailedEvent,
  LoginSucceededEvent,
  RevocationReason,
  TokenCreatedEvent,
  TokenEventFields,
  TokenRefreshedEvent,
  TokenRevokedEvent,
  TokenRolledEvent,
  TokenRotatedEvent,
  TokenReuseDetectedEvent,
  TokenLeakedEvent,
  TokenUpdatedEvent,
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
export {
  AuthUnavailableException,
  ClientNotAllowedException,
  ExpiredTokenException,
  InactiveUserException,
  InvalidCredentialsException,
  InvalidTokenException,
  KeyDisabledException,
  MissingTokenException,
  TokenLimitExceededException,
  TokenReusedException,
  TokenRotatedException,
  type CredentialsFailure,
  type InvalidTokenCode,
} from './contracts/errors/auth.exceptions';
export { TooManyAttemptsException, type RetryAfter } from './contracts/errors/attempt.exceptions';
export { InsufficientScopeException } from './contracts/errors/scope.exceptions';
export { QuotaExhaustedException, RateLimitedException } from './contracts/errors/rate-limited.exception';
export { ValidationFailedException } from './contracts/errors/validation-failed.exception';
export { StoreTimeoutError } from './contracts/errors/store-timeout.error';
export { BodyLimitsInterceptor } from './adapters/http/body-limits.interceptor';
export { BodyParserErrorsFilter } from './adapters/http/body-parser-errors.filter';
export type { UserId } from './contracts/user-id';
export type { ResolvedOptions as ResolvedMultiTokenAuthOptions } from './contracts/resolved-options';
export type { PasswordCheckLimits } from './contracts/password-check.options';
export type { Settable } from './contracts/settable';
export type { BearerChallenge } from './contracts/errors/auth.exceptions';
export type { AuthRequest } from './pure/http/auth-request';
export type { BearerCredentials } from './pure/http/bearer-header.parser';
export type { TransportCall } from './pure/transports/transport-call';
export type { RoutePolicy } from './pure/decorators/route-policy';
export type { CredentialsSource } from './adapters/strategies/bearer-credentials.reader';
