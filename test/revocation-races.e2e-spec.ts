import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import { ManualClock } from 'nestjs-multi-token-auth';
import { Client } from 'pg';
import request from 'supertest';
import { loadDemoConfig } from '../apps/demo/src/config/demo.config';
import { createDemoApp } from '../apps/demo/src/demo.app';
import { startPostgres } from '../libs/multi-token-auth/src/testing/postgres.server';
import { CapturingLogger } from './support/capturing.logger';
import { HeldHasher } from './support/held.hasher';

interface Setup {
  /** Where the attacker's requests go. */
  a: INestApplication;
  /** Where the victim's go: another instance on PostgreSQL, the same one on SQLite. */
  b: INestApplication;
  hasher: HeldHasher;
  /** Ids of the stored tokens of user 1, read straight from the database. */
  storedIds(): Promise<string[]>;
  close(): Promise<void>;
}

async function demoApps(databaseUrl: string, instances: number) {
  const hasher = new HeldHasher();
  // Racing requests come from many addresses, as from many devices (one client may only queue a few).
  const config = loadDemoConfig({ DATABASE_URL: databaseUrl, TRUST_PROXY: '1' });
  const apps: INestApplication[] = [];
  for (let i = 0; i < instances; i++) {
    const app = await createDemoApp(config, { logger: new CapturingLogger(), clock: new ManualClock(), hasher });
    await app.init();
    apps.push(app);
  }
  return { hasher, apps };
}

