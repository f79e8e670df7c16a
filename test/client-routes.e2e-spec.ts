import { startDemo, type Demo } from './support/demo.harness';

describe('client-restricted routes', () => {
  let demo: Demo;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    demo = await startDemo();
    await demo.register('alice');
    for (const client of ['web', 'mobile', 'cli']) tokens[client] = (await demo.login('alice', client)).token;
  });
  afterAll(() => demo.close());

  it('GET /web-only: 200 for web, 403 insufficient_scope for others', async () => {
    await demo.http().get('/web-only').set(demo.auth(tokens.web)).expect(200, { ok: true, client: 'web' });
    for (const client of ['mobile', 'cli']) {
      const res = await demo.http().get('/web-only').set(demo.auth(tokens[client])).expect(403);
      expect(res.body).toEqual({
        statusCode: 403,
        message: 'This client may not use this route.',
        error: 'Forbidden',
        code: 'client_not_allowed',
      });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="insufficient_scope"/);
    }
  });

  it('GET /not-cli: 403 for cli, 200 for the rest', async () => {
    await demo.http().get('/not-cli').set(demo.auth(tokens.cli)).expect(403);
    await demo.http().get('/not-cli').set(demo.auth(tokens.web)).expect(200);
    await demo.http().get('/not-cli').set(demo.auth(tokens.mobile)).expect(200);
  });

  it('401, never 403, without a token or with an invalid one', async () => {
    for (const path of ['/web-only', '/not-cli']) {
      await demo.http().get(path).expect(401);
      await demo.http().get(path).set('Authorization', `Bearer ${tokens.cli}0`).expect(401);
    }
  });
});
