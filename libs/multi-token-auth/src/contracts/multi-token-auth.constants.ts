/** Name under which the bearer strategy is registered with Passport. */
export const MULTI_TOKEN_BEARER = 'multi-token-bearer';

/** Table names owned by the library. */
export const AUTH_TOKENS_TABLE = 'auth_tokens';
export const AUTH_CLIENTS_TABLE = 'auth_clients';
/** Digests of every legacy token ever imported (`TokenService.importLegacyTokens`). */
export const AUTH_LEGACY_IMPORTS_TABLE = 'auth_legacy_imports';
/** The revocation journal: one row per ended or shortened token, or per changed user (see RevocationJournal). */
export const AUTH_REVOCATIONS_TABLE = 'auth_revocations';

/** Requests and refusals per API key and UTC day (`GET /auth/api-keys/:id/usage`). */
export const AUTH_TOKEN_USAGE_TABLE = 'auth_token_usage';

/** Namespaced metadata keys (one namespace, like `cache_module:*`). */
export const IS_PUBLIC_KEY = 'multi_token_auth:public';
export const ALLOW_CLIENTS_KEY = 'multi_token_auth:allow_clients';
export const DISALLOW_CLIENTS_KEY = 'multi_token_auth:disallow_clients';
export const DISALLOW_API_KEYS_KEY = 'multi_token_auth:disallow_api_keys';
export const CLIENT_RATE_LIMIT_KEY = 'multi_token_auth:client_rate_limit';
export const REQUIRE_SCOPES_KEY = 'multi_token_auth:require_scopes';
export const REQUIRE_ANY_SCOPE_KEY = 'multi_token_auth:require_any_scope';
export const OPTIONAL_AUTH_KEY = 'multi_token_auth:optional_auth';
export const TOKEN_COST_KEY = 'multi_token_auth:token_cost';
export const REQUIRE_GRANTED_SCOPES_KEY = 'multi_token_auth:require_granted_scopes';

/** Injection token of the throttler storage used for per user+client rate limits. */
export const MULTI_TOKEN_AUTH_THROTTLER_STORAGE = Symbol('MultiTokenAuthThrottlerStorage');
/** Injection token of the verified options (defaults merged and checked once). */
export const RESOLVED_OPTIONS = Symbol('MultiTokenAuthResolvedOptions');
