import type { INestApplication } from '@nestjs/common';
import { ManualClock, ScryptPasswordHasher, StoreTimeoutError, TokenService } from 'nestjs-multi-token-auth';
import { Client } from 'pg';
import request from 'supertest';
import { loadDemoConfig } from '../apps/demo/src/config/demo.config';
import { createDemoApp } from '../apps/demo/src/demo.app';
import { startPostgres, type PostgresServer } from '../libs/multi-token-auth/src/testing/postgres.server';
import { CapturingLogger } from './support/capturing.logger';

/** The demo's `databaseTimeout` here (DATABASE_TIMEOUT=0.3), and what an answer may take beyond it. */
const BOUND_MS = 300;
const MARGIN_MS = 700;

const UNAVAILABLE = {
  statusCode: 503,
  message: 'Authentication is temporarily unavailable.',
  error: 'Service Unavailable',
  code: 'auth_unavailable',
};

/**
 * PostgreSQL hung (every server process SIGSTOPped: sockets open, nothing answers, new connections
 * accepted by the kernel and never greeted). The demo's pool has no timeouts of its own, so the
 * bound comes from the library: every request that needs the database answers 503 within
 * `databaseTimeout`, a section that timed out is rolled back (not applied once the server resumes),
 * and after SIGCONT everything works again without a restart.
 */
describe('PostgreSQL hung (SIGSTOP)', () => {
  let postgres: PostgresServer;
  let app: INestApplication;
  let sql: Client;
  const logs = new CapturingLogger();
  const http = () => request(app.getHttpServer());
  const login = async (client: string) =>
    (await http().post('/auth/login').send({ username: 'alice', password: 'correct horse', client }).expect(201))
      .body as { token: string; id: string; user: { id: number } };
  const timed = async <T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> => {
    const started = performance.now();
    const result = await work();
    return { ms: performance.now() - started, result };
  };
  const tokenIds = async (userId: number) =>
    (await sql.query<{ id: string }>('SELECT id FROM auth_tokens WHERE user_id = $1 ORDER BY id', [userId])).rows.map(
      (row) => row.id,
    );
  /** Until the work abandoned at the deadline has finished on the resumed server (committed or rolled back). */
  const settled = async () => {
    for (let tries = 0; tries < 100; tries++) {
      const { rows } = await sql.query<{ busy: string }>(
        "SELECT count(*) AS busy FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'",
      );
      if (Number(rows[0]?.busy) === 0) return;
      await new Promise((wait) => setTimeout(wait, 50));
    }
    throw new Error('the resumed server still has work in flight after 5 s');
  };

  beforeAll(async () => {
    postgres = await startPostgres();
    const url = await postgres.createDatabase();
    const config = loadDemoConfig({ DATABASE_URL: url, TRUST_PROXY: '1', DATABASE_TIMEOUT: String(BOUND_MS / 1000) });
    app = await createDemoApp(config, {
      logger: logs,
      clock: new ManualClock(),
      hasher: new ScryptPasswordHasher(2 ** 10),
    });
    await app.init();
    await http().post('/users').send({ username: 'alice', password: 'correct horse' }).expect(201);
    sql = new Client({ connectionString: url });
    await sql.connect();
  }, 60_000);
  afterAll(async () => {
    postgres?.resume();
    await sql?.end();
    await app?.close();
    postgres?.stop();
  });

  it('answers 503 within databaseTimeout to every request that needs the database, applies nothing late, and recovers', async () => {
    const cold = await login('web'); // never used: not in the cache
    const victim = await login('mobile');
    await http().get('/me').set('Authorization', `Bearer ${victim.token}`).expect(200); // cached
    const userId = victim.user.id;
    const before = await tokenIds(userId);
    expect(before).toEqual([cold.id, victim.id].sort());
    const tokens = app.get(TokenService);

    postgres.pause();
    let answers: { ms: number; result: request.Response }[];
    let direct: { ms: number; result: unknown }[];
    try {
      // More requests than the pool has connections (10): the later ones wait for a connection, not a query.
      const requests = [
        () =>
          http()
            .post('/auth/login')
            .set('X-Forwarded-For', '10.0.0.1')
            .send({ username: 'alice', password: 'correct horse', client: 'cli' }),
        () => http().post('/auth/logout').set('Authorization', `Bearer ${victim.token}`),
        ...Array.from({ length: 14 }, () => () => http().get('/me').set('Authorization', `Bearer ${cold.token}`)),
      ];
      // And the service itself: an issue and a revocation, each a locked section (a transaction on PostgreSQL).
      const calls = [
        () => tokens.issue(userId, { client: 'web' }).catch((error: unknown) => error),
        () => tokens.revoke(userId, victim.id).catch((error: unknown) => error),
      ];
      [answers, direct] = await Promise.all([
        Promise.all(requests.map((send) => timed(async () => await send()))),
        Promise.all(calls.map((call) => timed(call))),
      ]);
    } finally {
      postgres.resume();
    }

    for (const { ms, result } of answers) {
      expect({ status: result.status, body: result.body as unknown }).toEqual({ status: 503, body: UNAVAILABLE });
      expect(result.text).not.toMatch(/SELECT|INSERT|DELETE|at .*\.js|timeout/);
      expect(ms).toBeLessThan(BOUND_MS + MARGIN_MS);
    }
    for (const { ms, result } of direct) {
      expect(result).toBeInstanceOf(StoreTimeoutError);
      expect(ms).toBeGreaterThanOrEqual(BOUND_MS - 5);
      expect(ms).toBeLessThan(BOUND_MS + MARGIN_MS);
    }
    // Logged as an outage, by message only: no stack, no 500.
    expect(logs.lines.some((line) => /did not answer within 300 ms/.test(line))).toBe(true);
    expect(logs.lines.filter((line) => /unexpected error|Internal|\n\s+at /.test(line))).toEqual([]);

    // Once resumed, what timed out is rolled back, not applied behind the 503s: the revocations
    // revoked nothing, the issue and the login left no token.
    await settled();
    expect(await tokenIds(userId)).toEqual(before);

    // Recovered without a restart: the pool's connections were answered and are usable again.
    await http().get('/me').set('Authorization', `Bearer ${cold.token}`).expect(200);
    await http().get('/me').set('Authorization', `Bearer ${victim.token}`).expect(200);
    const again = await login('cli');
    await http().post('/auth/logout').set('Authorization', `Bearer ${victim.token}`).expect(204);
    await http().get('/me').set('Authorization', `Bearer ${victim.token}`).expect(401);
    expect(await tokenIds(userId)).toEqual([cold.id, again.id].sort());
  }, 60_000);
});
