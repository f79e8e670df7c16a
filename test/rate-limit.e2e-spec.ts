import { startDemo, type Demo } from './support/demo.harness';

const CLIENTS = [
  { name: 'web', tokenTtl: 3600, throttleRate: '3/m' },
  { name: 'mobile', tokenTtl: 3600, throttleRate: '3/m' },
  { name: 'cli', tokenTtl: 3600 },
  { name: 'api', tokenTtl: null },
];

describe('rate limit per user and client (GET /throttled)', () => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await startDemo({ AUTH_CLIENTS: JSON.stringify(CLIENTS), DEFAULT_THROTTLE_RATE: '2/h' });
    await demo.register('alice');
    await demo.register('bob');
  });
  afterAll(() => demo.close());

  it('counts down with X-RateLimit-* headers, then 429 with Retry-After', async () => {
    const { token } = await demo.login('alice', 'web');
    for (let remaining = 2; remaining >= 0; remaining--) {
      const res = await demo.http().get('/throttled').set(demo.auth(token)).expect(200);
      expect(res.headers['x-ratelimit-limit']).toBe('3');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(remaining));
      expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    }
    const res = await demo.http().get('/throttled').set(demo.auth(token)).expect(429);
    expect(res.body).toEqual({
      statusCode: 429,
      message: 'Too many requests.',
      error: 'Too Many Requests',
      code: 'rate_limited',
    });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('the budget belongs to user+client: another token of the same pair shares it, other pairs do not', async () => {
    const second = await demo.login('alice', 'web');
    await demo.http().get('/throttled').set(demo.auth(second.token)).expect(429);
    const mobile = await demo.login('alice', 'mobile');
    await demo.http().get('/throttled').set(demo.auth(mobile.token)).expect(200);
    const bob = await demo.login('bob', 'web');
    await demo.http().get('/throttled').set(demo.auth(bob.token)).expect(200);
  });

  it('routes without @ClientRateLimit() are not counted', async () => {
    const { token } = await demo.login('alice', 'web');
    await demo.http().get('/me').set(demo.auth(token)).expect(200);
    const res = await demo.http().get('/me').set(demo.auth(token)).expect(200);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('a client without throttleRate falls back to the module default', async () => {
    const { token } = await demo.login('bob', 'cli');
    const first = await demo.http().get('/throttled').set(demo.auth(token)).expect(200);
    expect(first.headers['x-ratelimit-limit']).toBe('2');
    await demo.http().get('/throttled').set(demo.auth(token)).expect(200);
    const res = await demo.http().get('/throttled').set(demo.auth(token)).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(60);
  });

  it('an unauthenticated request to a throttled route is 401, not 429', async () => {
    for (let i = 0; i < 5; i++) await demo.http().get('/throttled').expect(401);
  });

  it('a bad throttleRate fails at start-up with a clear message', async () => {
    const bad = [
      { name: 'web', tokenTtl: 60, throttleRate: 'fast' },
      { name: 'api', tokenTtl: null },
    ];
    await expect(startDemo({ AUTH_CLIENTS: JSON.stringify(bad) })).rejects.toThrow(
      'clients[0].throttleRate must be "N/unit" like "100/m"',
    );
  });
});
