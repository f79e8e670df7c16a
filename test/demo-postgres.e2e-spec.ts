import { createHash } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { ManualClock, ScryptPasswordHasher } from 'nestjs-multi-token-auth';
import { Client } from 'pg';
import request from 'supertest';
import { loadDemoConfig } from '../apps/demo/src/config/demo.config';
import { createDemoApp } from '../apps/demo/src/demo.app';
import { startPostgres, type PostgresServer } from '../libs/multi-token-auth/src/testing/postgres.server';
import { CapturingLogger } from './support/capturing.logger';

interface Row {
  id: string;
  user_id: number;
  digest: string;
  expires_at: Date | null;
}

describe('the demo on PostgreSQL (DATABASE_URL=postgres://…)', () => {
  let server: PostgresServer;
  let app: INestApplication;
  let db: Client;
  const clock = new ManualClock(new Date());
  const http = () => request(app.getHttpServer());
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const login = async (client: string) =>
    (await http().post('/auth/login').send({ username: 'alice', password: 'correct horse', client }).expect(201))
      .body as { token: string; id: string; user: { id: number } };
  const rows = async () => (await db.query<Row>('SELECT * FROM auth_tokens ORDER BY created_at')).rows;

  beforeAll(async () => {
    server = await startPostgres();
    const url = await server.createDatabase();
    const config = loadDemoConfig({ DATABASE_URL: url, TRUST_PROXY: '1' });
    app = await createDemoApp(config, {
      logger: new CapturingLogger(),
      clock,
      hasher: new ScryptPasswordHasher(2 ** 10),
    });
    await app.init();
    db = new Client({ connectionString: url });
    await db.connect();
    await http().post('/users').send({ username: 'alice', password: 'correct horse' }).expect(201);
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    await app?.close();
    server?.stop();
  });

  it('two devices: both work, logging one out leaves the other; only digests are stored', async () => {
    const laptop = await login('web');
    const phone = await login('mobile');
    await http().get('/me').set(auth(laptop.token)).expect(200);
    await http().get('/me').set(auth(phone.token)).expect(200);
    const stored = await rows();
    expect(stored.map((row) => row.digest).sort()).toEqual(
      [laptop.token, phone.token].map((token) => createHash('sha256').update(token).digest('hex')).sort(),
    );
    expect(stored.find((row) => row.id === laptop.id)?.expires_at?.getTime()).toBe(clock.now().getTime() + 86_400_000);
    await http().post('/auth/logout').set(auth(laptop.token)).expect(204);
    await http().get('/me').set(auth(laptop.token)).expect(401);
    await http().get('/me').set(auth(phone.token)).expect(200);
    expect((await rows()).map((row) => row.id)).toEqual([phone.id]);
    await http().post('/auth/logout-all').set(auth(phone.token)).expect(204);
    expect(await rows()).toEqual([]);
  });

  it('50 simultaneous kiosk logins leave exactly one valid token and no 5xx', async () => {
    const responses = await Promise.all(
      // From 50 addresses, as 50 devices would be: one client may only queue a few password checks.
      Array.from({ length: 50 }, (_, i) =>
        http()
          .post('/auth/login')
          .set('X-Forwarded-For', `10.0.0.${i}`)
          .send({ username: 'alice', password: 'correct horse', client: 'kiosk' }),
      ),
    );
    expect(responses.map((res) => res.status)).toEqual(Array(50).fill(201));
    const stored = await rows();
    expect(stored).toHaveLength(1);
    await http()
      .get('/me')
      .set(auth((responses.find((res) => res.body.id === stored[0].id)?.body as { token: string }).token))
      .expect(200);
  });

  it('sessions, API keys and expiry behave as on SQLite', async () => {
    const web = await login('web');
    const key = await http()
      .post('/auth/api-keys')
      .set(auth(web.token))
      .send({ name: 'ci', expiresInDays: 1, password: 'correct horse' })
      .expect(201);
    await http()
      .post('/auth/api-keys')
      .set(auth(web.token))
      .send({ name: 'ci', password: 'correct horse' })
      .expect(409);
    const sessions = await http().get('/auth/sessions').set(auth(web.token)).expect(200);
    expect((sessions.body as { id: string }[]).map((s) => s.id)).toEqual(expect.arrayContaining([web.id, key.body.id]));
    await http().delete(`/auth/sessions/${key.body.id}`).set(auth(web.token)).expect(204);
    await http().get('/me').set(auth(key.body.token)).expect(401);
    clock.advance(86_400_000);
    const res = await http().get('/me').set(auth(web.token)).expect(401);
    expect(res.body.message).toBe('Token has expired.');
  });
});
