import { TokenQuotaKeeper } from '../libs/multi-token-auth/src/services/tokens/token-quota.keeper';
import { fetchAtOnce, listening } from './support/at-once';
import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

interface QuotaRow {
  quota: string | null;
  quota_remaining: number | null;
  quota_seq: number | null;
  quota_set_at: string | null;
}

const HOUR = 3_600_000;

/** `quota` on an API key: every request spends from it, `@TokenCost(n)` routes n; 429 `quota_exhausted` past it. */
describe('API key quota', () => {
  let demo: Demo;
  let alice: LoginResult;
  beforeEach(async () => {
    demo = await startDemo();
    await demo.register('alice');
    alice = await demo.login('alice', 'web');
  });
  afterEach(() => demo.close());

  const get = (path: string, token: string) => demo.http().get(path).set(demo.auth(token));
  const order = (token: string) => demo.http().post('/orders').set(demo.auth(token)).send({ item: 'tea', quantity: 1 });
  const patch = (id: string, body: Record<string, unknown>) =>
    demo.http().patch(`/auth/api-keys/${id}`).set(demo.auth(alice.token)).send(body);
  const stored = (id: string) =>
    demo.db
      .prepare('SELECT quota, quota_remaining, quota_seq, quota_set_at FROM auth_tokens WHERE id = ?')
      .get(id) as QuotaRow;
  const listed = async (id: string) =>
    ((await get('/auth/api-keys', alice.token).expect(200)).body as { id: string; quota: unknown }[]).find(
      (key) => key.id === id,
    )?.quota;
  const flush = () => demo.app.get(TokenQuotaKeeper).flush();

  it('counts down on every route, then 429 quota_exhausted without Retry-After (no refill); the key alone', async () => {
    const key = await demo.apiKey(alice.token, 'ci', { quota: { limit: 3 } });
    expect((key as unknown as { quota: unknown }).quota).toEqual({
      limit: 3,
      refill: null,
      remaining: 3,
      nextRefillAt: null,
    });
    const remaining: string[] = [];
    for (const path of ['/me', '/hello', '/orders']) {
      const res = await get(path, key.token).expect(200);
      expect(res.headers['x-quota-limit']).toBe('3');
      remaining.push(res.headers['x-quota-remaining']);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await get('/me', key.token).expect(429);
    expect(refused.body).toEqual({
      statusCode: 429,
      message: 'The token has used up its quota.',
      error: 'Too Many Requests',
      code: 'quota_exhausted',
    });
    expect(refused.headers['retry-after']).toBeUndefined();
    expect(refused.headers['x-quota-remaining']).toBe('0');
    // The session that made it and another key spend nothing of it.
    const other = await demo.apiKey(alice.token, 'other');
    expect((await get('/me', other.token).expect(200)).headers['x-quota-limit']).toBeUndefined();
    await get('/me', alice.token).expect(200);
    expect(await listed(key.id)).toEqual({ limit: 3, refill: null, remaining: 0, nextRefillAt: null });
    // Nothing is written per request; the flush writes the balance once.
    expect(stored(key.id).quota_remaining).toBe(3);
    await flush();
    expect(stored(key.id)).toMatchObject({ quota: '{"limit":3}', quota_remaining: 0, quota_seq: 3 });
  });

  it('a refill adds its amount each period up to the limit; the 429 says when with Retry-After', async () => {
    const start = demo.clock.now().getTime();
    const key = await demo.apiKey(alice.token, 'refilled', { quota: { limit: 2, refill: { amount: 1, every: '1h' } } });
    await get('/me', key.token).expect(200);
    demo.clock.advance(10 * 60_000);
    await get('/me', key.token).expect(200);
    const refused = await get('/me', key.token).expect(429);
    expect(Number(refused.headers['retry-after'])).toBe(50 * 60);
    expect(await listed(key.id)).toMatchObject({
      remaining: 0,
      nextRefillAt: new Date(start + HOUR).toISOString(),
    });
    demo.clock.advance(50 * 60_000);
    expect((await get('/me', key.token).expect(200)).headers['x-quota-remaining']).toBe('0');
    await get('/me', key.token).expect(429);
    // Five periods later: full (2), not 5.
    demo.clock.advance(5 * HOUR);
    expect((await get('/me', key.token).expect(200)).headers['x-quota-remaining']).toBe('1');
  });

  it('@TokenCost(5) spends 5; a cost above what is left is refused whole and spends nothing', async () => {
    const key = await demo.apiKey(alice.token, 'orders', { quota: { limit: 7 } });
    const created = await order(key.token).expect(201);
    expect(created.headers['x-quota-remaining']).toBe('2');
    const refused = await order(key.token).expect(429);
    expect(refused.body).toMatchObject({ code: 'quota_exhausted' });
    expect(refused.headers['x-quota-remaining']).toBe('2');
    expect((await get('/orders', key.token).expect(200)).body.orders).toHaveLength(1);
    expect((await get('/me', key.token).expect(200)).headers['x-quota-remaining']).toBe('0');
  });

  it('a request refused for another reason (scope, client) spends nothing', async () => {
    const key = await demo.apiKey(alice.token, 'read only', { quota: { limit: 2 }, scopes: ['orders:read'] });
    await order(key.token).expect(403);
    await get('/web-only', key.token).expect(403);
    expect((await get('/me', key.token).expect(200)).headers['x-quota-remaining']).toBe('1');
  });

  it('50 requests at once for the last 10 units: exactly 10 are served', async () => {
    const key = await demo.apiKey(alice.token, 'race', { quota: { limit: 10 } });
    const url = `${await listening(demo.app)}/me`;
    const { statuses } = await fetchAtOnce(50, () => url, { headers: demo.auth(key.token) });
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40);
  });

  it('the remainder survives a restart: written at shutdown, spent on from there', async () => {
    const key = await demo.apiKey(alice.token, 'kept', { quota: { limit: 5 } });
    await get('/me', key.token).expect(200);
    await get('/me', key.token).expect(200);
    const { databaseFile } = demo;
    await demo.app.close();
    demo.db.close();
    demo = await startDemo({}, { databaseFile });
    expect(stored(key.id).quota_remaining).toBe(3);
    expect((await get('/me', key.token).expect(200)).headers['x-quota-remaining']).toBe('2');
  });

  it('PATCH sets a quota full from now, changes it (full again), removes it; each holds on the next request', async () => {
    const key = await demo.apiKey(alice.token, 'ci');
    expect((await get('/me', key.token).expect(200)).headers['x-quota-limit']).toBeUndefined();
    const set = await patch(key.id, { quota: { limit: 2 } }).expect(200);
    expect(set.body.quota).toEqual({ limit: 2, refill: null, remaining: 2, nextRefillAt: null });
    await get('/me', key.token).expect(200);
    await get('/me', key.token).expect(200);
    await get('/me', key.token).expect(429);
    const changed = await patch(key.id, { quota: { limit: 3, refill: { amount: 3, every: '1d' } } }).expect(200);
    expect(changed.body.quota).toMatchObject({ limit: 3, remaining: 3, refill: { amount: 3, every: '1d' } });
    expect((await get('/me', key.token).expect(200)).headers['x-quota-remaining']).toBe('2');
    await patch(key.id, { quota: null }).expect(200);
    expect(stored(key.id)).toEqual({ quota: null, quota_remaining: null, quota_seq: null, quota_set_at: null });
    for (let i = 0; i < 4; i++) {
      expect((await get('/me', key.token).expect(200)).headers['x-quota-limit']).toBeUndefined();
    }
  });

  it('a roll carries what is left; in the overlap both keys spend one balance; a replaced key cannot set its own', async () => {
    const key = await demo.apiKey(alice.token, 'roll me', { quota: { limit: 4 } });
    await get('/me', key.token).expect(200);
    const rolled = await demo
      .http()
      .post(`/auth/api-keys/${key.id}/roll`)
      .set(demo.auth(alice.token))
      .send({ password: 'correct horse', overlapSeconds: 3600 })
      .expect(201);
    expect(rolled.body.quota).toMatchObject({ limit: 4, remaining: 3 });
    expect(stored(rolled.body.id as string).quota_remaining).toBe(3);
    await get('/me', rolled.body.token as string).expect(200);
    await get('/me', key.token).expect(200);
    expect((await get('/me', rolled.body.token as string).expect(200)).headers['x-quota-remaining']).toBe('0');
    await get('/me', key.token).expect(429);
    expect((await patch(key.id, { quota: { limit: 9 } }).expect(409)).body).toMatchObject({ code: 'api_key_rolled' });
    // Through the replacement: both keys follow the new quota.
    await patch(rolled.body.id as string, { quota: { limit: 2 } }).expect(200);
    await get('/me', key.token).expect(200);
    await get('/me', rolled.body.token as string).expect(200);
    await get('/me', key.token).expect(429);
  });

  it.each([
    ['a number', 100, 'quota must be'],
    ['a zero limit', { limit: 0 }, 'quota.limit must be'],
    ['a refill above the limit', { limit: 5, refill: { amount: 9, every: '1d' } }, 'quota.refill.amount'],
    ['weeks', { limit: 5, refill: { amount: 1, every: '1w' } }, 'quota.refill.every'],
    ['a remaining of its own', { limit: 5, remaining: 1 }, 'unknown field remaining'],
  ])('400 validation_failed for %s, on create and on PATCH', async (_case, quota, message) => {
    const before = demo.tokens().length;
    const created = await demo
      .http()
      .post('/auth/api-keys')
      .set(demo.auth(alice.token))
      .send({ name: 'bad', password: 'correct horse', quota })
      .expect(400);
    expect(created.body).toMatchObject({ code: 'validation_failed' });
    expect((created.body.message as string[]).join()).toContain(message);
    expect(demo.tokens()).toHaveLength(before);
    const key = await demo.apiKey(alice.token, `ok ${_case}`);
    expect(((await patch(key.id, { quota }).expect(400)).body.message as string[]).join()).toContain(message);
    expect(stored(key.id).quota).toBeNull();
  });
});
