import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

/** `PATCH /auth/api-keys/:id`: pause and resume, rename, metadata; over HTTP, with the stored row checked. */
describe('API key settings (PATCH /auth/api-keys/:id)', () => {
  let demo: Demo;
  let alice: LoginResult;
  let key: LoginResult & { enabled: boolean; metadata: unknown };
  beforeEach(async () => {
    demo = await startDemo();
    await demo.register('alice');
    alice = await demo.login('alice', 'web');
    key = (await demo.apiKey(alice.token, 'deploy', { metadata: { team: 'billing', n: 1 } })) as typeof key;
  });
  afterEach(() => demo.close());

  const patch = (id: string, body: object, token = alice.token) =>
    demo.http().patch(`/auth/api-keys/${id}`).set(demo.auth(token)).send(body);
  const row = (id: string) =>
    demo.db.prepare('SELECT name, enabled, metadata FROM auth_tokens WHERE id = ?').get(id) as {
      name: string;
      enabled: number;
      metadata: string | null;
    };

  it('create keeps metadata and answers enabled: true; the list shows both', async () => {
    expect(key).toMatchObject({ enabled: true, metadata: { team: 'billing', n: 1 } });
    expect(row(key.id)).toEqual({ name: 'deploy', enabled: 1, metadata: '{"team":"billing","n":1}' });
    const list = await demo.http().get('/auth/api-keys').set(demo.auth(alice.token)).expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({ id: key.id, enabled: true, metadata: { team: 'billing', n: 1 } }),
    ]);
  });

  it('a paused key answers 401 key_disabled until it is enabled again; the row says so', async () => {
    await demo.http().get('/me').set(demo.auth(key.token)).expect(200);
    const paused = await patch(key.id, { enabled: false }).expect(200);
    expect(paused.headers['cache-control']).toBe('no-store');
    expect(paused.body).toMatchObject({
      id: key.id,
      name: 'deploy',
      enabled: false,
      metadata: { team: 'billing', n: 1 },
    });
    expect(paused.body).not.toHaveProperty('token');
    expect(row(key.id).enabled).toBe(0);
    const refused = await demo.http().get('/me').set(demo.auth(key.token)).expect(401);
    expect(refused.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'key_disabled',
      message: 'This API key is paused; its owner can enable it again.',
    });
    expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
    const list = await demo.http().get('/auth/api-keys').set(demo.auth(alice.token)).expect(200);
    expect(list.body[0]).toMatchObject({ id: key.id, enabled: false });
    await patch(key.id, { enabled: true }).expect(200);
    expect(row(key.id).enabled).toBe(1);
    await demo.http().get('/me').set(demo.auth(key.token)).expect(200);
  });

  it('renames and replaces or removes metadata; fields not given stay', async () => {
    const renamed = await patch(key.id, { name: '  release bot ' }).expect(200);
    expect(renamed.body).toMatchObject({ name: 'release bot', enabled: true, metadata: { team: 'billing', n: 1 } });
    await patch(key.id, { metadata: { owner: 'ops', tags: ['a', 'é'] } }).expect(200);
    expect(row(key.id)).toEqual({ name: 'release bot', enabled: 1, metadata: '{"owner":"ops","tags":["a","é"]}' });
    await patch(key.id, { metadata: null }).expect(200);
    expect(row(key.id).metadata).toBeNull();
  });

  it('409 token_name_taken for a name another token of the user has; nothing changes', async () => {
    await demo.apiKey(alice.token, 'other');
    const res = await patch(key.id, { name: 'other', enabled: false }).expect(409);
    expect(res.body).toMatchObject({ code: 'token_name_taken' });
    expect(row(key.id)).toMatchObject({ name: 'deploy', enabled: 1 });
  });

  it.each([
    ['scopes', { scopes: ['orders:read'] }],
    ['expiresInDays', { expiresInDays: 3 }],
    ['a token', { token: 'mta_x' }],
    ['enabled as a string', { enabled: 'false' }],
    ['enabled: null', { enabled: null }],
    ['metadata as an array', { metadata: [1, 2] }],
    ['metadata as a string', { metadata: '{}' }],
    ['metadata over 4 KB', { metadata: { blob: 'x'.repeat(4096) } }],
    ['a null name', { name: null }],
    ['a blank name', { name: '  ' }],
  ])('400 validation_failed for %s; nothing changes', async (_case, body) => {
    const res = await patch(key.id, body).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    expect(row(key.id)).toEqual({ name: 'deploy', enabled: 1, metadata: '{"team":"billing","n":1}' });
  });

  it.each([
    ['__proto__ in metadata', '{"metadata": {"__proto__": {"admin": true}, "a": 1}}'],
    ['constructor in nested metadata', '{"metadata": {"n": {"constructor": "x"}}}'],
    ['__proto__ at the top', '{"__proto__": {"enabled": false}}'],
    ['prototype at the top', '{"prototype": 1, "enabled": false}'],
  ])('400 validation_failed for %s, never silently dropped; nothing changes', async (_case, json) => {
    const res = await demo
      .http()
      .patch(`/auth/api-keys/${key.id}`)
      .set(demo.auth(alice.token))
      .set('Content-Type', 'application/json')
      .send(json)
      .expect(400);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
    expect(row(key.id)).toEqual({ name: 'deploy', enabled: 1, metadata: '{"team":"billing","n":1}' });
  });

  it('metadata keys named like Object.prototype methods are kept', async () => {
    const metadata = { toString: 'y', hasOwnProperty: 1, valueOf: 2, b: 2 };
    expect((await patch(key.id, { metadata }).expect(200)).body.metadata).toEqual(metadata);
    expect(JSON.parse(row(key.id).metadata ?? 'null')).toEqual(metadata);
  });

  it('a body that is not JSON (or sets nothing) is 400, not a 200 that changes nothing', async () => {
    const asText = await demo
      .http()
      .patch(`/auth/api-keys/${key.id}`)
      .set(demo.auth(alice.token))
      .set('Content-Type', 'text/plain')
      .send('{"enabled": false}');
    expect(asText.status).toBe(400);
    expect((await patch(key.id, {}).expect(400)).body).toMatchObject({ code: 'validation_failed' });
    expect(row(key.id).enabled).toBe(1);
  });

  it('metadata of exactly 4 KB is taken, with multi-byte characters counted as bytes', async () => {
    const exact = { b: 'x'.repeat(4096 - '{"b":""}'.length) };
    await patch(key.id, { metadata: exact }).expect(200);
    const over = { b: 'é'.repeat((4096 - '{"b":""}'.length) / 2 + 1) };
    expect((await patch(key.id, { metadata: over }).expect(400)).body.message).toEqual([
      'metadata must be at most 4096 bytes as JSON (it is 4098)',
    ]);
  });

  it("404 for another user's key, a session, or an unknown id; 403 for an API key; 401 without a token", async () => {
    await demo.register('bob');
    const bob = await demo.login('bob', 'web');
    expect((await patch(key.id, { enabled: false }, bob.token).expect(404)).body).toMatchObject({
      code: 'api_key_not_found',
    });
    await patch(alice.id, { enabled: false }).expect(404);
    await patch('0b6f6a36-4f5e-4d8e-9c1a-5d1f3e0a9b7c', { enabled: false }).expect(404);
    expect((await patch(key.id, { enabled: false }, key.token).expect(403)).body).toMatchObject({
      code: 'api_key_not_allowed',
    });
    await demo.http().patch(`/auth/api-keys/${key.id}`).send({ enabled: false }).expect(401);
    expect(row(key.id).enabled).toBe(1);
  });
});
