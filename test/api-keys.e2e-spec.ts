import { LastUsedTracker } from '../libs/multi-token-auth/src/services/tokens/last-used.tracker';
import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

describe('API keys (/auth/api-keys)', () => {
  let demo: Demo;
  let alice: LoginResult;
  let bob: LoginResult;
  beforeEach(async () => {
    demo = await startDemo({ TRUST_PROXY: '1' });
    await demo.register('alice');
    await demo.register('bob');
    alice = await demo.login('alice', 'web');
    bob = await demo.login('bob', 'web');
  });
  afterEach(() => demo.close());

  // Each from its own address: concurrent creations would otherwise queue behind one client's limit.
  let address = 0;
  const create = (token: string, body: object) =>
    demo
      .http()
      .post('/auth/api-keys')
      .set(demo.auth(token))
      .set('X-Forwarded-For', `10.1.${Math.floor(++address / 250)}.${address % 250}`)
      .send({ password: 'correct horse', ...body });

  it('POST: 201 {token, id, name, client, createdAt, expiresAt}; the key works and is stored as a digest', async () => {
    const res = await create(alice.token, { name: 'deploy bot' }).expect(201);
    expect(Object.keys(res.body).sort()).toEqual(
      [
        'allowedIps',
        'client',
        'createdAt',
        'enabled',
        'expiresAt',
        'id',
        'lastIp',
        'lastUsedAt',
        'metadata',
        'name',
        'quota',
        'rateLimit',
        'replacedBy',
        'scopes',
        'token',
      ].sort(),
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
    ['expiresInDays: null', { name: 'k', expiresInDays: null }],
    ['expiresInDays as a string', { name: 'k', expiresInDays: '7' }],
    ['101 emoji', { name: '🔑'.repeat(101) }],
    ['a control character', { name: 'tab\there' }],
    ['a zero-width space', { name: 'ci\u200b' }],
    ['a bidi override', { name: 'report\u202Efdp.exe' }],
    ['a bidi isolate', { name: '\u2066ci\u2069' }],
    ['a non-string password', { name: 'k', password: 42 }],
    ['a null password', { name: 'k', password: null }],
    ['an empty password', { name: 'k', password: '' }],
    ['an object as password', { name: 'k', password: {} }],
    ['a soft hyphen', { name: 'c\u00adi' }],
    ['an Arabic letter mark', { name: 'c\u061ci' }],
    ['a tag character', { name: 'ci\u{E0041}' }],
  ])('POST: 400 validation_failed for %s, nothing stored', async (_case, body) => {
    const before = demo.tokens().length;
    const res = await create(alice.token, body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'validation_failed' });
    expect(demo.tokens()).toHaveLength(before);
  });

  it('POST: a NUL in the name is 400 invalid_characters, before validation', async () => {
    const res = await create(alice.token, { name: 'a\u0000b' }).expect(400);
    expect(res.body).toMatchObject({ code: 'invalid_characters' });
  });

  it.each(['👩‍💻 laptop', '❤️ phone', '👍🏽', '🏳️‍🌈 flag'])('POST: emoji with their joiners are fine: %s', async (name) => {
    const res = await create(alice.token, { name }).expect(201);
    expect(res.body.name).toBe(name);
  });

  it('POST: a name is counted in characters: 100 emoji fit, and come back as sent', async () => {
    const name = '🔑'.repeat(100);
    const res = await create(alice.token, { name }).expect(201);
    expect(res.body.name).toBe(name);
    expect(demo.tokens().find((t) => t.id === res.body.id)?.name).toBe(name);
  });

  it('POST: needs the account password: 400 password_required without it, 401 when wrong, nothing stored', async () => {
    const without = await demo
      .http()
      .post('/auth/api-keys')
      .set(demo.auth(alice.token))
      .send({ name: 'k' })
      .expect(400);
    expect(without.body).toMatchObject({ code: 'password_required' });
    const wrong = await create(alice.token, { name: 'k', password: 'guess' }).expect(401);
    expect(wrong.body).toMatchObject({ code: 'invalid_credentials', message: 'The password is incorrect.' });
    expect(demo.tokens(alice.user.id).map((t) => t.id)).toEqual([alice.id]);
  });

  it('POST: a cli token, refused by @DisallowClients("cli"), cannot turn itself into a key that passes it', async () => {
    const cli = await demo.login('alice', 'cli');
    await demo.http().get('/not-cli').set(demo.auth(cli.token)).expect(403);
    await demo.http().post('/auth/api-keys').set(demo.auth(cli.token)).send({ name: 'k' }).expect(400);
    await create(cli.token, { name: 'k', password: 'guess' }).expect(401);
    expect(demo.tokens(alice.user.id).filter((t) => t.client_id === demo.clientId('api'))).toEqual([]);
  });

  it('POST /auth/login with the API-key client: 400 api_key_login, nothing stored', async () => {
    const res = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'correct horse', client: 'api' })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'api_key_login' });
    expect(demo.tokens(alice.user.id).map((t) => t.id)).toEqual([alice.id]);
  });

  it.each([
    ['create a key', (t: string) => create(t, { name: 'child' })],
    ['list keys', (t: string) => demo.http().get('/auth/api-keys').set(demo.auth(t))],
    ['revoke a key', (t: string) => demo.http().delete(`/auth/api-keys/${alice.id}`).set(demo.auth(t))],
    ['list sessions', (t: string) => demo.http().get('/auth/sessions').set(demo.auth(t))],
    ['end the other sessions', (t: string) => demo.http().delete('/auth/sessions').set(demo.auth(t))],
    ['end a session', (t: string) => demo.http().delete(`/auth/sessions/${alice.id}`).set(demo.auth(t))],
    ['log out everywhere', (t: string) => demo.http().post('/auth/logout-all').set(demo.auth(t))],
    [
      'change the password',
      (t: string) =>
        demo
          .http()
          .post('/users/me/password')
          .set(demo.auth(t))
          .send({ currentPassword: 'correct horse', newPassword: 'new password!' }),
    ],
    [
      'deactivate the account',
      (t: string) => demo.http().post('/users/me/deactivate').set(demo.auth(t)).send({ password: 'correct horse' }),
    ],
  ])('an API key cannot %s: 403 api_key_not_allowed, nothing changed', async (_action, act) => {
    const key = await create(alice.token, { name: 'script' }).expect(201);
    const users = () => demo.db.prepare('SELECT * FROM users ORDER BY id').all();
    const [tokensBefore, usersBefore] = [demo.tokens().map((t) => t.id), users()];
    const res = await act(key.body.token).expect(403);
    expect(res.body).toMatchObject({ code: 'api_key_not_allowed' });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="insufficient_scope"/);
    expect(demo.tokens().map((t) => t.id)).toEqual(tokensBefore);
    expect(users()).toEqual(usersBefore);
    await demo.http().get('/me').set(demo.auth(alice.token)).expect(200);
    await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'correct horse', client: 'web' })
      .expect(201);
  });

  it('an API key still authenticates, refreshes and logs itself out', async () => {
    const key = await create(alice.token, { name: 'script' }).expect(201);
    await demo.http().get('/me').set(demo.auth(key.body.token)).expect(200);
    await demo
      .http()
      .post('/auth/refresh')
      .set(demo.auth(key.body.token))
      .expect(200, { expiresAt: null, scopes: ['orders:read', 'orders:write'] });
    await demo.http().post('/auth/logout').set(demo.auth(key.body.token)).expect(204);
    expect(demo.tokens().find((t) => t.id === key.body.id)).toBeUndefined();
  });

  it('POST: at most 100 unexpired keys per user: 403 api_key_limit_exceeded past it, none revoked to make room', async () => {
    for (let i = 0; i < 99; i++) await create(alice.token, { name: `k${i}` }).expect(201);
    const last = await create(alice.token, { name: 'short', expiresInDays: 1 }).expect(201);
    const before = demo.tokens(alice.user.id);
    const res = await create(alice.token, { name: 'one too many' }).expect(403);
    expect(res.body).toMatchObject({ code: 'api_key_limit_exceeded' });
    expect(demo.tokens(alice.user.id)).toEqual(before);
    await create(bob.token, { name: 'bobs' }).expect(201);
    demo.clock.advance(86_400_000);
    await demo.http().get('/me').set(demo.auth(last.body.token)).expect(401);
    const fresh = await demo.login('alice', 'web');
    await create(fresh.token, { name: 'after expiry' }).expect(201);
  });

  it('token responses are never cached: Cache-Control: no-store on login and on key creation', async () => {
    const login = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'correct horse', client: 'web' })
      .expect(201);
    expect(login.headers['cache-control']).toBe('no-store');
    expect((await create(alice.token, { name: 'k' }).expect(201)).headers['cache-control']).toBe('no-store');
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
    await demo.app.get(LastUsedTracker).flush(); // that use, written now rather than within 200 ms
    const res = await demo.http().get('/auth/api-keys').set(demo.auth(alice.token)).expect(200);
    expect(res.body.map((k: { name: string }) => k.name)).toEqual(['two', 'one']);
    expect(Object.keys(res.body[0]).sort()).toEqual([
      'allowedIps',
      'createdAt',
      'enabled',
      'expiresAt',
      'id',
      'lastIp',
      'lastUsedAt',
      'metadata',
      'name',
      'quota',
      'rateLimit',
      'replacedBy',
      'scopes',
    ]);
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
