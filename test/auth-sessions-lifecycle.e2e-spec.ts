import { startDemo, type Demo } from './support/demo.harness';

describe('two devices: logout, logout-all, refresh', () => {
  let demo: Demo;
  beforeEach(async () => {
    demo = await startDemo();
    await demo.register('alice');
  });
  afterEach(() => demo.close());

  it('logging out one device leaves the other working (204, only the presented token revoked)', async () => {
    const laptop = await demo.login('alice', 'web');
    const phone = await demo.login('alice', 'mobile');
    await demo.http().get('/me').set(demo.auth(laptop.token)).expect(200);
    await demo.http().get('/me').set(demo.auth(phone.token)).expect(200);

    const res = await demo.http().post('/auth/logout').set(demo.auth(laptop.token)).expect(204);
    expect(res.text).toBe('');
    expect(demo.tokens().map((t) => t.id)).toEqual([phone.id]);
    await demo.http().get('/me').set(demo.auth(laptop.token)).expect(401);
    await demo.http().get('/me').set(demo.auth(phone.token)).expect(200);
    await demo.http().post('/auth/logout').set(demo.auth(laptop.token)).expect(401);
  });

  it("logout-all ends every token of the user, API keys included, and no other user's", async () => {
    await demo.register('bob');
    const bob = await demo.login('bob', 'web');
    const web = await demo.login('alice', 'web');
    const sessions = [web, await demo.login('alice', 'cli'), await demo.apiKey(web.token)];
    await demo.http().post('/auth/logout-all').set(demo.auth(sessions[0].token)).expect(204);
    expect(demo.tokens(sessions[0].user.id)).toEqual([]);
    for (const { token } of sessions) await demo.http().get('/me').set(demo.auth(token)).expect(401);
    expect(demo.tokens().map((t) => t.id)).toEqual([bob.id]);
  });

  it('logout and logout-all need a valid token', async () => {
    await demo.http().post('/auth/logout').expect(401);
    await demo.http().post('/auth/logout-all').set('Authorization', 'Bearer mta_nope').expect(401);
  });

  it('refresh moves expiry to now + the client TTL (200 {expiresAt}) and keeps the token alive', async () => {
    const { token, id } = await demo.login('alice', 'web');
    demo.clock.advance(20 * 3600_000);
    const res = await demo.http().post('/auth/refresh').set(demo.auth(token)).expect(200);
    const expected = demo.clock.now().getTime() + 86_400_000;
    expect(res.body).toEqual({ expiresAt: new Date(expected).toISOString(), scopes: null });
    expect(new Date(`${demo.tokens().find((t) => t.id === id)?.expires_at}Z`).getTime()).toBe(expected);
    demo.clock.advance(20 * 3600_000);
    await demo.http().get('/me').set(demo.auth(token)).expect(200);
    demo.clock.advance(5 * 3600_000);
    await demo.http().post('/auth/refresh').set(demo.auth(token)).expect(401);
  });

  it('refresh of a token without expiry answers expiresAt null', async () => {
    const { token } = await demo.apiKey((await demo.login('alice', 'web')).token);
    await demo
      .http()
      .post('/auth/refresh')
      .set(demo.auth(token))
      .expect(200, { expiresAt: null, scopes: ['orders:read', 'orders:write'] });
  });
});
