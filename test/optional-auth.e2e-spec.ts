import { LastUsedTracker } from '../libs/multi-token-auth/src/services/tokens/last-used.tracker';
import { startDemo, type Demo } from './support/demo.harness';

describe('@OptionalAuth() (demo: GET /hello)', () => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await startDemo();
    await demo.register('alice');
  });
  afterAll(() => demo.close());

  it('anonymous: {user: null}, no challenge', async () => {
    const res = await demo.http().get('/hello').expect(200, { user: null });
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('with a token: {user: {id, username}}, and the use is recorded like any request', async () => {
    const { token, id, user } = await demo.login();
    await demo
      .http()
      .get('/hello')
      .set(demo.auth(token))
      .expect(200, { user: { id: user.id, username: 'alice' } });
    await demo.app.get(LastUsedTracker).flush(); // written within the flush interval; now, for the check
    expect(demo.tokens().find((row) => row.id === id)?.last_used_at).not.toBeNull();
  });

  it('a revoked token is a 401, not anonymous', async () => {
    const { token } = await demo.login();
    await demo.http().post('/auth/logout').set(demo.auth(token)).expect(204);
    const res = await demo.http().get('/hello').set(demo.auth(token)).expect(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('an expired token is a 401 token_expired, not anonymous', async () => {
    const { token } = await demo.login();
    demo.clock.advance(86_400_000 + 1);
    expect((await demo.http().get('/hello').set(demo.auth(token)).expect(401)).body.code).toBe('token_expired');
  });

  it('a malformed Authorization header is a 400, not anonymous', async () => {
    await demo.http().get('/hello').set('Authorization', 'Bearer').expect(400);
  });

  it('credentials of another scheme are a 401 with the Bearer challenge, not anonymous', async () => {
    const res = await demo.http().get('/hello').set('Authorization', 'Basic YWxpY2U6cGFzc3dvcmQ=').expect(401);
    expect(res.body.code).toBe('missing_token');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=/);
  });
});
