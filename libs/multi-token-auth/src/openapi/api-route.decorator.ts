import { ApiErrorResponse } from './api-error-response.decorator';
import { optionalSwagger, type OpenApiSchema, type SwaggerDecorators } from './swagger.loader';

/** The name of the bearer security scheme the library's routes require (see `addMultiTokenAuthSecurity`). */
export const BEARER_SCHEME = 'bearer';
/** The name of the cookie security scheme, added when a client has `cookie: true`. */
export const COOKIE_SCHEME = 'cookie';

/** How one built-in route is documented. */
export interface RouteDoc {
  summary: string;
  description?: string;
  /** `bearer`: needs a token; adds the security requirement and the errors every bearer route can answer. */
  auth: 'none' | 'bearer';
  /** A GET: changes nothing, so a cookie-authenticated call needs no CSRF token. */
  safe?: boolean;
  /** `false`: an API key is refused (403 `api_key_not_allowed`). */
  apiKeys?: boolean;
  body?: OpenApiSchema;
  /** A `?limit=&cursor=` list that sends the next page in a `Link` header. */
  paginated?: boolean;
  /** The `:id` path parameter. */
  id?: string;
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
const BEARER_ERRORS = {
  400: ['invalid_request'],
  401: ['missing_token', 'invalid_token', 'token_expired', 'user_inactive'],
};

/** The route's error codes by status: its own, the input floor's and the bearer ones. */
function errorsOf(doc: RouteDoc): Map<number, string[]> {
  const errors = new Map<number, string[]>();
  const add = (status: number, codes: readonly string[]) =>
    errors.set(status, [...new Set([...(errors.get(status) ?? []), ...codes])]);
  if (doc.body || doc.paginated || doc.id) add(400, ['validation_failed']);
  if (doc.body) add(400, ['body_too_deep', 'invalid_characters']);
  if (doc.auth === 'bearer') for (const [status, codes] of Object.entries(BEARER_ERRORS)) add(Number(status), codes);
  // A request authenticated by the session cookie must prove it came from the app's own page.
  if (doc.auth === 'bearer' && !doc.safe) add(403, ['csrf_failed']);
  if (doc.apiKeys === false) add(403, ['api_key_not_allowed']);
  for (const [status, codes] of Object.entries(doc.errors ?? {})) add(Number(status), codes);
  add(503, ['auth_unavailable']); // the token store is unreachable
  return new Map([...errors].sort(([a], [b]) => a - b));
}

/**
 * Documents a built-in route for OpenAPI through @nestjs/swagger when the app has it: summary,
 * body, parameters, the success answer and every error status with its body and codes. Without the
 * package it does nothing, so the library carries no dependency on it.
 */
export function ApiRoute(doc: RouteDoc): MethodDecorator {
  return (target, key, descriptor) => {
    const swagger = optionalSwagger();
    if (!swagger) return;
    const decorators = [
      swagger.ApiOperation({ summary: doc.summary, description: doc.description }),
      swagger.ApiResponse(doc.paginated ? { ...doc.success, headers: LINK_HEADER } : doc.success),
    ];
    if (doc.auth === 'bearer') decorators.push(swagger.ApiSecurity(BEARER_SCHEME));
    if (doc.body) decorators.push(swagger.ApiBody({ schema: doc.body, required: true }));
    if (doc.id) {
      decorators.push(
        swagger.ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' }, description: doc.id }),
      );
    }
    if (doc.paginated) decorators.push(...pageQueries(swagger));
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
