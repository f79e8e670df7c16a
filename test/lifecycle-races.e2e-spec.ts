import type { INestApplication } from '@nestjs/common';
import { ManualClock } from 'nestjs-multi-token-auth';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DEFAULT_CLIENTS, loadDemoConfig } from '../apps/demo/src/config/demo.config';
import { startPostgres, type PostgresServer } from '../libs/multi-token-auth/src/testing/postgres.server';
import { startRedis, type RedisServer } from '../libs/multi-token-auth/src/testing/redis.server';
import { fetchAtOnce, listening } from './support/at-once';
import { ROTATING_CLIENT, startDemoApp } from './support/demo-app';
import { TokenQuotaKeeper } from '../libs/multi-token-auth/src/services/tokens/token-quota.keeper';

const ROUNDS = 5;

/**
 * Races of a credential's life between two instances on one PostgreSQL and one Redis, each
 * started on both at once, several rounds: exactly one winner, a clean 4xx for the loser, never a
 * 500, and stored rows that agree with the answers.
 */
describe('lifecycle races between two instances (PostgreSQL, Redis)', () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  let a: INestApplication;
  let b: INestApplication;

  const http = (app: INestApplication) => request(app.getHttpServer());
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const login = async (client: string) =>
    (await http(a).post('/auth/login').send({ username: 'alice', password: 'correct horse', client }).expect(201))
      .body as { token: string; id: string };
  const apiKey = async (session: string, name: string, extra: Record<string, unknown> = {}) =>
    (
      await http(a)
        .post('/auth/api-keys')
        .set(bearer(session))
        .send({ name, password: 'correct horse', ...extra })
        .expect(201)
    ).body as { token: string; id: string };
  const rows = async (ids: string[]) =>
    (await a
      .get(DataSource)
      .query<{ id: string; replaced_by: string | null }[]>(
        'SELECT "id", "replaced_by" FROM "auth_tokens" WHERE "id" = ANY($1)',
        [ids],
      )) ?? [];
  const family = async (familyId: string) =>
    a
      .get(DataSource)
      .query<{ id: string }[]>('SELECT "id" FROM "auth_tokens" WHERE "id" = $1 OR "family_id" = $1', [familyId]);

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    const config = loadDemoConfig({
      DATABASE_URL: await postgres.createDatabase(),
      REDIS_URL: redis.url,
      AUTH_CLIENTS: JSON.stringify([...DEFAULT_CLIENTS, ROTATING_CLIENT]),
    });
    const clock = new ManualClock(new Date());
    a = await startDemoApp(config, clock);
    b = await startDemoApp(config, clock);
    await http(a).post('/users').send({ username: 'alice', password: 'correct horse' }).expect(201);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
    postgres?.stop();
  });

  it('refresh vs refresh of one token on A and B: one successor, the other a clean 401 token_rotated', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const first = await login('rotating');
      const answers = await Promise.all([
        http(a).post('/auth/refresh').set(bearer(first.token)),
        http(b).post('/auth/refresh').set(bearer(first.token)),
      ]);
      expect(answers.map((res) => res.status).sort()).toEqual([200, 401]);
      const loser = answers.find((res) => res.status === 401);
      expect(loser?.body).toMatchObject({ code: 'token_rotated' });
      const winner = answers.find((res) => res.status === 200)?.body as { token: string; id: string };
      expect((await family(first.id)).map((row) => row.id).sort()).toEqual([first.id, winner.id].sort());
      await http(b).get('/me').set(bearer(winner.token)).expect(200);
    }
  });

  it('a key reported leaked on A, cached on B: B refuses it 50 ms later; reported on both at once, no 500', async () => {
    const session = await login('web');
    for (let round = 0; round < ROUNDS; round++) {
      const key = await apiKey(session.token, `leaked ${round}`);
      await http(b).get('/me').set(bearer(key.token)).expect(200); // cached on B
      if (round % 2 === 0) {
        await http(a)
          .post('/auth/credentials/revoke')
          .send({ credentials: [key.token] })
          .expect(202);
      } else {
        const answers = await Promise.all(
          [a, b].map((app) =>
            http(app)
              .post('/auth/credentials/revoke')
              .send({ credentials: [key.token] }),
          ),
        );
        expect(answers.map((res) => res.status)).toEqual([202, 202]);
      }
      // As for any revocation between instances: through Redis within milliseconds (multi-instance.e2e-spec).
      await new Promise((wait) => setTimeout(wait, 50));
      await http(b).get('/me').set(bearer(key.token)).expect(401);
      expect(await rows([key.id])).toEqual([]);
    }
  });

  it('roll vs roll of one key on A and B: one new key, the other 409 api_key_rolled', async () => {
    const session = await login('web');
    for (let round = 0; round < ROUNDS; round++) {
      const key = await apiKey(session.token, `rolled twice ${round}`);
      const roll = (app: INestApplication) =>
        http(app)
          .post(`/auth/api-keys/${key.id}/roll`)
          .set(bearer(session.token))
          .send({ password: 'correct horse', overlapSeconds: 3600 });
      const answers = await Promise.all([roll(a), roll(b)]);
      expect(answers.map((res) => res.status).sort()).toEqual([201, 409]);
      expect(answers.find((res) => res.status === 409)?.body).toMatchObject({ code: 'api_key_rolled' });
      const rolled = answers.find((res) => res.status === 201)?.body as { id: string };
      expect(await rows([key.id])).toEqual([{ id: key.id, replaced_by: rolled.id }]);
    }
  });

  it('roll (no overlap) vs revoke of one key on A and B: never a 500, never two keys left', async () => {
    const session = await login('web');
    for (let round = 0; round < ROUNDS; round++) {
      const key = await apiKey(session.token, `rolled and revoked ${round}`);
      const [rolled, revoked] = await Promise.all([
        http(a).post(`/auth/api-keys/${key.id}/roll`).set(bearer(session.token)).send({ password: 'correct horse' }),
        http(b).delete(`/auth/api-keys/${key.id}`).set(bearer(session.token)),
      ]);
      // Either the revoke came first (the roll finds no key), or the roll did (the revoke finds none).
      expect([
        [201, 404],
        [404, 204],
      ]).toContainEqual([rolled.status, revoked.status]);
      expect(await rows([key.id])).toEqual([]);
      if (rolled.status === 201) {
        const next = rolled.body as { id: string; token: string };
        expect(await rows([next.id])).toEqual([{ id: next.id, replaced_by: null }]);
        await http(a).get('/me').set(bearer(next.token)).expect(200);
      }
      await http(a).get('/me').set(bearer(key.token)).expect(401);
    }
  });

  it('quota: 50 requests at once on A and B for the last 10 units: exactly 10 served, and 0 stored once both write', async () => {
    const session = await login('web');
    const urls = [await listening(a), await listening(b)];
    for (let round = 0; round < ROUNDS; round++) {
      const key = await apiKey(session.token, `quota race ${round}`, { quota: { limit: 15 } });
      for (let i = 0; i < 5; i++)
        await http(i % 2 ? a : b)
          .get('/me')
          .set(bearer(key.token))
          .expect(200);
      const { statuses, answers } = await fetchAtOnce(50, (i) => `${urls[i % 2]}/me`, { headers: bearer(key.token) });
      expect(statuses.filter((status) => status === 200)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(40);
      expect(await answers.find((res) => res.status === 429)?.json()).toMatchObject({ code: 'quota_exhausted' });
      // Each instance writes the newest balance it saw, in either order: the newer one stays.
      await Promise.all([a.get(TokenQuotaKeeper).flush(), b.get(TokenQuotaKeeper).flush()]);
      const [row] = await a
        .get(DataSource)
        .query<{ quota_remaining: number; quota_seq: string }[]>(
          'SELECT "quota_remaining", "quota_seq" FROM "auth_tokens" WHERE "id" = $1',
          [key.id],
        );
      expect(row).toEqual({ quota_remaining: 0, quota_seq: '15' });
    }
  });

  it('quota: a change through B holds on A, where the key was cached, on the next request', async () => {
    const session = await login('web');
    const key = await apiKey(session.token, 'quota change', { quota: { limit: 100 } });
    expect((await http(a).get('/me').set(bearer(key.token)).expect(200)).headers['x-quota-remaining']).toBe('99');
    await http(b)
      .patch(`/auth/api-keys/${key.id}`)
      .set(bearer(session.token))
      .send({ quota: { limit: 1 } })
      .expect(200);
    // Redis carries the eviction at once; the answer is polled only as real time passes.
    const deadline = Date.now() + 2000;
    let res = await http(a).get('/me').set(bearer(key.token));
    while (res.headers['x-quota-limit'] !== '1' && Date.now() < deadline) {
      res = await http(a).get('/me').set(bearer(key.token));
    }
    expect(res.status).toBe(200);
    expect(res.headers['x-quota-limit']).toBe('1');
    await http(a).get('/me').set(bearer(key.token)).expect(429);
    await http(b).get('/me').set(bearer(key.token)).expect(429);
  });
});
