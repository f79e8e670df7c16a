import { DEFAULT_CLIENTS } from '../apps/demo/src/config/demo.config';
import { startDemo, type Demo, type LoginResult } from './support/demo.harness';
import { ROTATING_CLIENT } from './support/demo-app';

const FORM = 'application/x-www-form-urlencoded';

/** RFC 7662 introspection and RFC 7009 revocation, over HTTP on the demo (SQLite). */
describe('token endpoints: POST /auth/introspect (RFC 7662) and POST /auth/revoke (RFC 7009)', () => {
  let demo: Demo;
  let alice: LoginResult;
  let introspector: LoginResult;
  beforeEach(async () => {
    demo = await startDemo({ AUTH_CLIENTS: JSON.stringify([...DEFAULT_CLIENTS, ROTATING_CLIENT]) });
    await demo.register('alice');
    await demo.register('svc');
    alice = await demo.login('alice', 'web');
    // Another service's credential: an API key holding auth:introspect by name.
    introspector = await demo.apiKey((await demo.login('svc', 'web')).token, 'orders service', {
      scopes: ['auth:introspect'],
    });
  });
  afterEach(() => demo.close());

  const introspect = (token: string, caller = introspector.token) =>
    demo.http().post('/auth/introspect').set(demo.auth(caller)).type('form').send({ token });
  const row = (id: string) =>
    demo.db.prepare('SELECT id, last_used_at FROM auth_tokens WHERE id = ?').get(id) as
      { id: string; last_used_at: string | null } | undefined;

  it('an active token: its state in RFC 7662 fields, form or JSON, never cached', async () => {
    const res = await introspect(alice.token).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const created = demo.tokens().find((token) => token.id === alice.id);
    expect(res.body).toEqual({
      active: true,
      client_id: 'web',
      username: 'alice',
      sub: String(alice.user.id),
      exp: Math.floor(Date.parse(alice.expiresAt ?? '') / 1000),
      iat: Math.floor(Date.parse(`${created?.created_at.replace(' ', 'T')}Z`) / 1000),
      token_type: 'Bearer',
      jti: alice.id,
    });
    // An API key: its scopes, space-separated; no `exp` for a key that never expires.
    const key = await demo.apiKey(alice.token, 'ci', { scopes: ['orders:read'] });
    const json = await demo
      .http()
      .post('/auth/introspect')
      .set(demo.auth(introspector.token))
      .send({ token: key.token, token_type_hint: 'access_token', client_id: 'ignored' })
      .expect(200);
    expect(json.body).toMatchObject({ active: true, scope: 'orders:read', client_id: 'api', jti: key.id });
    expect(json.body.exp).toBeUndefined();
    // Its own list too (an extension, for scopes granted by name on a resource server), and its
    // limits: the key's rate limit and address list.
    const limited = await demo.apiKey(alice.token, 'limited', {
      scopes: ['orders:read'],
      rateLimit: '10/m',
      allowedIps: ['10.0.0.0/8'],
    });
    expect((await introspect(limited.token).expect(200)).body).toMatchObject({
      own_scope: 'orders:read',
      rate_limit: '10/m',
      allowed_ips: ['10.0.0.0/8'],
    });
  });

  it('a token rotated out by a refresh is active until its grace ends: exp says so, not its successor’s expiry', async () => {
    const rotating = await demo.login('alice', 'rotating');
    await demo.http().post('/auth/refresh').set(demo.auth(rotating.token)).expect(200);
    const grace = demo.tokens().find((token) => token.id === rotating.id) as unknown as { grace_ends_at: string };
    const res = await introspect(rotating.token).expect(200);
    expect(res.body).toMatchObject({ active: true, jti: rotating.id });
    expect(res.body.exp).toBe(Math.floor(Date.parse(`${grace.grace_ends_at.replace(' ', 'T')}Z`) / 1000));
    expect(res.body.exp).toBeLessThanOrEqual(Math.floor(demo.clock.now().getTime() / 1000) + 5);
  });

  it('every inactive case answers {active: false} alone: unknown, malformed, revoked, expired, paused, rotated out', async () => {
    const key = await demo.apiKey(alice.token, 'paused');
    await demo.http().patch(`/auth/api-keys/${key.id}`).set(demo.auth(alice.token)).send({ enabled: false });
    const revoked = await demo.login('alice', 'mobile');
    await demo.http().post('/auth/logout').set(demo.auth(revoked.token)).expect(204);
    const rotating = await demo.login('alice', 'rotating');
    await demo.http().post('/auth/refresh').set(demo.auth(rotating.token)).expect(200);
    demo.clock.advance(6_000); // past its 5 s grace
    const unknown = `${alice.token.slice(0, 4)}${'A'.repeat(alice.token.length - 4)}`;
    for (const token of [unknown, 'not-a-token', revoked.token, key.token, rotating.token, 'x'.repeat(4096)]) {
      expect((await introspect(token).expect(200)).body).toEqual({ active: false });
    }
    demo.clock.advance(86_400_000);
    expect((await introspect(alice.token).expect(200)).body).toEqual({ active: false });
  });

  it('introspection has no effect on the token asked about: no lastUsedAt, no reuse detection', async () => {
    await introspect(alice.token).expect(200);
    expect(row(alice.id)?.last_used_at).toBeNull();
    const rotating = await demo.login('alice', 'rotating');
    const successor = (await demo.http().post('/auth/refresh').set(demo.auth(rotating.token)).expect(200)).body as {
      token: string;
    };
    demo.clock.advance(6_000);
    expect((await introspect(rotating.token).expect(200)).body).toEqual({ active: false });
    // Presented to the API instead, the same token would end the sign-in; asked about, it does not.
    await demo.http().get('/me').set(demo.auth(successor.token)).expect(200);
  });

  it('the caller must hold auth:introspect by name: 401 without a token, 403 for a session or a key without it', async () => {
    const anonymous = await demo.http().post('/auth/introspect').type('form').send({ token: alice.token }).expect(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    // A web session holds every scope (its client declares none), but not this one by name.
    const session = await introspect(alice.token, alice.token).expect(403);
    expect(session.body).toMatchObject({ code: 'insufficient_scope', requiredScopes: ['auth:introspect'] });
    expect(session.headers['www-authenticate']).toContain('scope="auth:introspect"');
    const plainKey = await demo.apiKey(alice.token, 'orders');
    await introspect(alice.token, plainKey.token).expect(403);
    // A login may ask for any scope on a client that declares none: asked for, not granted.
    const asked = await demo.login('alice', 'web', { scopes: ['auth:introspect'] });
    expect(asked.scopes).toEqual(['auth:introspect']);
    await introspect(alice.token, asked.token).expect(403);
    // The caller learns nothing about the token in a refusal.
    expect(JSON.stringify(session.body)).not.toContain('alice');
  });

  it('a caller refused for the scope spends none of its own rate limit or quota, and its usage counts a refusal', async () => {
    const key = await demo.apiKey(alice.token, 'no scope', { rateLimit: '2/m', quota: { limit: 2 } });
    for (let i = 0; i < 3; i++) {
      const refused = await introspect(alice.token, key.token).expect(403);
      expect(refused.headers['x-quota-remaining']).toBeUndefined();
    }
    expect((await demo.http().get('/me').set(demo.auth(key.token)).expect(200)).headers['x-quota-remaining']).toBe('1');
    const usage = await demo
      .http()
      .get(`/auth/api-keys/${key.id}/usage?days=1`)
      .set(demo.auth(alice.token))
      .expect(200);
    expect(usage.body).toMatchObject({ total: 4, refused: 3 });
  });

  it('400s the guard or the body limits answer carry the RFC error too', async () => {
    const query = await demo
      .http()
      .post('/auth/introspect?access_token=x')
      .set(demo.auth(introspector.token))
      .type('form')
      .send({ token: alice.token })
      .expect(400);
    expect(query.body).toMatchObject({ error: 'invalid_request', code: 'invalid_request' });
    const nul = await demo.http().post('/auth/revoke').send({ token: 'a\u0000b' }).expect(400);
    expect(nul.body).toMatchObject({ error: 'invalid_request', code: 'invalid_characters' });
  });

  it('400 invalid_request (RFC 6749 §5.2) without a token, on both endpoints', async () => {
    for (const path of ['/auth/introspect', '/auth/revoke']) {
      // A repeated field is an array: refused, never one of the two picked.
      const twice = await demo
        .http()
        .post(path)
        .set(demo.auth(introspector.token))
        .type('form')
        .send(`token=${alice.token}&token=${alice.token}`)
        .expect(400);
      expect(twice.body).toMatchObject({ error: 'invalid_request', code: 'validation_failed' });
      await demo
        .http()
        .post(path)
        .set(demo.auth(introspector.token))
        .send({ token: { $ne: '' } })
        .expect(400);
      const res = await demo.http().post(path).set(demo.auth(introspector.token)).type('form').send('').expect(400);
      expect(res.body).toMatchObject({ error: 'invalid_request', code: 'validation_failed' });
    }
  });

  it('revoke: the holder revokes with the token alone; 200 and an empty body whether or not it existed', async () => {
    const phone = await demo.login('alice', 'mobile');
    const res = await demo
      .http()
      .post('/auth/revoke')
      .set('Content-Type', FORM)
      .send(`token=${phone.token}`)
      .expect(200);
    expect(res.text).toBe('');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(row(phone.id)).toBeUndefined();
    await demo.http().get('/me').set(demo.auth(phone.token)).expect(401);
    // Again, unknown, or not a token at all: the same answer.
    for (const token of [phone.token, 'not-a-token', `${phone.token.slice(0, -1)}x`]) {
      expect((await demo.http().post('/auth/revoke').send({ token }).expect(200)).text).toBe('');
    }
    // Alice's other token was not touched.
    await demo.http().get('/me').set(demo.auth(alice.token)).expect(200);
  });

  it('revoke: a token of a refresh family ends the family; an API key ends too', async () => {
    const first = await demo.login('alice', 'rotating');
    const successor = (await demo.http().post('/auth/refresh').set(demo.auth(first.token)).expect(200)).body as {
      token: string;
      id: string;
    };
    await demo.http().post('/auth/revoke').type('form').send({ token: first.token }).expect(200);
    expect(row(successor.id)).toBeUndefined();
    await demo.http().get('/me').set(demo.auth(successor.token)).expect(401);
    const key = await demo.apiKey(alice.token, 'leaked');
    await demo.http().post('/auth/revoke').type('form').send({ token: key.token }).expect(200);
    expect(row(key.id)).toBeUndefined();
  });
});
