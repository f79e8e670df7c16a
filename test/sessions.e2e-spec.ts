import { LastUsedTracker } from '../libs/multi-token-auth/src/services/tokens/last-used.tracker';
import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

describe('session management (/auth/sessions)', () => {
  let demo: Demo;
  let laptop: LoginResult;
  let phone: LoginResult;
  let bob: LoginResult;
  beforeEach(async () => {
    demo = await startDemo();
    await demo.register('alice');
    await demo.register('bob');
    laptop = await demo.login('alice', 'web', { name: 'Laptop' });
    demo.clock.advance(1000);
    phone = await demo.login('alice', 'mobile');
    bob = await demo.login('bob', 'web');
  });
  afterEach(() => demo.close());

  it('GET: newest first, metadata only, current marks the presenting token', async () => {
    demo.clock.advance(1000);
    const key = await demo.apiKey(laptop.token, 'ci');
    await demo.app.get(LastUsedTracker).flush(); // the laptop's use, written now rather than within 200 ms
    const res = await demo
      .http()
      .get('/auth/sessions')
      .set(demo.auth(phone.token))
      .set('User-Agent', 'phone-app')
      .expect(200);
    expect(res.body.map((s: { id: string }) => s.id)).toEqual([key.id, phone.id, laptop.id]);
    expect(res.body.map((s: { current: boolean }) => s.current)).toEqual([false, true, false]);
    const laptopView = res.body[2];
    expect(Object.keys(laptopView).sort()).toEqual(
      [
        'client',
        'createdAt',
        'current',
        'expiresAt',
        'id',
        'ip',
        'lastIp',
        'lastUsedAt',
        'name',
        'scopes',
        'userAgent',
      ].sort(),
    );
    expect(laptopView).toMatchObject({
      client: 'web',
      name: 'Laptop',
      expiresAt: laptop.expiresAt,
      lastUsedAt: expect.any(String),
    });
    expect(res.body[0]).toMatchObject({ client: 'api', name: 'ci', expiresAt: null });
    const text = JSON.stringify(res.body);
    for (const row of demo.tokens()) expect(text).not.toContain(row.digest);
    for (const token of [laptop.token, phone.token, key.token]) expect(text).not.toContain(token);
    expect(text).not.toContain(bob.id);
  });

  it('GET: 401 without a token', async () => {
    await demo.http().get('/auth/sessions').expect(401);
  });

  it('DELETE: 204 and the session is refused on its very next request', async () => {
    await demo.http().get('/me').set(demo.auth(phone.token)).expect(200);
    await demo.http().delete(`/auth/sessions/${phone.id}`).set(demo.auth(laptop.token)).expect(204);
    await demo.http().get('/me').set(demo.auth(phone.token)).expect(401);
    expect(demo.tokens(laptop.user.id).map((t) => t.id)).toEqual([laptop.id]);
  });

  it('DELETE /auth/sessions: 204, every other session and API key of the user ends, the current one stays', async () => {
    const key = await demo.apiKey(phone.token, 'ci');
    const cli = await demo.login('alice', 'cli');
    await demo.http().delete('/auth/sessions').set(demo.auth(laptop.token)).expect(204);
    expect(demo.tokens(laptop.user.id).map((t) => t.id)).toEqual([laptop.id]);
    for (const token of [phone.token, key.token, cli.token]) {
      await demo.http().get('/me').set(demo.auth(token)).expect(401);
    }
    await demo.http().get('/me').set(demo.auth(laptop.token)).expect(200);
    await demo.http().get('/me').set(demo.auth(bob.token)).expect(200);
    await demo.http().delete('/auth/sessions').expect(401);
  });

  it('DELETE: 400 for the current session (use /auth/logout)', async () => {
    const res = await demo.http().delete(`/auth/sessions/${laptop.id}`).set(demo.auth(laptop.token)).expect(400);
    expect(res.body.message).toBe('This is the current session; end it with POST /auth/logout.');
    await demo.http().get('/me').set(demo.auth(laptop.token)).expect(200);
  });

  it("DELETE: 404 for an unknown id and for another user's session, which survives", async () => {
    await demo
      .http()
      .delete('/auth/sessions/4b1f0a3e-8a52-4c53-9d1e-3a1c1f2e9b77')
      .set(demo.auth(laptop.token))
      .expect(404);
    const res = await demo.http().delete(`/auth/sessions/${bob.id}`).set(demo.auth(laptop.token)).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, message: 'Session not found.' });
    await demo.http().get('/me').set(demo.auth(bob.token)).expect(200);
  });

  it('DELETE: 400 for a malformed id, 401 without a token', async () => {
    for (const id of ['not-a-uuid', '%00', "1' OR '1'='1"]) {
      await demo
        .http()
        .delete(`/auth/sessions/${encodeURIComponent(id)}`)
        .set(demo.auth(laptop.token))
        .expect(400);
    }
    await demo.http().delete(`/auth/sessions/${phone.id}`).expect(401);
    expect(demo.tokens(laptop.user.id)).toHaveLength(2);
  });
});
