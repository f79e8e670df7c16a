import { AUTH_ERRORS, codesByStatus, type AuthErrorCode } from '../../contracts/errors/auth-error.table';
import { ApiErrorResponse } from './api-error-response.decorator';
import { optionalSwagger, type OpenApiSchema, type SwaggerDecorators } from './swagger.loader';

/** The name of the bearer security scheme the library's routes require (see `addMultiTokenAuthSecurity`). */
export const BEARER_SCHEME = 'bearer';
/** The name of the cookie security scheme, added when a client has `cookie: true`. */
export const COOKIE_SCHEME = 'cookie';

/** A request body: an OpenAPI schema, or a DTO class documented with `@ApiProperty`. */
export type RouteBody = OpenApiSchema | (abstract new (...args: never[]) => unknown);

/** How one route is documented: the library's own, or an app's through `ApiRoute`. */
export interface RouteDoc {
  summary: string;
  description?: string;
  /**
   * `bearer`: needs a token; adds the security requirement and the errors every bearer route can
   * answer. `optional` (`@OptionalAuth()`): the same errors, and anonymous access (`{}`) as an
   * alternative. `none` (`@Public()`): `security: []`, so a document-wide requirement does not
   * apply to it.
   */
  auth: 'none' | 'bearer' | 'optional';
  /** A GET: changes nothing, so a cookie-authenticated call needs no CSRF token. */
  safe?: boolean;
  /** `false`: an API key is refused (403 `api_key_not_allowed`). */
  apiKeys?: boolean;
  body?: RouteBody;
  /** The body's media types, when not JSON alone (the RFC endpoints take forms first). */
  consumes?: string[];
  /** A `?limit=&cursor=` list that sends the next page in a `Link` header. */
  paginated?: boolean;
  /** The `:id` path parameter. */
  id?: string;
  /** Query parameters other than a page's (`?days=`). */
  queries?: { name: string; schema: OpenApiSchema; description: string }[];
  success: { status: number; description: string; schema?: OpenApiSchema; headers?: ResponseHeaders };
  /** The route's own error codes by status; the shared ones are added. */
  errors?: { [status: number]: readonly string[] };
}

type ResponseHeaders = { [name: string]: { description: string; schema: OpenApiSchema } };

/** Sent with a token: never stored by a cache. */
export const NO_STORE: ResponseHeaders = {
  'Cache-Control': { description: '`no-store`', schema: { type: 'string', enum: ['no-store'] } },
};

const LINK_HEADER: ResponseHeaders = {
  Link: {
    description: 'The next page, when there is one: `<…?limit=&cursor=…>; rel="next"`.',
    schema: { type: 'string' },
  },
};

/** The errors any bearer route can answer, whatever it does. */
const BEARER_ERRORS: readonly AuthErrorCode[] = [
  'invalid_request',
  'missing_token',
  'invalid_token',
  'token_expired',
  'key_disabled',
  'token_reused',
  'user_inactive',
  'ip_not_allowed',
  // An API key's own `rateLimit` counts on every route it calls, and so does its `quota`.
  'rate_limited',
  'quota_exhausted',
];

/** The route's error codes by status: the input floor's, the bearer ones (statuses from the error table), and its own. */
function errorsOf(doc: RouteDoc): Map<number, string[]> {
  const errors = new Map<number, string[]>();
  const add = (status: number, codes: readonly string[]) =>
    errors.set(status, [...new Set([...(errors.get(status) ?? []), ...codes])]);
  const token = doc.auth !== 'none';
  const shared: AuthErrorCode[] = [];
  if (doc.body || doc.paginated || doc.id || doc.queries) shared.push('validation_failed');
  // BodyLimitsInterceptor: a NUL in the query (any route) or the body; a body nested too deep.
  shared.push(...(doc.body ? (['body_too_deep', 'invalid_characters'] as const) : (['invalid_characters'] as const)));
  if (token) shared.push(...BEARER_ERRORS);
  // A request authenticated by the session cookie must prove it came from the app's own page.
  if (token && !doc.safe) shared.push('csrf_failed');
  if (doc.apiKeys === false) shared.push('api_key_not_allowed');
  for (const [status, codes] of Object.entries(codesByStatus(shared))) add(Number(status), codes);
  for (const [status, codes] of Object.entries(doc.errors ?? {})) add(Number(status), codes);
  if (token) add(AUTH_ERRORS.auth_unavailable.status, ['auth_unavailable']); // the token store is unreachable; a public route lists its own
  return new Map([...errors].sort(([a], [b]) => a - b));
}

