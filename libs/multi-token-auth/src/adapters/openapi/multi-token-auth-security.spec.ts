import type { INestApplicationContext } from '@nestjs/common';
import { CookieTransport } from '../http/cookie-transport';
import { RESOLVED_OPTIONS } from '../../contracts/multi-token-auth.constants';
import { addMultiTokenAuthSecurity, type OpenApiDocumentLike } from './multi-token-auth-security';

/** Clients as the resolved options hold them: the API-key client, a legacy one, a cookie one. */
const OPTIONS = {
  apiKeyClient: 'api',
  legacyTokens: { client: 'legacy' },
  clients: [{ name: 'api' }, { name: 'legacy' }, { name: 'browser', cookie: true }, { name: 'mobile' }],
};

/** An app whose CookieTransport has (or has not) a cookie client. */
function appWith(cookie: boolean, options: object = OPTIONS): INestApplicationContext {
  const transport = { enabled: cookie, sessionCookie: '__Host-mta' };
  const get = (token: unknown) =>
    token === CookieTransport ? transport : token === RESOLVED_OPTIONS ? options : undefined;
  return { get } as unknown as INestApplicationContext;
}

function documentWithSharedSecurity() {
  // What @nestjs/swagger makes of a controller-level @ApiSecurity: one list shared by its routes.
  const shared = [{ bearer: [] as string[] }];
  const document: OpenApiDocumentLike & { paths: Record<string, Record<string, { security?: object[] }>> } = {
    paths: {
      '/orders': { get: { security: shared }, post: { security: shared } },
      '/health': { get: {} },
      '/legacy': { get: { security: [{ basic: [] as string[] }] } },
    },
  };
  return document;
}

describe('addMultiTokenAuthSecurity', () => {
  it('adds the bearer scheme and leaves the routes alone when no client uses the cookie', () => {
    const document = addMultiTokenAuthSecurity(appWith(false), documentWithSharedSecurity());
    expect(document.components?.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) as unknown,
    });
    expect(document.paths['/orders']?.['get']?.security).toEqual([{ bearer: [] }]);
  });

  it('offers the session cookie beside the bearer scheme, once per route, however often it runs', () => {
    const document = documentWithSharedSecurity();
    addMultiTokenAuthSecurity(appWith(true), document);
    addMultiTokenAuthSecurity(appWith(true), document);
    expect(document.components).toEqual({
      securitySchemes: {
        bearer: expect.objectContaining({ type: 'http' }) as unknown,
        cookie: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: '__Host-mta' }) as unknown,
      },
    });
    expect(document.paths['/orders']?.['get']?.security).toEqual([{ bearer: [] }, { cookie: [] }]);
    expect(document.paths['/orders']?.['post']?.security).toEqual([{ bearer: [] }, { cookie: [] }]);
    // Routes that are open or use another scheme are not touched.
    expect(document.paths['/health']?.['get']).toEqual({});
    expect(document.paths['/legacy']?.['get']?.security).toEqual([{ basic: [] }]);
  });

  it("names one of the app's clients that signs in with a password in the login example, whatever the prefix", () => {
    const login = () => ({
      post: {
        requestBody: {
          content: {
            'application/json': {
              schema: { properties: { username: {}, password: {}, client: { example: 'default' as unknown } } },
            },
          },
        },
      },
    });
    const document = { paths: { '/v1/auth/login': login(), '/kiosk/login': { post: {} } } };
    addMultiTokenAuthSecurity(appWith(false), document);
    // Not the API-key client, not the legacy one, and a bearer client before a cookie one.
    expect(
      document.paths['/v1/auth/login'].post.requestBody.content['application/json'].schema.properties.client,
    ).toEqual({ example: 'mobile' });
    const onlyCookies = { paths: { '/auth/login': login() } };
    addMultiTokenAuthSecurity(
      appWith(false, { ...OPTIONS, clients: [{ name: 'api' }, { name: 'browser', cookie: true }] }),
      onlyCookies,
    );
    expect(
      onlyCookies.paths['/auth/login'].post.requestBody.content['application/json'].schema.properties.client,
    ).toEqual({ example: 'browser' });
  });
});
