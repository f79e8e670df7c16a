import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { startDemo, type Demo } from './support/demo.harness';

const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

/** Sends raw bytes as one HTTP request and returns the status line's code (the server's own parser included). */
function rawRequest(port: number, head: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(head));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
  });
}

/**
 * Bad input is a fast, well-formed 4xx with a stable `code`: never a 5xx, a store failure in the log,
 * or a blocked event loop. On the library's routes by construction; on the demo's own routes through
 * the BodyLimitsInterceptor and BodyParserErrorsFilter it registers, as docs/getting-started.md shows.
 */
describe('bad input', () => {
  let demo: Demo;
  beforeEach(async () => {
    demo = await startDemo();
    await demo.register('alice');
  });
  afterEach(() => demo.close());

  const json = (path: string, body: string) =>
    demo.http().post(path).set('Content-Type', 'application/json').send(body);
  const storeFailures = () =>
    demo.logs.lines.filter((line) => /store failure|unexpected error|ExceptionsHandler/.test(line));

  it.each([
    ['/auth/login', 2_000],
    ['/users', 2_000],
    ['/auth/login', 45_000],
    ['/users', 45_000],
  ])('%s with a body nested %i deep: 400 body_too_deep, fast, nothing logged as a failure', async (path, levels) => {
    const started = process.hrtime.bigint();
    const res = await json(path, `{"username":${deep(levels)},"password":"x","client":"web"}`).expect(400);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(res.body).toEqual({
      statusCode: 400,
      message: 'The request body is nested too deeply.',
      error: 'Bad Request',
      code: 'body_too_deep',
    });
    expect(ms).toBeLessThan(1000); // a ceiling against hangs, not a benchmark (npm run bench is)
    expect(storeFailures()).toEqual([]);
  });

  it('32 levels of nesting still reach validation (400 validation_failed, not body_too_deep)', async () => {
    const res = await json('/auth/login', `{"username":${deep(31)},"password":"x","client":"web"}`).expect(400);
    expect(res.body.code).toBe('validation_failed');
  });

  it.each([
    [
      'a NUL in the username at login',
      '/auth/login',
      { username: 'ali\u0000ce', password: 'correct horse', client: 'web' },
    ],
    ['a NUL in the password at login', '/auth/login', { username: 'alice', password: 'a\u0000', client: 'web' }],
    ['a NUL in a key at login', '/auth/login', { 'user\u0000name': 'alice', password: 'x', client: 'web' }],
    ['a NUL at registration', '/users', { username: 'bob', password: 'long enough\u0000' }],
  ])('%s: 400 invalid_characters, nothing stored', async (_case, path, body) => {
    const res = await demo.http().post(path).send(body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'invalid_characters' });
    expect(demo.tokens()).toEqual([]);
    expect(storeFailures()).toEqual([]);
  });

  it.each<
    [
      string,
      (d: Demo) => ReturnType<Demo['http']>['post'] extends (...a: never[]) => infer R ? R : never,
      number,
      string,
    ]
  >([
    ['malformed JSON', (_d) => json('/auth/login', '{"username":'), 400, 'invalid_json'],
    ['an empty JSON body', (_d) => json('/auth/login', ''), 400, 'validation_failed'],
    [
      'a body over the size limit',
      (d) =>
        d
          .http()
          .post('/auth/login')
          .send({ password: 'x'.repeat(200_000) }),
      413,
      'body_too_large',
    ],
    [
      'too many form parameters (Express: parameterLimit 1 000)',
      (d) =>
        d
          .http()
          .post('/auth/login')
          .type('form')
          .send(Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&')),
      413,
      'body_too_large',
    ],
    [
      'form brackets nested past 32 levels',
      (d) =>
        d
          .http()
          .post('/auth/login')
          .type('form')
          .send(`username${'[a]'.repeat(40)}=alice&password=correct+horse&client=web`),
      400,
      'body_too_deep',
    ],
    [
      'an unsupported charset',
      (d) => d.http().post('/auth/login').set('Content-Type', 'application/json; charset=latin-9').send('{}'),
      415,
      'unsupported_media_type',
    ],
    [
      'a body that will not inflate',
      (d) =>
        d.http().post('/auth/login').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{}'),
      400,
      'bad_request',
    ],
    [
      'an unsupported encoding',
      (d) =>
        d
          .http()
          .post('/auth/login')
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', 'zstd-x')
          .send('{}'),
      415,
      'unsupported_media_type',
    ],
  ])(
    '%s: %i with {statusCode, message, error, code: %s}, one warning line, no stack',
    async (_case, send, status, code) => {
      const res = await send(demo).expect(status);
      expect(demo.tokens()).toEqual([]);
      expect(Object.keys(res.body).sort()).toEqual(['code', 'error', 'message', 'statusCode']);
      expect(res.body).toMatchObject({ statusCode: status, code });
      expect(JSON.stringify(res.body)).not.toMatch(/at |position|Unexpected/);
      expect(demo.logs.lines.filter((line) => line.startsWith('error'))).toEqual([]);
      const warnings = demo.logs.lines.filter((line) => line.startsWith('warn'));
      expect(warnings.length).toBeLessThanOrEqual(1);
      for (const line of warnings) expect(line).not.toContain('\n');
    },
  );

  it('every 400 of the library carries a code: validation, the UUID pipe, a bad cursor', async () => {
    const { token } = await demo.login();
    const answers = [
      await demo.http().post('/auth/login').send({ username: 'alice' }),
      await demo.http().delete('/auth/sessions/not-a-uuid').set(demo.auth(token)),
      await demo.http().get('/auth/sessions?cursor=Zm9v').set(demo.auth(token)),
      await demo.http().post('/auth/api-keys').set(demo.auth(token)).send({ name: 'k', expiresInDays: null }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'validation_failed' });
    }
  });

  it('two Authorization headers: 400 invalid_request, even when both hold the same valid token', async () => {
    const { token } = await demo.login();
    const port = (demo.app.getHttpServer().listen(0).address() as AddressInfo).port;
    const head = (auth: string[]) =>
      Buffer.from(
        `GET /me HTTP/1.1\r\nHost: x\r\n${auth.map((a) => `Authorization: ${a}\r\n`).join('')}Connection: close\r\n\r\n`,
      );
    expect(await rawRequest(port, head([`Bearer ${token}`]))).toBe(200);
    expect(await rawRequest(port, head([`Bearer ${token}`, `Bearer ${token}`]))).toBe(400);
    expect(await rawRequest(port, head(['Bearer mta_x', `Bearer ${token}`]))).toBe(400);
    demo.app.getHttpServer().close();
  });

  it('any bytes in the Authorization header answer 400 or 401, never a 5xx (property, raw sockets)', async () => {
    const port = (demo.app.getHttpServer().listen(0).address() as AddressInfo).port;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 80 }), async (bytes) => {
        const value = Buffer.from(bytes).filter((byte) => byte !== 0x0d && byte !== 0x0a);
        const head = Buffer.concat([
          Buffer.from('GET /me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer '),
          value,
          Buffer.from('\r\nConnection: close\r\n\r\n'),
        ]);
        expect([400, 401]).toContain(await rawRequest(port, head));
      }),
      { numRuns: 150 },
    );
    demo.app.getHttpServer().close();
    expect(storeFailures()).toEqual([]);
  });
});
