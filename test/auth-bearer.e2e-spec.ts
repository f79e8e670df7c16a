import { jest } from '@jest/globals';
import { TokenStore } from '../libs/multi-token-auth/src/contracts/token-store.interface';
import { LastUsedTracker } from '../libs/multi-token-auth/src/services/tokens/last-used.tracker';
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

  it('records lastUsedAt on first use, then at most once per interval (60 s), never per request', async () => {
    const fresh = await demo.login('alice', 'cli');
    await demo.app.get(LastUsedTracker).flush(); // the earlier tests' writes, not counted here
    const touch = jest.spyOn(demo.app.get<TokenStore>(TokenStore), 'touchMany');
    const written = async () => {
      await demo.app.get(LastUsedTracker).flush(); // what is due, now rather than at the end of the flush interval
      await Promise.all(touch.mock.results.map((result) => result.value));
      return demo.tokens().find((t) => t.id === fresh.id)?.last_used_at;
    };
    expect(await written()).toBeNull();
    for (let i = 0; i < 5; i++) await demo.http().get('/me').set(demo.auth(fresh.token)).expect(200);
    const first = await written();
    expect(new Date(`${first}Z`).getTime()).toBe(demo.clock.now().getTime());
    expect(touch).toHaveBeenCalledTimes(1);
    demo.clock.advance(59_000);
    for (let i = 0; i < 5; i++) await demo.http().get('/me').set(demo.auth(fresh.token)).expect(200);
    expect(await written()).toBe(first);
    expect(touch).toHaveBeenCalledTimes(1);
    demo.clock.advance(1_000);
    await demo.http().get('/me').set(demo.auth(fresh.token)).expect(200);
    expect(new Date(`${await written()}Z`).getTime()).toBe(demo.clock.now().getTime());
    expect(touch).toHaveBeenCalledTimes(2);
  });

  it('401 with WWW-Authenticate: Bearer realm="api" and no error code when credentials are missing', async () => {
    const res = await demo.http().get('/me').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(res.body).toMatchObject({ statusCode: 401, code: 'missing_token' });
  });

  it.each([
    ['"Bearer" alone', { Authorization: 'Bearer' }],
    ['two values', { Authorization: `Bearer ${'x'} ${'y'}` }],
    ['odd bytes (outside token68)', { Authorization: 'Bearer mta_%00%ff' }],
    ['a no-break space after the scheme', { Authorization: 'Bearer\u00a0mta_x' }],
  ])('400 invalid_request for %s', async (_case, headers) => {
    const res = await demo.http().get('/me').set(headers).expect(400);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="invalid_request"/);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'invalid_request' });
  });

  it('the scheme may be followed by several spaces or TABs (RFC 9110 1*SP; HTAB as HTTP whitespace)', async () => {
    for (const separator of ['  ', '\t', ' \t ']) {
      const res = await demo.http().get('/me').set('Authorization', `Bearer${separator}${session.token}`).expect(200);
      expect(res.body).toEqual({ id: session.user.id, username: 'alice', client: 'web', tokenId: session.id });
    }
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
    ['a token68 value of the wrong shape', () => 'mta_-._~+/=='],
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
