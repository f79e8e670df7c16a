import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

describe('Bearer authentication on the demo (GET /me)', () => {
  let demo: Demo;
  let session: LoginResult;
  beforeAll(async () => {
    demo = await startDemo();
    await demo.register('alice');
    session = await demo.login('alice', 'web');
  });
  afterAll(() => demo.close());

  it('200 with the user, client and token id; the scheme is case-insensitive', async () => {
    for (const scheme of ['Bearer', 'bearer', 'bEaReR']) {
      const res = await demo.http().get('/me').set('Authorization', `${scheme} ${session.token}`).expect(200);
      expect(res.body).toEqual({ id: session.user.id, username: 'alice', client: 'web', tokenId: session.id });
    }
  });

  it('records lastUsedAt on first use, not on every request', async () => {
    await demo.http().get('/me').set(demo.auth(session.token)).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const first = demo.tokens().find((t) => t.id === session.id)?.last_used_at;
    expect(first).not.toBeNull();
    demo.clock.advance(30_000);
    await demo.http().get('/me').set(demo.auth(session.token)).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(demo.tokens().find((t) => t.id === session.id)?.last_used_at).toBe(first);
  });

  it('401 with WWW-Authenticate: Bearer realm="api" and no error code when credentials are missing', async () => {
    const res = await demo.http().get('/me').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.body).toMatchObject({ statusCode: 401, code: 'missing_token' });
  });

  it.each([
    ['"Bearer" alone', { Authorization: 'Bearer' }],
    ['two values', { Authorization: `Bearer ${'x'} ${'y'}` }],
  ])('400 invalid_request for %s', async (_case, headers) => {
    const res = await demo.http().get('/me').set(headers).expect(400);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="invalid_request"/);
  });

  it('400 for a token in the query string, even a valid one, and the token is not echoed', async () => {
    const res = await demo.http().get(`/me?access_token=${session.token}`).expect(400);
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_request"/);
    expect(JSON.stringify(res.body) + JSON.stringify(res.headers)).not.toContain(session.token);
  });

  it.each([
    ['a wrong checksum', () => session.token.slice(0, -1) + (session.token.endsWith('A') ? 'B' : 'A')],
    ['an unknown token', () => `mta_${'Q'.repeat(32)}000000`],
    ['a foreign prefix', () => `ghp_${session.token.slice(4)}`],
    ['odd bytes', () => 'mta_%00%ff'],
  ])('401 invalid_token "Invalid token." for %s, never echoed', async (_case, make) => {
    const presented = make();
    const res = await demo.http().get('/me').set('Authorization', `Bearer ${presented}`).expect(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="Invalid token."',
    );
    expect(res.body).toEqual({
      statusCode: 401,
      message: 'Invalid token.',
      error: 'Unauthorized',
      code: 'invalid_token',
    });
    expect(JSON.stringify(res.body)).not.toContain(presented);
  });

  it('401 "Token has expired." once the client TTL has passed', async () => {
    await demo.register('carol');
    const { token } = await demo.login('carol', 'web');
    demo.clock.advance(86_400_000);
    const res = await demo.http().get('/me').set(demo.auth(token)).expect(401);
    expect(res.body).toMatchObject({ message: 'Token has expired.', code: 'token_expired' });
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_token", error_description="Token has expired\."/);
  });

  it('GET /health is public', async () => {
    await demo.http().get('/health').expect(200, { status: 'ok' });
  });
});