/**
 * Documents a route for OpenAPI through @nestjs/swagger when the app has it: summary, body,
 * parameters, the success answer and every error status with its body and codes: the route's own
 * (`errors`) and those its `auth` implies (400 `invalid_request`, 401 `missing_token`,
 * `invalid_token`, `token_expired`, `key_disabled`, `user_inactive`, 403 `ip_not_allowed`, 403
 * `csrf_failed` on unsafe routes, 429 `rate_limited` and `quota_exhausted` (a key's own `rateLimit`
 * and `quota`), 503
 * `auth_unavailable`), plus 400 `invalid_characters` (and `body_too_deep`, `validation_failed` with
 * a body) from `BodyLimitsInterceptor` and the validation pipe. The library's routes use it; so can
 * an app's, guarded by the library and with those two installed (as the demo does). Without
 * @nestjs/swagger it does nothing, so the library carries no dependency on it.
 *
 * @example
 * @ApiRoute({ summary: 'Create an order', auth: 'bearer', body: CreateOrderDto,
 *   success: { status: 201, description: 'The new order.', schema: ORDER },
 *   errors: { 403: ['insufficient_scope'] } })
 * @RequireScopes('orders:write')
 * @Post()
 * create(@Body() body: CreateOrderDto) { … }
 */
export function ApiRoute(doc: RouteDoc): MethodDecorator {
  return (target, key, descriptor) => {
    const swagger = optionalSwagger();
    if (!swagger) return;
    // `security: []` on the operation itself: @nestjs/swagger drops an empty @ApiSecurity list.
    const open: { security?: [] } = doc.auth === 'none' ? { security: [] } : {};
    const decorators = [
      swagger.ApiOperation({ summary: doc.summary, description: doc.description, ...open }),
      swagger.ApiResponse(doc.paginated ? { ...doc.success, headers: LINK_HEADER } : doc.success),
    ];
    // Listed in this order: anonymous first, as OpenAPI reads `{}` as "no credentials needed".
    if (doc.auth === 'optional') decorators.push(swagger.ApiSecurity({}));
    if (doc.auth !== 'none') decorators.push(swagger.ApiSecurity(BEARER_SCHEME));
    if (typeof doc.body === 'function') decorators.push(swagger.ApiBody({ type: doc.body, required: true }));
    else if (doc.body) decorators.push(swagger.ApiBody({ schema: doc.body, required: true }));
    if (doc.consumes) decorators.push(swagger.ApiConsumes(...doc.consumes));
    if (doc.id) {
      decorators.push(
        swagger.ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' }, description: doc.id }),
      );
    }
    if (doc.paginated) decorators.push(...pageQueries(swagger));
    for (const query of doc.queries ?? []) decorators.push(swagger.ApiQuery({ ...query, required: false }));
    for (const [status, codes] of errorsOf(doc)) decorators.push(ApiErrorResponse(status, codes));
    for (const decorate of decorators) decorate(target, key, descriptor);
  };
}

/** Lists a built-in controller's routes under `tag` in the OpenAPI document (when the app has @nestjs/swagger). */
export function ApiRouteGroup(tag: string): ClassDecorator {
  return (target) => optionalSwagger()?.ApiTags(tag)(target);
}

function pageQueries(swagger: SwaggerDecorators) {
  return [
    swagger.ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
      description: 'Items per page.',
    }),
    swagger.ApiQuery({
      name: 'cursor',
      required: false,
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,80}$' },
      description: 'Copied from the previous page’s `Link: <…>; rel="next"` header.',
    }),
  ];
}
