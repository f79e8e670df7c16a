import { DataSource } from 'typeorm';
import { startDemo, type Demo } from './support/demo.harness';

describe('demo users: registration, password change, deactivation', () => {
  let demo: Demo;
  beforeEach(async () => {
    demo = await startDemo();
  });
  afterEach(() => demo.close());

  const userRow = (username: string) =>
    demo.db.prepare('SELECT id, username, password_hash, is_active FROM users WHERE username = ?').get(username) as
      { id: number; username: string; password_hash: string; is_active: number } | undefined;

  it('POST /users: 201 {id, username}, the password stored only as a scrypt hash', async () => {
    const res = await demo.http().post('/users').send({ username: 'alice', password: 'correct horse' }).expect(201);
    expect(res.body).toEqual({ id: expect.any(Number), username: 'alice' });
    const row = userRow('alice');
    expect(row).toMatchObject({ id: res.body.id, is_active: 1 });
    expect(row?.password_hash).toMatch(/^scrypt\$/);
    expect(row?.password_hash).not.toContain('correct horse');
  });

  it('POST /users: 409 when the username is taken, even by concurrent registrations', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        demo.http().post('/users').send({ username: 'alice', password: 'correct horse' }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(demo.db.prepare('SELECT COUNT(*) AS n FROM users').get()).toEqual({ n: 1 });
  });

  it.each([
    ['no password', { username: 'alice' }],
    ['a short password', { username: 'alice', password: 'short' }],
    ['a bad username', { username: 'a b', password: 'correct horse' }],
  ])('POST /users: 400 for %s', async (_case, body) => {
    const res = await demo.http().post('/users').send(body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(userRow('alice')).toBeUndefined();
  });

  it('POST /users/me/password: 204, the current session stays, every other token is revoked', async () => {
    const { id } = await demo.register('alice');
    const current = await demo.login('alice', 'web');
    const other = await demo.login('alice', 'mobile');
    const key = await demo.apiKey(current.token, 'ci');
    await demo
      .http()
      .post('/users/me/password')
      .set(demo.auth(current.token))
      .send({ currentPassword: 'correct horse', newPassword: 'battery staple' })
      .expect(204);
    expect(demo.tokens(id).map((t) => t.id)).toEqual([current.id]);
    await demo.http().get('/me').set(demo.auth(current.token)).expect(200);
    await demo.http().get('/me').set(demo.auth(other.token)).expect(401);
    await demo.http().get('/me').set(demo.auth(key.token)).expect(401);
    await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'correct horse', client: 'web' })
      .expect(401);
    await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'battery staple', client: 'web' })
      .expect(201);
  });

  it('POST /users/me/password: 401 for a wrong current password, nothing changes', async () => {
    const { id } = await demo.register('alice');
    const current = await demo.login('alice', 'web');
    await demo.login('alice', 'mobile');
    const before = userRow('alice')?.password_hash;
    await demo
      .http()
      .post('/users/me/password')
      .set(demo.auth(current.token))
      .send({ currentPassword: 'nope', newPassword: 'battery staple' })
      .expect(401);
    expect(userRow('alice')?.password_hash).toBe(before);
    expect(demo.tokens(id)).toHaveLength(2);
  });

  it('usernames are unique case-insensitively and after NFKC: "Alice", "ALICE" and "ａｌｉｃｅ" are one account', async () => {
    const first = await demo.http().post('/users').send({ username: 'Alice', password: 'correct horse' }).expect(201);
    expect(first.body.username).toBe('alice');
    for (const username of ['alice', 'ALICE', 'ａｌｉｃｅ']) {
      const res = await demo.http().post('/users').send({ username, password: 'other password' }).expect(409);
      expect(res.body.message).toBe('Username is already taken.');
    }
    expect(demo.db.prepare('SELECT username FROM users').all()).toEqual([{ username: 'alice' }]);
    for (const username of ['ALICE', 'ａｌｉｃｅ']) {
      await demo.http().post('/auth/login').send({ username, password: 'correct horse', client: 'web' }).expect(201);
    }
  });

  it('POST /users/me/deactivate: 401 for a wrong password (or 400 for none), nothing changes', async () => {
    const { id } = await demo.register('alice');
    const { token } = await demo.login('alice', 'web');
    const deactivate = (body: object) => demo.http().post('/users/me/deactivate').set(demo.auth(token)).send(body);
    await deactivate({ password: 'nope' }).expect(401);
    await deactivate({}).expect(400);
    expect(userRow('alice')).toMatchObject({ is_active: 1 });
    expect(demo.tokens(id)).toHaveLength(1);
  });

  it('POST /users/me/deactivate: 204, every token revoked, login refused afterwards', async () => {
    const { id } = await demo.register('alice');
    const a = await demo.login('alice', 'web');
    const b = await demo.apiKey(a.token);
    await demo
      .http()
      .post('/users/me/deactivate')
      .set(demo.auth(a.token))
      .send({ password: 'correct horse' })
      .expect(204);
    expect(userRow('alice')?.is_active).toBe(0);
    expect(demo.tokens(id)).toEqual([]);
    await demo.http().get('/me').set(demo.auth(b.token)).expect(401);
    const res = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'correct horse', client: 'web' })
      .expect(401);
    expect(res.body.message).toBe('User inactive or deleted.');
  });

  it('a user deactivated behind the app\'s back is refused at once: 401 "User inactive or deleted."', async () => {
    await demo.register('alice');
    const { token } = await demo.login('alice', 'web');
    await demo.app.get(DataSource).query('UPDATE users SET is_active = 0 WHERE username = ?', ['alice']);
    const res = await demo.http().get('/me').set(demo.auth(token)).expect(401);
    expect(res.body).toMatchObject({ message: 'User inactive or deleted.', code: 'user_inactive' });
  });
});
