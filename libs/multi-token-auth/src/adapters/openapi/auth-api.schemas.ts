import type { OpenApiSchema } from './swagger.loader';
import { dateTime, nullable, object, scopeList, scopes, tokenFields, tokenName } from './schema.parts';

/** `{statusCode, message, error, code}` with the stable codes a status can carry. */
export function errorBodySchema(status: number, codes: readonly string[]): OpenApiSchema {
  return object(
    {
      statusCode: { type: 'integer', enum: [status] },
      message: {
        oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
        description: 'A list of messages for `validation_failed`.',
      },
      error: { type: 'string' },
      code: { type: 'string', enum: [...codes] },
      requiredScopes: { type: 'array', items: { type: 'string' }, description: 'With `insufficient_scope`.' },
      anyOfScopes: {
        type: 'array',
        items: { type: 'array', items: { type: 'string' } },
        description: 'With `insufficient_scope` on an any-of route.',
      },
    },
    ['statusCode', 'message', 'error', 'code'],
  );
}

export const LOGIN_BODY = object(
  {
    username: {
      type: 'string',
      minLength: 1,
      maxLength: 150,
      description:
        'The login name, compared with the property `user.usernameField` names. When that property has another name (such as `email`), the body may send the name under it instead; both with different values is a 400 `validation_failed`.',
    },
    password: { type: 'string', minLength: 1, maxLength: 1024, format: 'password' },
    client: { type: 'string', minLength: 1, maxLength: 50, example: 'default' },
    name: { ...tokenName, description: 'A label for this session ("Work laptop"); unique per user.' },
    scopes: scopeList,
  },
  ['username', 'password', 'client'],
);

export const LOGIN_ANSWER = object(
  {
    token: {
      type: 'string',
      description: 'The bearer token, shown this once. Absent for a cookie client, whose body has `csrfToken` instead.',
    },
    csrfToken: { type: 'string', description: 'Cookie clients only: send it as `X-CSRF-Token` on unsafe requests.' },
    ...tokenFields,
    user: object({ id: { oneOf: [{ type: 'integer' }, { type: 'string' }] }, username: { type: 'string' } }),
  },
  ['id', 'client', 'name', 'expiresAt', 'scopes', 'user'],
);

export const REFRESH_ANSWER = object(
  {
    expiresAt: tokenFields.expiresAt,
    scopes,
    token: {
      type: 'string',
      description:
        'Clients with `rotateOnRefresh` only: the successor token, shown this once (a cookie client gets it as its cookie, and `csrfToken`).',
    },
    id: { type: 'string', format: 'uuid', description: 'Clients with `rotateOnRefresh` only: the successor’s id.' },
    csrfToken: { type: 'string', description: 'Cookie clients with `rotateOnRefresh` only: the new `X-CSRF-Token`.' },
  },
  ['expiresAt', 'scopes'],
);

export const SESSION = object({
  ...tokenFields,
  createdAt: dateTime,
  lastUsedAt: nullable(dateTime),
  userAgent: nullable({ type: 'string' }),
  ip: nullable({ type: 'string' }),
  lastIp: nullable({ type: 'string', description: 'The address of the last use `lastUsedAt` records.' }),
  current: { type: 'boolean', description: 'Whether this is the token making the request.' },
});

export const TOKEN_PARAMETER = object(
  {
    token: { type: 'string', minLength: 1, maxLength: 4096, description: 'The token asked about, or to revoke.' },
    token_type_hint: {
      type: 'string',
      maxLength: 64,
      example: 'access_token',
      description: 'A hint only: every token is looked up the same way.',
    },
  },
  ['token'],
);

export const INTROSPECTION = object(
  {
    active: { type: 'boolean', description: '`false` alone for every inactive case (unknown, expired, revoked, …).' },
    scope: { type: 'string', description: 'Space-separated; absent for a token unrestricted by scopes.' },
    client_id: { type: 'string', description: 'The token’s client.' },
    username: { type: 'string' },
    sub: { type: 'string', description: 'The user’s id.' },
    exp: { type: 'integer', description: 'Expiry, seconds since the epoch; absent: never expires.' },
    iat: { type: 'integer', description: 'Issue time (the sign-in), seconds since the epoch.' },
    token_type: { type: 'string', enum: ['Bearer'] },
    jti: { type: 'string', format: 'uuid', description: 'The token’s id (as in the session and key lists).' },
    own_scope: { type: 'string', description: 'Extension: the token’s own scope list; absent when unrestricted.' },
    rate_limit: { type: 'string', description: 'Extension: the key’s own rate limit, when it has one.' },
    allowed_ips: { type: 'array', items: { type: 'string' }, description: 'Extension: the key’s address list.' },
  },
  ['active'],
);

export const ARRAY_OF = (items: OpenApiSchema): OpenApiSchema => ({ type: 'array', items });
