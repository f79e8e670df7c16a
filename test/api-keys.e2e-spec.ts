import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

describe('API keys (/auth/api-keys)', () => {
  let demo: Demo;
  let alice: LoginResult;
  let bob: LoginResult;
  beforeEach(async () => {
    demo = await startDemo();
    await demo.register('alice');
    await demo.register('bob');
    alice = await demo.login('alice', 'web');
    bob = await demo.login('bob', 'web');
  });
  afterEach(() => demo.close());

  const create = (token: string, body: object) =>
    demo
      .http()
      .post('/auth/api-keys')
      .set(demo.auth(token))
      .send({ password: 'correct horse', ...body });

  it('POST: 201 {token, id, name, client, createdAt, expiresAt}; the key works and is stored as a digest', async () => {
    const res = await create(alice.token, { name: 'deploy bot' }).expect(201);
    expect(Object.keys(res.body).sort()).toEqual(
      ['client', 'createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'token'].sort(),
    );
    expect(res.body).toMatchObject({
      client: 'api',
      name: 'deploy bot',
      expiresAt: null,
      token: expect.stringMatching(/^mta_/),
    });
    const row = demo.tokens().find((t) => t.id === res.body.id);
    expect(row).toMatchObject({ client_id: demo.clientId('api'), name: 'deploy bot', expires_at: null });
    await demo.http().get('/me').set(demo.auth(res.body.token)).expect(200, {
      id: alice.user.id,
      username: 'alice',
      client: 'api',
      tokenId: res.body.id,
    });
  });

  it('POST: expiresInDays sets the expiry', async () => {
    const res = await create(alice.token, { name: 'temp', expiresInDays: 7 }).expect(201);
    expect(new Date(res.body.expiresAt).getTime()).toBe(demo.clock.now().getTime() + 7 * 86_400_000);
    demo.clock.advance(7 * 86_400_000);
    await demo.http().get('/me').set(demo.auth(res.body.token)).expect(401);
  });

  it.each([
    ['a missing name', {}],
    ['an empty name', { name: '' }],
    ['a blank name', { name: '   ' }],
    ['an over-long name', { name: 'x'.repeat(101) }],
    ['a non-string name', { name: 42 }],
    ['zero days', { name: 'k', expiresInDays: 0 }],
    ['fractional days', { name: 'k', expiresInDays: 1.5 }],
  ])('POST: 400 for %s, nothing stored', async (_case, body) => {
    const before = demo.tokens().length;
    await create(alice.token, body).expect(400);
    expect(demo.tokens()).toHaveLength(before);
  });

  it('POST: 409 when this user already has a key of that name; another user may use it', async () => {
    await create(alice.token, { name: 'ci' }).expect(201);
    const res = await create(alice.token, { name: 'ci' }).expect(409);
    expect(res.body.message).toBe('A token with this name already exists for this user.');
    await create(bob.token, { name: 'ci' }).expect(201);
  });

  it('POST: 10 simultaneous creations of one name give one 201 and nine 409, never a 5xx', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => create(alice.token, { name: 'race' })));
    expect(responses.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(demo.tokens().filter((t) => t.name === 'race')).toHaveLength(1);
  });

  it('POST/GET/DELETE: 401 without a token', async () => {
    await demo.http().post('/auth/api-keys').send({ name: 'x' }).expect(401);
    await demo.http().get('/auth/api-keys').expect(401);
    await demo.http().delete('/auth/api-keys/4b1f0a3e-8a52-4c53-9d1e-3a1c1f2e9b77').expect(401);
  });

  it("GET: the user's keys only, newest first, no secrets", async () => {
    const first = await create(alice.token, { name: 'one' }).expect(201);
    demo.clock.advance(1000);
    const second = await create(alice.token, { name: 'two', expiresInDays: 30 }).expect(201);
    await create(bob.token, { name: 'bobs' }).expect(201);
    await demo.http().get('/me').set(demo.auth(first.body.token)).expect(200);
    const res = await demo.http().get('/auth/api-keys').set(demo.auth(alice.token)).expect(200);
    expect(res.body.map((k: { name: string }) => k.name)).toEqual(['two', 'one']);
    expect(Object.keys(res.body[0]).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name']);
    expect(res.body[1].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(res.body)).not.toContain(first.body.token);
    expect(JSON.stringify(res.body)).not.toContain(second.body.token);
  });

  it('DELETE: 204, and the key is refused on its very next request', async () => {
    const key = await create(alice.token, { name: 'ci' }).expect(201);
    await demo.http().get('/me').set(demo.auth(key.body.token)).expect(200);
    await demo.http().delete(`/auth/api-keys/${key.body.id}`).set(demo.auth(alice.token)).expect(204);
    await demo.http().get('/me').set(demo.auth(key.body.token)).expect(401);
    expect(demo.tokens().find((t) => t.id === key.body.id)).toBeUndefined();
  });

  it("DELETE: 404 for another user's key, for a session id, and for an unknown id", async () => {
    const bobsKey = await create(bob.token, { name: 'ci' }).expect(201);
    await demo.http().delete(`/auth/api-keys/${bobsKey.body.id}`).set(demo.auth(alice.token)).expect(404);
    await demo.http().get('/me').set(demo.auth(bobsKey.body.token)).expect(200);
    const phone = await demo.login('alice', 'mobile');
    await demo.http().delete(`/auth/api-keys/${phone.id}`).set(demo.auth(alice.token)).expect(404);
    await demo.http().get('/me').set(demo.auth(phone.token)).expect(200);
    await demo
      .http()
      .delete('/auth/api-keys/4b1f0a3e-8a52-4c53-9d1e-3a1c1f2e9b77')
      .set(demo.auth(alice.token))
      .expect(404);
    await demo.http().delete('/auth/api-keys/nope').set(demo.auth(alice.token)).expect(400);
  });
});
