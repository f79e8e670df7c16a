import type { INestApplication } from '@nestjs/common';
import { ManualClock, ScryptPasswordHasher } from 'nestjs-multi-token-auth';
import request from 'supertest';
import { loadDemoConfig } from '../apps/demo/src/config/demo.config';
import { createDemoApp } from '../apps/demo/src/demo.app';
import { startPostgres, type PostgresServer } from '../libs/multi-token-auth/src/testing/postgres.server';
import { CapturingLogger } from './support/capturing.logger';

/**
 * PostgreSQL stopped under load: every answer is a short 503 or a token verified before the outage
 * (served by the cache until the revocation journal has been unreadable for 800 ms), never a 500, a
 * stack or SQL; and the app recovers by itself when the database is back.
 */
describe('PostgreSQL stopped under load', () => {
  let postgres: PostgresServer;
  let app: INestApplication;
  const logs = new CapturingLogger();
  const me = (token: string) => request(app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`);
  const login = async (client: string) =>
    (
      await request(app.getHttpServer())
        .post('/auth/login')
        .send({ username: 'alice', password: 'correct horse', client })
        .expect(201)
    ).body as { token: string };

  beforeAll(async () => {
    postgres = await startPostgres();
    const config = loadDemoConfig({ DATABASE_URL: await postgres.createDatabase(), TRUST_PROXY: '1' });
    app = await createDemoApp(config, {
      logger: logs,
      clock: new ManualClock(),
      hasher: new ScryptPasswordHasher(2 ** 10),
    });
    await app.init();
    await request(app.getHttpServer())
      .post('/users')
      .send({ username: 'alice', password: 'correct horse' })
      .expect(201);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    postgres?.stop();
  });

  it('answers 503 (short JSON) or a pre-verified token under load, and recovers when the database returns', async () => {
    const cold = await login('web'); // never used: not in the cache
    const warm = await login('mobile');
    for (let i = 0; i < 3; i++) await me(warm.token).expect(200);

    const load = Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2
          ? me(cold.token)
          : request(app.getHttpServer()).post('/auth/login').set('X-Forwarded-For', `10.0.0.${i}`).send({
              username: 'alice',
              password: 'correct horse',
              client: 'cli',
            })
        ).then((res) => ({ status: res.status, body: res.body as unknown, text: res.text })),
      ),
    );
    postgres.halt();
    const answers = await load;
    try {
      for (const answer of answers) expect([200, 201, 503]).toContain(answer.status);
      const unavailable = answers.filter((answer) => answer.status === 503);
      for (const answer of unavailable) {
        expect(answer.body).toEqual({
          statusCode: 503,
          message: 'Authentication is temporarily unavailable.',
          error: 'Service Unavailable',
          code: 'auth_unavailable',
        });
        expect(answer.text).not.toMatch(/SELECT|INSERT|at .*\.js|ECONNREFUSED/);
      }
      // Now certainly down: the cold token cannot be verified, so it is not accepted.
      const res = await me(cold.token).expect(503);
      expect(res.body).toMatchObject({ code: 'auth_unavailable' });
      // The cache answers only while it can show it has read the revocation journal (polled every
      // 200 ms): once that has failed for 800 ms, the warm token needs the database too.
      const deadline = Date.now() + 1500;
      let warmStatus = 200;
      while (warmStatus === 200 && Date.now() < deadline) warmStatus = (await me(warm.token)).status;
      expect(warmStatus).toBe(503);
    } finally {
      postgres.restart();
    }
    // Recovery without a restart of the app: the pool reconnects on the next queries.
    let recovered = 0;
    for (let tries = 0; tries < 50 && recovered !== 200; tries++) {
      recovered = (await me(cold.token)).status;
      if (recovered !== 200) await new Promise((wait) => setTimeout(wait, 100));
    }
    expect(recovered).toBe(200);
    await login('cli');
  }, 60_000);
});
