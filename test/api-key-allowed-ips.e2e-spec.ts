import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

/** `allowedIps` on an API key: from any other address 403 `ip_not_allowed`, behind a trusted proxy too. */
describe('API key IP allow-list (allowedIps)', () => {
  let demo: Demo;
  let alice: LoginResult;
  beforeEach(async () => {
    demo = await startDemo({ TRUST_PROXY: '1' });
    await demo.register('alice');
    alice = await demo.login('alice', 'web');
  });
  afterEach(() => demo.close());

  const from = (address: string, token: string) =>
    demo.http().get('/me').set(demo.auth(token)).set('X-Forwarded-For', address);
  const stored = (id: string) =>
    (demo.db.prepare('SELECT allowed_ips FROM auth_tokens WHERE id = ?').get(id) as { allowed_ips: string | null })
      .allowed_ips;

  it('created with a list: canonical and sorted in the answer and the row; inside works, outside is 403 ip_not_allowed', async () => {
    const key = (await demo.apiKey(alice.token, 'office', {
      allowedIps: ['203.0.113.0/24', '2001:DB8::/32', '::ffff:127.0.0.1', '127.0.0.1'],
    })) as LoginResult & { allowedIps: string[] };
    expect(key.allowedIps).toEqual(['127.0.0.1', '2001:db8::/32', '203.0.113.0/24']);
    expect(stored(key.id)).toBe('127.0.0.1 2001:db8::/32 203.0.113.0/24');
    await from('203.0.113.9', key.token).expect(200);
    await from('2001:db8:1::5', key.token).expect(200);
    await from('::ffff:203.0.113.200', key.token).expect(200);
    const refused = await from('198.51.100.1', key.token).expect(403);
    expect(refused.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      code: 'ip_not_allowed',
      message: 'This token may not be used from this address.',
    });
    await from('2001:db9::1', key.token).expect(403);
    // The session that made it has no list: anywhere.
    await from('198.51.100.1', alice.token).expect(200);
  });

  it('PATCH sets, replaces and removes the list; each change holds on the very next request', async () => {
    const key = await demo.apiKey(alice.token, 'ci');
    const patch = (allowedIps: unknown) =>
      demo.http().patch(`/auth/api-keys/${key.id}`).set(demo.auth(alice.token)).send({ allowedIps });
    await from('198.51.100.1', key.token).expect(200);
    expect((await patch(['10.0.0.0/8']).expect(200)).body).toMatchObject({ allowedIps: ['10.0.0.0/8'] });
    await from('198.51.100.1', key.token).expect(403);
    await from('10.9.8.7', key.token).expect(200);
    await patch(['198.51.100.0/24']).expect(200);
    await from('10.9.8.7', key.token).expect(403);
    await patch(null).expect(200);
    expect(stored(key.id)).toBeNull();
    await from('10.9.8.7', key.token).expect(200);
  });

  it('a rolled key keeps the list', async () => {
    const key = await demo.apiKey(alice.token, 'roll me', { allowedIps: ['10.0.0.0/8'] });
    const rolled = await demo
      .http()
      .post(`/auth/api-keys/${key.id}/roll`)
      .set(demo.auth(alice.token))
      .send({ password: 'correct horse' })
      .expect(201);
    expect(rolled.body.allowedIps).toEqual(['10.0.0.0/8']);
    await from('198.51.100.1', rolled.body.token).expect(403);
    await from('10.1.1.1', rolled.body.token).expect(200);
  });

  it.each([
    ['an empty list', []],
    ['a bad prefix', ['10.0.0.0/33']],
    ['a host name', ['example.com']],
    ['a port', ['10.0.0.1:80']],
    ['a string', '10.0.0.0/8'],
    ['101 entries', Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`)],
  ])('400 validation_failed for %s, on create and on PATCH', async (_case, allowedIps) => {
    const before = demo.tokens().length;
    const created = await demo
      .http()
      .post('/auth/api-keys')
      .set(demo.auth(alice.token))
      .send({ name: 'bad', password: 'correct horse', allowedIps })
      .expect(400);
    expect(created.body).toMatchObject({ code: 'validation_failed' });
    expect(demo.tokens()).toHaveLength(before);
    const key = await demo.apiKey(alice.token, `ok ${String(_case)}`);
    await demo.http().patch(`/auth/api-keys/${key.id}`).set(demo.auth(alice.token)).send({ allowedIps }).expect(400);
    expect(stored(key.id)).toBeNull();
  });
});
