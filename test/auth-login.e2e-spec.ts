import { createHash } from 'node:crypto';
import { startDemo, type Demo } from './support/demo.harness';

describe('POST /auth/login', () => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await startDemo();
    await demo.register('alice');
  });
  afterAll(() => demo.close());

  it('201 with the token once, and stores only its digest', async () => {
    const res = await demo
      .http()
      .post('/auth/login')
      .set('User-Agent', 'e2e-agent/1.0')
      .send({ username: 'alice', password: 'correct horse', client: 'web', name: 'Work laptop' })
      .expect(201);
    const body = res.body;
    expect(Object.keys(body).sort()).toEqual(['client', 'expiresAt', 'id', 'name', 'scopes', 'token', 'user']);
    expect(body).toMatchObject({
      client: 'web',
      name: 'Work laptop',
      user: { id: expect.any(Number), username: 'alice' },
    });
    expect(body.token).toMatch(/^mta_[0-9A-Za-z]{38}$/);
    expect(new Date(body.expiresAt).getTime()).toBe(demo.clock.now().getTime() + 86_400_000);
    const [row] = demo.tokens().filter((t) => t.id === body.id);
    expect(row).toMatchObject({
      user_id: body.user.id,
      client_id: demo.clientId('web'),
      name: 'Work laptop',
      digest: createHash('sha256').update(body.token).digest('hex'),
      user_agent: 'e2e-agent/1.0',
      last_used_at: null,
    });
    expect(row.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(JSON.stringify(row)).not.toContain(body.token.slice(4, 36));
  });

  it('expiresAt follows the client: 30 days on mobile, null on api (a key)', async () => {
    const mobile = await demo.login('alice', 'mobile');
    expect(new Date(mobile.expiresAt as string).getTime()).toBe(demo.clock.now().getTime() + 30 * 86_400_000);
    const key = await demo.apiKey(mobile.token);
    expect(key.expiresAt).toBeNull();
    expect(demo.tokens().find((t) => t.id === key.id)?.expires_at).toBeNull();
  });

  it.each([
    ['an empty body', {}],
    ['a missing password', { username: 'alice', client: 'web' }],
    ['a missing client', { username: 'alice', password: 'correct horse' }],
    ['a number as username', { username: 42, password: 'correct horse', client: 'web' }],
    ['an empty name', { username: 'alice', password: 'correct horse', client: 'web', name: '' }],
    ['an over-long password', { username: 'alice', password: 'x'.repeat(1025), client: 'web' }],
  ])('400 in Nest validation shape for %s, and no token stored', async (_case, body) => {
    const before = demo.tokens().length;
    const res = await demo.http().post('/auth/login').send(body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'validation_failed' });
    expect(res.body.message).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(demo.tokens()).toHaveLength(before);
  });

  it('400 for malformed JSON', async () => {
    const res = await demo
      .http()
      .post('/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username": "alice",')
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('400 for an unknown client, whatever the password', async () => {
    for (const password of ['correct horse', 'wrong']) {
      const res = await demo.http().post('/auth/login').send({ username: 'alice', password, client: 'tv' }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: 'Unknown client.' });
    }
  });

  it('401 with one message for a wrong password and for an unknown user', async () => {
    const before = demo.tokens().length;
    const wrong = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'wrong!', client: 'web' })
      .expect(401);
    const unknown = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'mallory', password: 'wrong!', client: 'web' })
      .expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({
      statusCode: 401,
      message: 'Invalid username or password.',
      error: 'Unauthorized',
      code: 'invalid_credentials',
    });
    expect(demo.tokens()).toHaveLength(before);
  });

  it('409 when the session name is already used by this user', async () => {
    await demo.login('alice', 'web', { name: 'phone' });
    const res = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'correct horse', client: 'mobile', name: 'phone' })
      .expect(409);
    expect(res.body.message).toBe('A token with this name already exists for this user.');
  });

  it('401 for an inactive user, only once the password is right', async () => {
    await demo.register('bob');
    const { token } = await demo.login('bob');
    await demo
      .http()
      .post('/users/me/deactivate')
      .set(demo.auth(token))
      .send({ password: 'correct horse' })
      .expect(204);
    const res = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'bob', password: 'correct horse', client: 'web' })
      .expect(401);
    expect(res.body).toMatchObject({ message: 'User inactive or deleted.', code: 'user_inactive' });
    const wrong = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'bob', password: 'nope', client: 'web' })
      .expect(401);
    expect(wrong.body.message).toBe('Invalid username or password.');
  });
});
