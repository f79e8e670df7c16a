import { startDemo, type Demo } from './support/demo.harness';

describe('token limits and single-device login', () => {
  let demo: Demo;

  /** 50 simultaneous kiosk logins from 50 addresses, as from 50 devices (one address may only queue a few password checks). */
  const fiftyKioskLogins = () =>
    Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        demo
          .http()
          .post('/auth/login')
          .set('X-Forwarded-For', `10.0.0.${i}`)
          .send({ username: 'alice', password: 'correct horse', client: 'kiosk' }),
      ),
    );
  afterEach(() => demo.close());

  it('kiosk (maxTokensPerUser 1, revoke-oldest): a new login ends the previous session', async () => {
    demo = await startDemo();
    const { id } = await demo.register('alice');
    const first = await demo.login('alice', 'kiosk');
    const web = await demo.login('alice', 'web');
    demo.clock.advance(1000);
    const second = await demo.login('alice', 'kiosk');
    await demo.http().get('/me').set(demo.auth(first.token)).expect(401);
    await demo.http().get('/me').set(demo.auth(second.token)).expect(200);
    await demo.http().get('/me').set(demo.auth(web.token)).expect(200);
    expect(
      demo
        .tokens(id)
        .map((t) => t.id)
        .sort(),
    ).toEqual([second.id, web.id].sort());
  });

  it('50 simultaneous kiosk logins leave exactly one valid token and no 5xx', async () => {
    demo = await startDemo({ TRUST_PROXY: '1' });
    const { id } = await demo.register('alice');
    const responses = await fiftyKioskLogins();
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    const rows = demo.tokens(id);
    expect(rows).toHaveLength(1);
    const valid = [];
    for (const res of responses) {
      if ((await demo.http().get('/me').set(demo.auth(res.body.token))).status === 200) valid.push(res.body.id);
    }
    expect(valid).toEqual([rows[0].id]);
  });

  it('reject policy: 403 "Maximum amount of tokens allowed per user exceeded." and the old session survives', async () => {
    demo = await startDemo({ TOKEN_LIMIT_POLICY: 'reject' });
    const { id } = await demo.register('alice');
    const first = await demo.login('alice', 'kiosk');
    const res = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'correct horse', client: 'kiosk' })
      .expect(403);
    expect(res.body).toEqual({
      statusCode: 403,
      message: 'Maximum amount of tokens allowed per user exceeded.',
      error: 'Forbidden',
      code: 'token_limit_exceeded',
    });
    expect(demo.tokens(id).map((t) => t.id)).toEqual([first.id]);
    await demo.http().get('/me').set(demo.auth(first.token)).expect(200);
  });

  it('expired tokens never count: the kiosk slot frees itself when its token expires', async () => {
    demo = await startDemo({ TOKEN_LIMIT_POLICY: 'reject' });
    const { id } = await demo.register('alice');
    await demo.login('alice', 'kiosk');
    demo.clock.advance(86_400_000);
    const next = await demo.login('alice', 'kiosk');
    expect(demo.tokens(id).map((t) => t.id)).toEqual([next.id]);
  });

  it('50 simultaneous reject-policy logins: exactly one 201, the rest 403', async () => {
    demo = await startDemo({ TOKEN_LIMIT_POLICY: 'reject', TRUST_PROXY: '1' });
    const { id } = await demo.register('alice');
    const responses = await fiftyKioskLogins();
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(49).fill(403)]);
    expect(demo.tokens(id)).toHaveLength(1);
  });
});
