import Database from 'better-sqlite3';
import { startDemo, type Demo } from './support/demo.harness';

const CHALLENGE = (scope: string) =>
  `Bearer realm="api", error="insufficient_scope", error_description="The token lacks a scope this route requires.", scope="${scope}"`;

describe('scopes (demo: GET /orders needs orders:read, POST /orders needs orders:write)', () => {
  let demo: Demo;
  beforeEach(async () => {
    demo = await startDemo();
    await demo.register('alice');
  });
  afterEach(() => demo.close());

  const order = { item: 'tea', quantity: 2 };
  const storedScopes = (id: string) => demo.tokens().find((row) => row.id === id)?.scopes;

  it('a client without scopes: its tokens are unrestricted (scopes null, stored NULL) and pass every check', async () => {
    const web = await demo.login('alice', 'web');
    expect(web.scopes).toBeNull();
    expect(storedScopes(web.id)).toBeNull();
    await demo.http().post('/orders').set(demo.auth(web.token)).send(order).expect(201);
    const res = await demo.http().get('/orders').set(demo.auth(web.token)).expect(200);
    expect(res.body.orders).toMatchObject([{ item: 'tea', quantity: 2 }]);
  });

  it('a token without the scope: 403 insufficient_scope with the RFC 6750 challenge naming it; nothing is written', async () => {
    const reader = await demo.login('alice', 'web', { scopes: ['orders:read'] });
    expect(reader.scopes).toEqual(['orders:read']);
    expect(storedScopes(reader.id)).toBe('orders:read');
    const res = await demo.http().post('/orders').set(demo.auth(reader.token)).send(order).expect(403);
    expect(res.headers['www-authenticate']).toBe(CHALLENGE('orders:write'));
    expect(res.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      code: 'insufficient_scope',
      message: 'The token lacks a scope this route requires.',
      requiredScopes: ['orders:write'],
    });
    const list = await demo.http().get('/orders').set(demo.auth(reader.token)).expect(200);
    expect(list.body).toEqual({ orders: [] });
  });

  it('a missing or bad token on a scoped route is still 401, never 403', async () => {
    await demo.http().get('/orders').expect(401);
    const res = await demo.http().get('/orders').set(demo.auth('mta_nonsense')).expect(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it("a client's defaultScopes apply when login names none; a subset of its scopes may be asked for", async () => {
    const cli = await demo.login('alice', 'cli');
    expect(cli.scopes).toEqual(['orders:read']);
    expect(storedScopes(cli.id)).toBe('orders:read');
    await demo.http().get('/orders').set(demo.auth(cli.token)).expect(200);
    await demo.http().post('/orders').set(demo.auth(cli.token)).send(order).expect(403);

    const writer = await demo.login('alice', 'cli', { scopes: ['orders:write', 'orders:read', 'orders:write'] });
    expect(writer.scopes).toEqual(['orders:read', 'orders:write']);
    expect(storedScopes(writer.id)).toBe('orders:read orders:write');
    await demo.http().post('/orders').set(demo.auth(writer.token)).send(order).expect(201);
  });

  it('login asking for a scope its client does not allow: 403 scope_not_allowed, no token stored', async () => {
    const res = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'correct horse', client: 'cli', scopes: ['orders:read', 'admin'] })
      .expect(403);
    expect(res.body).toMatchObject({ code: 'scope_not_allowed' });
    expect(demo.tokens()).toHaveLength(0);
  });

  it.each([
    ['not a list', 'orders:read'],
    ['a space inside', ['orders read']],
    ['a quote', ['orders"read']],
    ['an empty scope', ['']],
    ['too long', ['x'.repeat(65)]],
    ['too many', Array.from({ length: 65 }, (_, i) => `s${i}`)],
    ['not strings', [1]],
  ])('login with scopes %s: 400 validation_failed', async (_case, scopes) => {
    const res = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'correct horse', client: 'web', scopes })
      .expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(demo.tokens()).toHaveLength(0);
  });

  it('an API key limited to reading: lists orders, cannot create them; its scopes show in the key list', async () => {
    const web = await demo.login('alice', 'web');
    await demo.http().post('/orders').set(demo.auth(web.token)).send(order).expect(201);
    const key = await demo.apiKey(web.token, 'reporting', { scopes: ['orders:read'] });
    expect(key.scopes).toEqual(['orders:read']);
    expect(storedScopes(key.id)).toBe('orders:read');
    const list = await demo.http().get('/orders').set(demo.auth(key.token)).expect(200);
    expect(list.body.orders).toHaveLength(1);
    const refused = await demo.http().post('/orders').set(demo.auth(key.token)).send(order).expect(403);
    expect(refused.headers['www-authenticate']).toBe(CHALLENGE('orders:write'));
    const keys = await demo.http().get('/auth/api-keys').set(demo.auth(web.token)).expect(200);
    expect(keys.body).toMatchObject([{ name: 'reporting', scopes: ['orders:read'] }]);
  });

  it("a key without scopes gets its client's, narrowed to what the creating session holds", async () => {
    const web = await demo.login('alice', 'web');
    const full = await demo.apiKey(web.token, 'full');
    expect(full.scopes).toEqual(['orders:read', 'orders:write']);
    const cli = await demo.login('alice', 'cli');
    const narrowed = await demo.apiKey(cli.token, 'from-cli');
    expect(narrowed.scopes).toEqual(['orders:read']);
    expect(storedScopes(narrowed.id)).toBe('orders:read');
  });

  it('a session cannot mint a key with a scope it does not hold (403 scope_not_held), nor one the key client refuses (403 scope_not_allowed)', async () => {
    const cli = await demo.login('alice', 'cli');
    const notHeld = await demo
      .http()
      .post('/auth/api-keys')
      .set(demo.auth(cli.token))
      .send({ name: 'escalate', password: 'correct horse', scopes: ['orders:write'] })
      .expect(403);
    expect(notHeld.body.code).toBe('scope_not_held');
    const web = await demo.login('alice', 'web');
    const notAllowed = await demo
      .http()
      .post('/auth/api-keys')
      .set(demo.auth(web.token))
      .send({ name: 'admin', password: 'correct horse', scopes: ['admin'] })
      .expect(403);
    expect(notAllowed.body.code).toBe('scope_not_allowed');
    expect(demo.tokens().map((row) => row.name)).toEqual([null, null]);
  });

  it('sessions show their scopes, and refresh never widens them', async () => {
    const reader = await demo.login('alice', 'cli');
    demo.clock.advance(1000);
    const web = await demo.login('alice', 'web');
    const sessions = await demo.http().get('/auth/sessions').set(demo.auth(web.token)).expect(200);
    expect(sessions.body.map((s: { client: string; scopes: unknown }) => [s.client, s.scopes])).toEqual([
      ['web', null],
      ['cli', ['orders:read']],
    ]);
    const refreshed = await demo.http().post('/auth/refresh').set(demo.auth(reader.token)).expect(200);
    expect(refreshed.body.scopes).toEqual(['orders:read']);
    expect(storedScopes(reader.id)).toBe('orders:read');
    await demo.http().post('/orders').set(demo.auth(reader.token)).send(order).expect(403);
  });

  it('a token stored before scopes existed (NULL) holds every scope of its client, as the migration promises', async () => {
    const web = await demo.login('alice', 'web');
    const key = await demo.apiKey(web.token, 'legacy', { scopes: ['orders:read'] });
    const writable = new Database(demo.databaseFile);
    writable.prepare('UPDATE auth_tokens SET scopes = NULL WHERE id = ?').run(key.id);
    writable.close();
    // The key was never used, so nothing cached it with its old scopes.
    await demo.http().post('/orders').set(demo.auth(key.token)).send(order).expect(201);
    const keys = await demo.http().get('/auth/api-keys').set(demo.auth(web.token)).expect(200);
    // Every scope of its client now, auth:introspect too (POST /auth/introspect asks for it by name).
    expect(keys.body[0].scopes).toEqual(['auth:introspect', 'orders:read', 'orders:write']);
  });
});

describe('scopes: a client narrowed later narrows its existing tokens', () => {
  it('a key holding orders:write loses it when the API-key client no longer allows it', async () => {
    const first = await startDemo();
    await first.register('alice');
    const web = await first.login('alice', 'web');
    const key = await first.apiKey(web.token, 'writer', { scopes: ['orders:write'] });
    await first.http().post('/orders').set(first.auth(key.token)).send({ item: 'tea', quantity: 1 }).expect(201);
    await first.app.close();

    // The same database, restarted with the client's scopes narrowed.
    const second = await startDemo(
      {
        AUTH_CLIENTS: JSON.stringify([
          { name: 'web', tokenTtl: 86_400 },
          { name: 'api', tokenTtl: null, scopes: ['orders:read'] },
        ]),
      },
      { databaseFile: first.databaseFile },
    );
    try {
      const res = await second.http().post('/orders').set(second.auth(key.token)).send({ item: 'tea', quantity: 1 });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(CHALLENGE('orders:write'));
      expect(second.tokens().find((row) => row.id === key.id)?.scopes).toBe('orders:write');
    } finally {
      await second.close();
      first.db.close();
    }
  });
});
