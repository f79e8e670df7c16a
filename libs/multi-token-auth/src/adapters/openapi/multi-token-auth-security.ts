import type { INestApplicationContext } from '@nestjs/common';
import { CookieTransport } from '../http/cookie-transport';
import { BEARER_SCHEME, COOKIE_SCHEME } from './api-route.decorator';
import { nameLoginClient } from './login-example';

/** The parts of an OpenAPI document (`SwaggerModule.createDocument`'s answer) this reads and writes. */
export interface OpenApiDocumentLike {
  paths: { [path: string]: object };
  components?: { securitySchemes?: { [name: string]: unknown } };
}

interface OperationLike {
  security?: { [scheme: string]: string[] }[];
}

/**
 * Adds the library's security schemes to a document made by `SwaggerModule.createDocument`: the
 * bearer scheme its routes require and, when a client has `cookie: true`, the session cookie as
 * an alternative on each of them. It also names one of the app's clients in the login body's
 * example (the built-in one says `default`, which the app may not have). Returns the same document.
 */
export function addMultiTokenAuthSecurity<T extends OpenApiDocumentLike>(app: INestApplicationContext, document: T): T {
  const cookies = app.get(CookieTransport, { strict: false });
  nameLoginClient(app, document.paths);
  const components = (document.components ??= {});
  const schemes = (components.securitySchemes ??= {});
  schemes[BEARER_SCHEME] = {
    type: 'http',
    scheme: 'bearer',
    description: 'An opaque token from `POST /auth/login` or `POST /auth/api-keys`.',
  };
  if (!cookies.enabled) return document;
  schemes[COOKIE_SCHEME] = {
    type: 'apiKey',
    in: 'cookie',
    name: cookies.sessionCookie,
    description:
      'The session cookie of a `cookie: true` client, set by `POST /auth/login`. Unsafe requests (not GET, HEAD or OPTIONS) must also send `X-CSRF-Token` with the login’s `csrfToken`; a bearer header wins over the cookie.',
  };
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations) as (OperationLike | undefined)[]) {
      const security = operation?.security;
      if (!operation || !security?.some((requirement) => BEARER_SCHEME in requirement)) continue;
      if (security.some((requirement) => COOKIE_SCHEME in requirement)) continue;
      // A new list: swagger shares one list between the routes of a controller-level @ApiSecurity.
      operation.security = [...security, { [COOKIE_SCHEME]: [] }];
    }
  }
  return document;
}
