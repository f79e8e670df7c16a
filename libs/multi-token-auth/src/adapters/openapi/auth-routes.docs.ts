import { codesByStatus } from '../../contracts/errors/auth-error.table';
import { NO_STORE, type RouteDoc } from './api-route.decorator';
import {
  API_KEY,
  API_KEY_BODY,
  API_KEY_UPDATE_BODY,
  API_KEY_USAGE,
  API_KEY_ROLL_BODY,
  API_KEY_ROLLED,
  API_KEY_CREATED,
} from './api-key.schemas';
import {
  ARRAY_OF,
  INTROSPECTION,
  LOGIN_ANSWER,
  LOGIN_BODY,
  REFRESH_ANSWER,
  SESSION,
  TOKEN_PARAMETER,
} from './auth-api.schemas';
import { CREDENTIAL_LIST, LEAK_FEEDBACK, LEAK_REPORTS } from './leak.schemas';

/** The OpenAPI description of each built-in route, as docs/http-api.md's table of built-in routes gives it. */
export const ROUTE_DOCS = {
  login: {
    summary: 'Sign in: a new token for this device or client',
    description:
      'A wrong password and an unknown user get the same 401 at the same cost. For a `cookie: true` client the token is set as an HttpOnly cookie and the body carries `csrfToken` instead.',
    auth: 'none',
    body: LOGIN_BODY,
    success: { status: 201, description: 'The new token, shown this once.', schema: LOGIN_ANSWER, headers: NO_STORE },
    errors: codesByStatus([
      'unknown_client',
      'api_key_login',
      'legacy_client_login',
      'invalid_credentials',
      'user_inactive',
      'credentials_changed',
      'token_limit_exceeded',
      'scope_not_allowed',
      'token_name_taken',
      'json_required',
      'too_many_attempts',
      'too_many_password_checks',
      'password_checks_busy',
      'auth_unavailable',
    ]),
  },
  introspect: {
    summary: 'RFC 7662 introspection: is this token active, and whose is it?',
    description:
      'For another service holding a token: the caller’s own token must hold the scope `auth:introspect` by name ' +
      '(an API key made with it). Form (`token=…`) or JSON. Every inactive case answers `{"active": false}` alone.',
    auth: 'bearer',
    body: TOKEN_PARAMETER,
    consumes: ['application/x-www-form-urlencoded', 'application/json'],
    success: { status: 200, description: 'The token’s state.', schema: INTROSPECTION, headers: NO_STORE },
    errors: { 403: ['insufficient_scope'] },
  },
  revoke: {
    summary: 'RFC 7009 revocation: the holder of a token revokes it',
    description:
      'The token authenticates itself: no other credentials. 200 whether or not it existed; a token of a ' +
      'refresh family ends the family.',
    auth: 'none',
    body: TOKEN_PARAMETER,
    consumes: ['application/x-www-form-urlencoded', 'application/json'],
    success: { status: 200, description: 'Revoked, or nothing to revoke: the answer does not say.' },
    errors: { 400: ['validation_failed'], 503: ['auth_unavailable'] },
  },
  leakedTokens: {
    summary: 'GitHub secret scanning: revoke the tokens a signed report found in public',
    description:
      'Signed by GitHub (`Github-Public-Key-Identifier`, `Github-Public-Key-Signature`: ECDSA P-256 over the raw body); ' +
      'each token named is revoked on every instance and its owner hears `token.leaked`. Needs `secretScanning` and an ' +
      'app created with `rawBody: true`.',
    auth: 'none',
    body: LEAK_REPORTS,
    success: { status: 200, description: 'Feedback for GitHub, per token, by hash.', schema: LEAK_FEEDBACK },
    errors: codesByStatus([
      'validation_failed',
      'invalid_signature',
      'secret_scanning_disabled',
      'body_too_large',
      'unsupported_media_type',
      'raw_body_required',
      'signing_keys_unavailable',
      'auth_unavailable',
    ]),
  },
  revokeCredentials: {
    summary: 'Revoke tokens found somewhere, whoever owns them (at most 1 000)',
    description:
      'No authentication: holding a token is enough to end it. Limited per address (`credentialRevocation.perIp`). ' +
      '202 whether or not any was stored; each owner hears `token.leaked`.',
    auth: 'none',
    body: CREDENTIAL_LIST,
    success: { status: 202, description: 'Revoked, every one that was stored: the answer does not say which.' },
    errors: codesByStatus([
      'validation_failed',
      'credential_revocation_disabled',
      'body_too_large',
      'rate_limited',
      'auth_unavailable',
    ]),
  },
  logout: {
    summary: 'Sign out: revoke the presented token',
    auth: 'bearer',
    success: { status: 204, description: 'Revoked (a cookie client’s cookies cleared).' },
  },
  logoutAll: {
    summary: 'Sign out everywhere: revoke every token of the user',
    description: 'API keys too, unless `logoutAllRevokesApiKeys: false`.',
    auth: 'bearer',
    apiKeys: false,
    success: { status: 204, description: 'Every token revoked.' },
  },
  refresh: {
    summary: 'Extend the presented token by its client’s TTL, or rotate it (`rotateOnRefresh`)',
    description:
      'Never past the client’s `absoluteLifetime`; an API key is never lengthened; the scopes never change. ' +
      'A client with `rotateOnRefresh` gets a successor token instead; the presented one works for `rotationGrace` ' +
      'seconds, then any use of it revokes every token of its sign-in (401 `token_reused`).',
    auth: 'bearer',
    success: { status: 200, description: 'The new expiry (and, rotated, the successor).', schema: REFRESH_ANSWER },
    errors: { 401: ['token_rotated'] },
  },
  listSessions: {
    summary: 'Where am I signed in? The user’s unexpired tokens, newest first',
    auth: 'bearer',
    safe: true,
    apiKeys: false,
    paginated: true,
    success: { status: 200, description: 'A page of sessions; never a token or digest.', schema: ARRAY_OF(SESSION) },
  },
  revokeOtherSessions: {
    summary: 'Sign out everywhere else: every other token of the user ends',
    auth: 'bearer',
    apiKeys: false,
    success: { status: 204, description: 'Every other session revoked; the presenting one stays.' },
  },
  revokeSession: {
    summary: 'Sign out that device',
    auth: 'bearer',
    apiKeys: false,
    id: 'A session id from `GET /auth/sessions`.',
    success: { status: 204, description: 'Revoked: refused on its very next request.' },
    errors: codesByStatus(['current_session', 'session_not_found']),
  },
  createApiKey: {
    summary: 'Create an API key',
    description: 'Needs the account’s password unless the session signed in within `recentLoginWindow`.',
    auth: 'bearer',
    apiKeys: false,
    body: API_KEY_BODY,
    success: { status: 201, description: 'The key, shown this once.', schema: API_KEY_CREATED, headers: NO_STORE },
    errors: codesByStatus([
      'password_required',
      'invalid_credentials',
      'session_ended',
      'api_key_limit_exceeded',
      'scope_not_allowed',
      'scope_not_held',
      'api_keys_disabled',
      'token_name_taken',
      'too_many_attempts',
      'too_many_password_checks',
      'password_checks_busy',
    ]),
  },
  listApiKeys: {
    summary: 'The user’s API keys, newest first',
    auth: 'bearer',
    safe: true,
    apiKeys: false,
    paginated: true,
    success: { status: 200, description: 'A page of keys; no secrets.', schema: ARRAY_OF(API_KEY) },
    errors: codesByStatus(['api_keys_disabled']),
  },
  apiKeyUsage: {
    summary: 'How much an API key is used: requests and refusals per UTC day, its last use and address',
    description:
      'Counted in memory and written once per `lastUsedUpdateInterval` by each instance; this instance’s unwritten ' +
      'counts are included, another instance’s last interval may not be yet.',
    auth: 'bearer',
    safe: true,
    apiKeys: false,
    id: 'An API key id from `GET /auth/api-keys`.',
    queries: [
      {
        name: 'days',
        schema: { type: 'integer', minimum: 1, maximum: 90, default: 30 },
        description: 'Today (UTC) and the days before it.',
      },
    ],
    success: { status: 200, description: 'Every day of the range, oldest first.', schema: API_KEY_USAGE },
    errors: codesByStatus(['api_key_not_found', 'api_keys_disabled']),
  },
  rollApiKey: {
    summary: 'Roll an API key: a new secret, the old one working on for an overlap',
    description:
      'Same name, scopes, metadata and lifetime; the old key is revoked now, or at the end of `overlapSeconds`. ' +
      'Needs the account’s password unless the session signed in within `recentLoginWindow`.',
    auth: 'bearer',
    apiKeys: false,
    id: 'An API key id from `GET /auth/api-keys`.',
    body: API_KEY_ROLL_BODY,
    success: { status: 201, description: 'The new key, shown this once.', schema: API_KEY_ROLLED, headers: NO_STORE },
    errors: codesByStatus([
      'password_required',
      'invalid_credentials',
      'session_ended',
      'scope_not_held',
      'api_key_not_found',
      'api_keys_disabled',
      'api_key_rolled',
      'too_many_attempts',
      'too_many_password_checks',
      'password_checks_busy',
    ]),
  },
  updateApiKey: {
    summary: 'Rename, pause or resume an API key, or replace its metadata',
    description: 'Fields not given stay as they are; the secret, scopes and expiry cannot change.',
    auth: 'bearer',
    apiKeys: false,
    id: 'An API key id from `GET /auth/api-keys`.',
    body: API_KEY_UPDATE_BODY,
    success: { status: 200, description: 'The key as stored now; no secret.', schema: API_KEY },
    errors: codesByStatus(['api_key_not_found', 'api_keys_disabled', 'token_name_taken', 'api_key_rolled']),
  },
  revokeApiKey: {
    summary: 'Revoke an API key',
    auth: 'bearer',
    apiKeys: false,
    id: 'An API key id from `GET /auth/api-keys`.',
    success: { status: 204, description: 'Revoked.' },
    errors: codesByStatus(['api_key_not_found', 'api_keys_disabled']),
  },
} satisfies { [route: string]: RouteDoc };