async function onSqlite(): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'mta-race-'));
  const file = join(dir, 'demo.sqlite');
  const { hasher, apps } = await demoApps(`sqlite:${file}`, 1);
  const db = new Database(file, { readonly: true });
  return {
    a: apps[0],
    b: apps[0],
    hasher,
    storedIds: () =>
      Promise.resolve(
        (db.prepare('SELECT id FROM auth_tokens WHERE user_id = 1').all() as { id: string }[]).map((r) => r.id).sort(),
      ),
    close: async () => {
      db.close();
      await apps[0].close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function onPostgres(): Promise<Setup> {
  const server = await startPostgres();
  const url = await server.createDatabase();
  const { hasher, apps } = await demoApps(url, 2);
  const db = new Client({ connectionString: url });
  await db.connect();
  return {
    a: apps[0],
    b: apps[1],
    hasher,
    storedIds: async () =>
      (await db.query<{ id: string }>('SELECT id FROM auth_tokens WHERE user_id = 1')).rows.map((r) => r.id).sort(),
    close: async () => {
      await db.end();
      for (const app of apps) await app.close();
      server.stop();
    },
  };
}

const PASSWORD = 'correct horse';
const NEW_PASSWORD = 'battery staple';

/**
 * Revocation nobody escapes: once logout-all, "log out everywhere else", a password change or a
 * deactivation has answered, nothing issued from the old credentials or from an ended session works,
 * however the requests interleave — on SQLite, and on PostgreSQL with two app instances.
 */
describe.each([
  ['SQLite', onSqlite],
  ['PostgreSQL, two instances', onPostgres],
])('revocation races on %s', (_name, start) => {
  let s: Setup;
  beforeEach(async () => {
    s = await start();
    await request(s.a.getHttpServer()).post('/users').send({ username: 'alice', password: PASSWORD }).expect(201);
  }, 60_000);
  afterEach(() => s.close());

  let address = 0;
  const from = () => `10.0.${Math.floor(++address / 250)}.${address % 250}`;
  const login = (app: INestApplication, password = PASSWORD, client = 'web') =>
    request(app.getHttpServer())
      .post('/auth/login')
      .set('X-Forwarded-For', from())
      .send({ username: 'alice', password, client });
  const as = (app: INestApplication, token: string) => ({
    get: (path: string) => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string, body: object = {}) =>
      request(app.getHttpServer())
        .post(path)
        .set('Authorization', `Bearer ${token}`)
        .set('X-Forwarded-For', from())
        .send(body),
    delete: (path: string) => request(app.getHttpServer()).delete(path).set('Authorization', `Bearer ${token}`),
  });
  const changePassword = (app: INestApplication, token: string) =>
    as(app, token).post('/users/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });

  it('a login that checked the old password during a password change gets 401 credentials_changed, and no token', async () => {
    const victim = (await login(s.b).expect(201)).body as { token: string; id: string };
    const held = s.hasher.holdNextVerify();
    const attack = login(s.a).then((res) => res);
    await held.entered;
    await changePassword(s.b, victim.token).expect(204);
    held.release();
    const res = await attack;
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'credentials_changed' });
    expect(await s.storedIds()).toEqual([victim.id]);
  });

  it('a login that checked the password while the account was deactivated gets 401 and no token', async () => {
    const victim = (await login(s.b).expect(201)).body as { token: string };
    const held = s.hasher.holdNextVerify();
    const attack = login(s.a).then((res) => res);
    await held.entered;
    await as(s.b, victim.token).post('/users/me/deactivate', { password: PASSWORD }).expect(204);
    held.release();
    expect((await attack).status).toBe(401);
    expect(await s.storedIds()).toEqual([]);
  });

  it.each([
    ['logout-all', (app: INestApplication, token: string) => as(app, token).post('/auth/logout-all')],
    ['log out everywhere else', (app: INestApplication, token: string) => as(app, token).delete('/auth/sessions')],
    ['a password change', changePassword],
    [
      'the victim ends that one session',
      (app: INestApplication, token: string, stolenId: string) => as(app, token).delete(`/auth/sessions/${stolenId}`),
    ],
  ])('an API key minted from a stolen session while %s runs gets 401 session_ended, and no key', async (_c, end) => {
    const stolen = (await login(s.a).expect(201)).body as { token: string; id: string };
    const victim = (await login(s.b).expect(201)).body as { token: string; id: string };
    const held = s.hasher.holdNextVerify();
    const mint = as(s.a, stolen.token)
      .post('/auth/api-keys', { name: 'escape', password: PASSWORD })
      .then((res) => res);
    await held.entered;
    await end(s.b, victim.token, stolen.id).expect(204);
    held.release();
    const res = await mint;
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'session_ended' });
    const remaining = await s.storedIds();
    expect(remaining).not.toContain(stolen.id);
    expect(remaining.every((id) => id === victim.id)).toBe(true);
  });

  it('40 concurrent key mints from a stolen session racing logout-all leave no key that works', async () => {
    const stolen = (await login(s.a).expect(201)).body as { token: string; id: string };
    const victim = (await login(s.b).expect(201)).body as { token: string };
    const mints = Array.from({ length: 40 }, (_, i) =>
      as(s.a, stolen.token).post('/auth/api-keys', { name: `k${i}`, password: PASSWORD }),
    );
    const [responses] = await Promise.all([
      Promise.all(mints.map((m) => m.then((res) => res))),
      new Promise((done) => setTimeout(done, 5)).then(() => as(s.b, victim.token).post('/auth/logout-all').expect(204)),
    ]);
    expect(responses.every((res) => [201, 401].includes(res.status))).toBe(true);
    expect(await s.storedIds()).toEqual([]);
    for (const res of responses.filter((r) => r.status === 201)) {
      await as(s.b, (res.body as { token: string }).token)
        .get('/me')
        .expect(401);
    }
  });

  it('20 concurrent logins with the old password racing a password change leave no token that works', async () => {
    const victim = (await login(s.b).expect(201)).body as { token: string; id: string };
    const attempts = Array.from({ length: 20 }, () => login(s.a).then((res) => res));
    const [responses] = await Promise.all([
      Promise.all(attempts),
      new Promise((done) => setTimeout(done, 5)).then(() => changePassword(s.b, victim.token).expect(204)),
    ]);
    expect(responses.every((res) => [201, 401].includes(res.status))).toBe(true);
    expect(await s.storedIds()).toEqual([victim.id]);
    await login(s.a, NEW_PASSWORD).expect(201);
  });
});
