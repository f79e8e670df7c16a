import type { INestApplicationContext } from '@nestjs/common';
import { addMultiTokenAuthSecurity, type OpenApiDocumentLike } from './multi-token-auth-security';

/** An app whose CookieTransport has (or has not) a cookie client. */
function appWith(cookie: boolean): INestApplicationContext {
  const transport = { enabled: cookie, sessionCookie: '__Host-mta' };
  return { get: () => transport } as unknown as INestApplicationContext;
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
});
