import type { INestApplication } from '@nestjs/common';
import { ManualClock } from 'nestjs-multi-token-auth';
import request from 'supertest';
import { DEFAULT_CLIENTS, loadDemoConfig } from '../apps/demo/src/config/demo.config';
import { CachedTokenStore } from '../libs/multi-token-auth/src/infrastructure/cache/cached-token.store';
import { TokenStore } from '../libs/multi-token-auth/src/contracts/token-store.interface';
import { startPostgres, type PostgresServer } from '../libs/multi-token-auth/src/testing/postgres.server';
import { startRedis, type RedisServer } from '../libs/multi-token-auth/src/testing/redis.server';
import { within } from '../libs/multi-token-auth/src/testing/within';
import { TokenUsageCounter } from '../libs/multi-token-auth/src/services/tokens/token-usage.counter';
import { ROTATING_CLIENT, startDemoApp } from './support/demo-app';

const wait = (ms: number) => new Promise((done) => setTimeout(done, ms));
/**
 * Two demo instances on one PostgreSQL and one Redis (REDIS_URL), as behind a load balancer: a
 * revocation on either is refused by the other, whose cache held the token, 50 ms later; with
 * Redis hung or stopped, both answer from the database and refuse every revoked token.
 */
describe('two instances sharing PostgreSQL and Redis', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let a: INestApplication;
  let b: INestApplication;
  const clock = new ManualClock(new Date());

  const me = (app: INestApplication, token: string) =>
    request(app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`);
  const login = async (client = 'web') =>
    (
      await request(a.getHttpServer())
        .post('/auth/login')
        .send({ username: 'alice', password: 'correct horse', client })
        .expect(201)
    ).body as { token: string; id: string };
  /** An API key made on A by the session `token`. */
  const apiKey = async (token: string, name: string, extra: Record<string, unknown> = {}) =>
    (
      await request(a.getHttpServer())
        .post('/auth/api-keys')
        .set('Authorization', `Bearer ${token}`)
        .send({ name, password: 'correct horse', ...extra })
        .expect(201)
    ).body as { token: string; id: string };
  const storeOf = (app: INestApplication) => app.get<TokenStore>(TokenStore) as CachedTokenStore;
  const healthy = (app: INestApplication) =>
    (storeOf(app) as unknown as { bus: { isHealthy(): boolean } }).bus.isHealthy();

  /** Whether `app`'s cache may answer now (its Redis link heard lately and its journal polled lately). */
  const trusted = (app: INestApplication) => (storeOf(app) as unknown as { trusted(): boolean }).trusted();

  /**
   * Uses the token on `app` until its cache answers it without a store query. On a loaded machine a
   * first use may rightly not be cached (a missed heartbeat, an overdue journal poll, or an eviction
   * elsewhere that bumped the cache's generation while the row was read), so this retries for up to
   * 10 s; a cache that never answers fails the precondition.
   */
  async function warm(app: INestApplication, token: string): Promise<void> {
    await me(app, token).expect(200);
    const deadline = Date.now() + 10_000;
    for (;;) {
      expect(await within(5000, () => trusted(app))).toBe(true);
      const lookups = jest.spyOn(storeOf(app).inner, 'findByDigest');
      await me(app, token).expect(200);
      const fromStore = lookups.mock.calls.length;
      lookups.mockRestore();
      if (fromStore === 0) return;
      if (Date.now() > deadline) expect(fromStore).toBe(0); // never once from the cache: a fault
      await me(app, token).expect(200);
    }
  }

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    const config = loadDemoConfig({
      DATABASE_URL: await postgres.createDatabase(),
      REDIS_URL: redis.url,
      DEFAULT_THROTTLE_RATE: '3/m',
      AUTH_CLIENTS: JSON.stringify([...DEFAULT_CLIENTS, ROTATING_CLIENT]),
    });
    a = await startDemoApp(config, clock);
    b = await startDemoApp(config, clock);
    await request(a.getHttpServer()).post('/users').send({ username: 'alice', password: 'correct horse' }).expect(201);
    expect(await within(2000, () => healthy(a) && healthy(b))).toBe(true);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
    postgres?.stop();
  });

  it('a token revoked through A is refused by B 50 ms later, though B had it cached', async () => {
    const laptop = await login();
    await warm(b, laptop.token);
    await request(a.getHttpServer()).post('/auth/logout').set('Authorization', `Bearer ${laptop.token}`).expect(204);
    await wait(50);
    await me(b, laptop.token).expect(401);
  });

  it('logout-all on B ends the sessions warm on A', async () => {
    const [laptop, phone] = [await login('web'), await login('mobile')];
    await warm(a, laptop.token);
    await warm(a, phone.token);
    await request(b.getHttpServer()).post('/auth/logout-all').set('Authorization', `Bearer ${phone.token}`).expect(204);
    await wait(50);
    await me(a, laptop.token).expect(401);
    await me(a, phone.token).expect(401);
  });

  it('an API key paused through B answers 401 key_disabled on A 50 ms later, though A had it cached; resumed, it works', async () => {
    const session = await login('web');
    const key = await apiKey(session.token, 'paused on B');
    await warm(a, key.token);
    const pause = (enabled: boolean) =>
      request(b.getHttpServer())
        .patch(`/auth/api-keys/${key.id}`)
        .set('Authorization', `Bearer ${session.token}`)
        .send({ enabled })
        .expect(200);
    await pause(false);
    await wait(50);
    expect((await me(a, key.token).expect(401)).body).toMatchObject({ code: 'key_disabled' });
    await pause(true);
    await wait(50);
    await me(a, key.token).expect(200);
  });

  it('a 3/m rate limit holds across both instances', async () => {
    const { token } = await login('cli');
    const throttled = (app: INestApplication) =>
      request(app.getHttpServer()).get('/throttled').set('Authorization', `Bearer ${token}`);
    expect((await throttled(a)).headers['x-ratelimit-remaining']).toBe('2');
    expect((await throttled(b)).headers['x-ratelimit-remaining']).toBe('1');
    expect((await throttled(a)).headers['x-ratelimit-remaining']).toBe('0');
    const limited = await throttled(b).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it("an API key's own rateLimit is one budget on both instances, on any route; lowered through B, A applies it at once", async () => {
    const session = await login('web');
    const key = await apiKey(session.token, 'limited', { rateLimit: '3/m' });
    const remaining = async (app: INestApplication, status = 200) =>
      (await me(app, key.token).expect(status)).headers['x-ratelimit-remaining-key'];
    expect(await remaining(a)).toBe('2');
    expect(await remaining(b)).toBe('1');
    expect(await remaining(a)).toBe('0');
    const limited = await me(b, key.token).expect(429);
    expect(limited.body).toMatchObject({ code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // A second key, warm on A, gets a tighter limit through B: A's cached copy is evicted.
    const other = await apiKey(session.token, 'lowered', { rateLimit: '100/m' });
    await warm(a, other.token);
    await request(b.getHttpServer())
      .patch(`/auth/api-keys/${other.id}`)
      .set('Authorization', `Bearer ${session.token}`)
      .send({ rateLimit: '1/h' })
      .expect(200);
    await wait(50);
    expect((await me(a, other.token).expect(200)).headers['x-ratelimit-limit-key']).toBe('1');
    await me(a, other.token).expect(429);
  });

  it('a refresh rotation on A reaches B, whose cache held the old token; its reuse on B after the grace ends the family on A too', async () => {
    const first = await login('rotating');
    await warm(b, first.token);
    const next = (
      await request(a.getHttpServer()).post('/auth/refresh').set('Authorization', `Bearer ${first.token}`).expect(200)
    ).body as { token: string; id: string };
    await warm(a, next.token);
    await wait(50);
    await me(b, first.token).expect(200); // within the grace, read again with it
    clock.advance(5_000);
    expect((await me(b, first.token).expect(401)).body).toMatchObject({ code: 'token_reused' });
    await wait(50);
    await me(a, next.token).expect(401);
    await me(b, next.token).expect(401);
  });

  it("an API key's usage is counted on both instances and written as one total (PostgreSQL upsert)", async () => {
    const session = await login('web');
    const key = await apiKey(session.token, 'counted');
    await me(a, key.token).expect(200);
    await me(a, key.token).expect(200);
    await me(b, key.token).expect(200);
    await Promise.all([a.get(TokenUsageCounter).flush(), b.get(TokenUsageCounter).flush()]);
    await a.get(TokenUsageCounter).flush(); // nothing left: adds nothing
    const usage = await request(b.getHttpServer())
      .get(`/auth/api-keys/${key.id}/usage?days=1`)
      .set('Authorization', `Bearer ${session.token}`)
      .expect(200);
    expect(usage.body).toMatchObject({ total: 3, refused: 0, days: [{ requests: 3, refused: 0 }] });
  });

  it('password attempts are counted across both instances: 5 wrong on A and 5 on B, then 429 on either', async () => {
    await request(a.getHttpServer())
      .post('/users')
      .send({ username: 'guessed', password: 'correct horse' })
      .expect(201);
    const attempt = (app: INestApplication, password: string) =>
      request(app.getHttpServer()).post('/auth/login').send({ username: 'guessed', password, client: 'web' });
    for (let i = 0; i < 5; i++) {
      await attempt(a, 'wrong').expect(401);
      await attempt(b, 'wrong').expect(401);
    }
    await attempt(a, 'correct horse').expect(429);
    await attempt(b, 'correct horse').expect(429);
  });

  it.each([
    ['hung (SIGSTOP)', () => Promise.resolve(redis.pause()), () => Promise.resolve(redis.resume())],
    ['stopped', () => redis.stop(), () => redis.restart()],
  ])(
    'Redis %s: answers come from the database, nothing revoked is accepted, the cache returns after',
    async (_how, fail, recover) => {
      const [laptop, phone] = [await login('web'), await login('mobile')];
      await warm(b, laptop.token);
      await warm(b, phone.token);
      await fail();
      try {
        await wait(1000); // the bus must have noticed within 1 s
        expect(healthy(b)).toBe(false);
        const started = Date.now();
        await request(a.getHttpServer())
          .post('/auth/logout')
          .set('Authorization', `Bearer ${laptop.token}`)
          .expect(204);
        expect(Date.now() - started).toBeLessThan(1000); // a revocation never waits on Redis
        await me(b, laptop.token).expect(401); // B's cache had it, but B no longer trusts its cache
        const lookups = jest.spyOn(storeOf(b).inner, 'findByDigest');
        await me(b, phone.token).expect(200);
        expect(lookups).toHaveBeenCalledTimes(1); // from the database
        lookups.mockRestore();
      } finally {
        await recover();
      }
      expect(await within(5000, () => healthy(b))).toBe(true);
      await warm(b, phone.token); // the cache is used again
    },
    30_000,
  );
});
