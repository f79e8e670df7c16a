import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

/** `rateLimit` on an API key: counted on every route the key calls, 429 `rate_limited` past it. */
describe('API key rate limit (rateLimit)', () => {
  let demo: Demo;
  let alice: LoginResult;
  beforeEach(async () => {
    demo = await startDemo();
    await demo.register('alice');
    alice = await demo.login('alice', 'web');
  });
  afterEach(() => demo.close());

  const get = (path: string, token: string) => demo.http().get(path).set(demo.auth(token));
  const stored = (id: string) =>
    (demo.db.prepare('SELECT rate_limit FROM auth_tokens WHERE id = ?').get(id) as { rate_limit: string | null })
      .rate_limit;
  const patch = (id: string, body: Record<string, unknown>) =>
    demo.http().patch(`/auth/api-keys/${id}`).set(demo.auth(alice.token)).send(body);

  it('counts down on routes without @ClientRateLimit(), then 429 rate_limited with Retry-After; the key alone', async () => {
    const key = (await demo.apiKey(alice.token, 'ci', { rateLimit: '3/m' })) as LoginResult & { rateLimit: string };
    expect(key.rateLimit).toBe('3/m');
    expect(stored(key.id)).toBe('3/m');
    const remaining: string[] = [];
    for (const path of ['/me', '/hello', '/me']) {
      const res = await get(path, key.token).expect(200);
      expect(res.headers['x-ratelimit-limit-key']).toBe('3');
      expect(Number(res.headers['x-ratelimit-reset-key'])).toBeGreaterThan(0);
      remaining.push(res.headers['x-ratelimit-remaining-key']);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await get('/me', key.token).expect(429);
    expect(refused.body).toEqual({
      statusCode: 429,
      message: 'Too many requests.',
      error: 'Too Many Requests',
      code: 'rate_limited',
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Neither the session that made it nor another key of the same user spends its budget.
    const other = await demo.apiKey(alice.token, 'other');
    const free = await get('/me', other.token).expect(200);
    expect(free.headers['x-ratelimit-limit-key']).toBeUndefined();
    await get('/me', alice.token).expect(200);
    // 401 comes first: a wrong token is never counted, and the limit never hides a 401.
    await get('/me', `${key.token.slice(0, -1)}x`).expect(401);
  });

  it('PATCH sets, changes (a new budget) and removes the limit; each change holds on the very next request', async () => {
    const key = await demo.apiKey(alice.token, 'ci');
    await get('/me', key.token).expect(200);
    expect((await patch(key.id, { rateLimit: '1/h' }).expect(200)).body).toMatchObject({ rateLimit: '1/h' });
    expect(stored(key.id)).toBe('1/h');
    await get('/me', key.token).expect(200);
    const refused = await get('/me', key.token).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
    await patch(key.id, { rateLimit: '2/m' }).expect(200);
    await get('/me', key.token).expect(200);
    await get('/me', key.token).expect(200);
    await get('/me', key.token).expect(429);
    await patch(key.id, { rateLimit: null }).expect(200);
    expect(stored(key.id)).toBeNull();
    for (let i = 0; i < 5; i++) await get('/me', key.token).expect(200);
  });

  it('a rolled key keeps the limit, and during the overlap both keys spend one budget', async () => {
    const key = await demo.apiKey(alice.token, 'roll me', { rateLimit: '3/m' });
    const rolled = await demo
      .http()
      .post(`/auth/api-keys/${key.id}/roll`)
      .set(demo.auth(alice.token))
      .send({ password: 'correct horse', overlapSeconds: 3600 })
      .expect(201);
    expect(rolled.body.rateLimit).toBe('3/m');
    expect(stored(rolled.body.id as string)).toBe('3/m');
    await get('/me', rolled.body.token as string).expect(200);
    await get('/me', key.token).expect(200);
    await get('/me', rolled.body.token as string).expect(200);
    await get('/me', key.token).expect(429);
    await get('/me', rolled.body.token as string).expect(429);
  });

  it('rolling twice keeps one budget for the three keys; a replaced key follows its replacement’s limit and cannot set its own', async () => {
    const roll = async (id: string) =>
      (
        await demo
          .http()
          .post(`/auth/api-keys/${id}/roll`)
          .set(demo.auth(alice.token))
          .send({ password: 'correct horse', overlapSeconds: 3600 })
          .expect(201)
      ).body as LoginResult;
    const k1 = await demo.apiKey(alice.token, 'chain', { rateLimit: '3/m' });
    const k2 = await roll(k1.id);
    const k3 = await roll(k2.id);
    await get('/me', k1.token).expect(200);
    await get('/me', k2.token).expect(200);
    await get('/me', k3.token).expect(200);
    for (const key of [k1, k2, k3]) await get('/me', key.token).expect(429);
    // The same limit written another way is the same budget.
    await patch(k3.id, { rateLimit: '3/1m' }).expect(200);
    await get('/me', k3.token).expect(429);
    expect((await patch(k1.id, { rateLimit: null }).expect(409)).body).toMatchObject({ code: 'api_key_rolled' });
    await patch(k3.id, { rateLimit: '5/m' }).expect(200);
    expect([k1.id, k2.id, k3.id].map(stored)).toEqual(['5/m', '5/m', '5/m']);
    await get('/me', k1.token).expect(200);
  });

  it('on a @ClientRateLimit() route both limits count, each with its own headers', async () => {
    const key = await demo.apiKey(alice.token, 'both', { rateLimit: '5/m' });
    const res = await get('/throttled', key.token).expect(200);
    expect(res.headers['x-ratelimit-remaining-key']).toBe('4');
    // The demo's API-key client has no throttleRate of its own; the module default applies.
    expect(res.headers['x-ratelimit-limit']).toBeDefined();
  });

  it.each([
    ['a unit it does not know', '10/week'],
    ['zero', '0/m'],
    ['a number', 100],
    ['an empty string', ''],
    ['a space', '100 /m'],
  ])('400 validation_failed for %s, on create and on PATCH', async (_case, rateLimit) => {
    const before = demo.tokens().length;
    const created = await demo
      .http()
      .post('/auth/api-keys')
      .set(demo.auth(alice.token))
      .send({ name: 'bad', password: 'correct horse', rateLimit })
      .expect(400);
    expect(created.body).toMatchObject({ code: 'validation_failed' });
    expect((created.body.message as string[]).join()).toContain('rateLimit must be "N/unit"');
    expect(demo.tokens()).toHaveLength(before);
    const key = await demo.apiKey(alice.token, `ok ${String(_case)}`);
    await patch(key.id, { rateLimit }).expect(400);
    expect(stored(key.id)).toBeNull();
  });
});
