/**
 * Every request error the library answers, by its stable `code`: the HTTP status and the message
 * the body carries. Defined here once: the exceptions build their bodies from it, the OpenAPI
 * document groups a route's codes by its statuses, GraphQL and socket answers follow the status, and
 * a spec holds docs/http-api.md's list of errors to it. Messages never contain a token.
 *
 * `variants` are the few other wordings one code is sent with (a wrong password on re-authentication
 * is still `invalid_credentials`); `message` is the one sent unless a variant is named.
 */
export const AUTH_ERRORS = {
  invalid_request: {
    status: 400,
    message: 'Malformed request: send one token as Authorization: Bearer <token>, never as an access_token parameter.',
  },
  password_required: { status: 400, message: 'Send the account password (password) to do this.' },
  unknown_client: { status: 400, message: 'Unknown client.' },
  api_key_login: { status: 400, message: 'API keys are created with POST /auth/api-keys, not by signing in.' },
  legacy_client_login: {
    status: 400,
    message: 'Tokens of this client are imported from the old system, never made by signing in.',
  },
  current_session: { status: 400, message: 'This is the current session; end it with POST /auth/logout.' },
  validation_failed: { status: 400, message: 'The request is not valid; message lists every problem.' },
  body_too_deep: { status: 400, message: 'The request body is nested too deeply.' },
  invalid_characters: { status: 400, message: 'The request contains a NUL character.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  request_aborted: { status: 400, message: 'The request was aborted.' },
  bad_request: {
    status: 400,
    message: 'The request body could not be read.',
    variants: { lengthMismatch: 'The request body does not match its Content-Length.' },
  },
  missing_token: { status: 401, message: 'Authentication credentials were not provided.' },
  invalid_token: { status: 401, message: 'Invalid token.' },
  token_expired: { status: 401, message: 'Token has expired.' },
  key_disabled: { status: 401, message: 'This API key is paused; its owner can enable it again.' },
  user_inactive: { status: 401, message: 'User inactive or deleted.' },
  session_ended: { status: 401, message: 'The session making this request has ended.' },
  token_reused: {
    status: 401,
    message: 'This token was replaced by a refresh and used again; every token of its sign-in is revoked.',
  },
  token_rotated: {
    status: 401,
    message: 'This token was already refreshed; use the token that replaced it.',
  },
  invalid_credentials: {
    status: 401,
    message: 'Invalid username or password.',
    variants: { wrongPassword: 'The password is incorrect.' },
  },
  credentials_changed: { status: 401, message: 'The credentials changed while signing in; sign in again.' },
  invalid_signature: {
    status: 401,
    message: 'The report is not signed by a known secret-scanning key.',
  },
  client_not_allowed: { status: 403, message: 'This client may not use this route.' },
  api_key_not_allowed: {
    status: 403,
    message: 'API keys cannot be used for this action; sign in with a password.',
  },
  insufficient_scope: { status: 403, message: 'The token lacks a scope this route requires.' },
  ip_not_allowed: { status: 403, message: 'This token may not be used from this address.' },
  scope_not_allowed: { status: 403, message: 'The client does not allow a requested scope.' },
  scope_not_held: { status: 403, message: 'A token cannot grant a scope it does not hold itself.' },
  token_limit_exceeded: { status: 403, message: 'Maximum amount of tokens allowed per user exceeded.' },
  api_key_limit_exceeded: { status: 403, message: 'Maximum number of API keys reached; revoke one first.' },
  csrf_failed: { status: 403, message: 'Missing or wrong X-CSRF-Token header.' },
  session_not_found: { status: 404, message: 'Session not found.' },
  api_key_not_found: { status: 404, message: 'API key not found.' },
  api_keys_disabled: { status: 404, message: 'API keys are disabled.' },
  secret_scanning_disabled: { status: 404, message: 'Secret-scanning reports are not received here.' },
  credential_revocation_disabled: { status: 404, message: 'Credential revocation is disabled.' },
  revocation_feed_unavailable: {
    status: 404,
    message: "No revocation feed here: it is read from the library's own TypeORM store.",
  },
  token_name_taken: { status: 409, message: 'A token with this name already exists for this user.' },
  api_key_rolled: {
    status: 409,
    message: 'This API key was rolled (or changed while being rolled): list the keys and use the one that replaced it.',
  },
  body_too_large: {
    status: 413,
    message: 'The request body is too large.',
    variants: { tooManyParameters: 'The request body has too many form parameters.' },
  },
  json_required: { status: 415, message: 'A browser sign-in must send its body as application/json.' },
  unsupported_media_type: {
    status: 415,
    message: 'Unsupported media type.',
    variants: { charset: 'Unsupported charset.', encoding: 'Unsupported content encoding.' },
  },
  rate_limited: { status: 429, message: 'Too many requests.' },
  quota_exhausted: { status: 429, message: 'The token has used up its quota.' },
  too_many_attempts: { status: 429, message: 'Too many password attempts; try again later.' },
  too_many_password_checks: {
    status: 429,
    message: 'Too many sign-ins from this address at once; try again in a moment.',
  },
  internal_error: { status: 500, message: 'Internal server error' },
  raw_body_required: {
    status: 500,
    message: 'The server cannot check signed reports: the app must be created with rawBody: true.',
  },
  auth_unavailable: { status: 503, message: 'Authentication is temporarily unavailable.' },
  signing_keys_unavailable: {
    status: 503,
    message: 'The keys that sign secret-scanning reports cannot be fetched now; try again later.',
  },
  password_checks_busy: { status: 503, message: 'Too many sign-ins at once; try again in a moment.' },
} as const satisfies Record<string, AuthErrorDefinition>;

/** One row of {@link AUTH_ERRORS}. */
export interface AuthErrorDefinition {
  /** The HTTP status; GraphQL and socket answers carry it too. */
  readonly status: number;
  /** The message the body carries. */
  readonly message: string;
  /** Other wordings of the same failure, by name. */
  readonly variants?: Readonly<Record<string, string>>;
}

/** A stable error code of the library: the `code` of every error body it sends. */
export type AuthErrorCode = keyof typeof AUTH_ERRORS;

/** The named wordings of a code that has some. */
export type AuthErrorVariant<C extends AuthErrorCode> = (typeof AUTH_ERRORS)[C] extends {
  variants: infer V;
}
  ? keyof V
  : never;

/** The reason phrase a body's `error` field carries, by status (RFC 9110's). */
const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The body every library error sends: `{ statusCode, message, error, code }`, from the table. */
export interface AuthErrorBody<C extends string = AuthErrorCode> {
  statusCode: number;
  message: string;
  error: string;
  code: C;
}

/**
 * The body for `code`, in the table's wording or one of its variants.
 *
 * @example
 * throw new UnauthorizedException(authErrorBody('invalid_token'));
 */
export function authErrorBody<C extends AuthErrorCode>(code: C, variant?: AuthErrorVariant<C>): AuthErrorBody<C> {
  const row: AuthErrorDefinition = AUTH_ERRORS[code];
  const message = variant === undefined ? row.message : (row.variants?.[variant as string] ?? row.message);
  return { statusCode: row.status, message, error: reasonPhrase(row.status), code };
}

/** RFC 9110's reason phrase for a status the library answers with. */
export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? 'Error';
}

/**
 * Codes grouped by the status the table gives each, in the order given: how a route's OpenAPI
 * description lists its errors.
 */
export function codesByStatus(codes: readonly AuthErrorCode[]): { [status: number]: AuthErrorCode[] } {
  const grouped: { [status: number]: AuthErrorCode[] } = {};
  for (const code of codes) (grouped[AUTH_ERRORS[code].status] ??= []).push(code);
  return grouped;
}
