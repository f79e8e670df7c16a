import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import request from 'supertest';
import { startPostgres, type PostgresServer } from '../libs/multi-token-auth/src/testing/postgres.server';
import { spawnTs } from '../libs/multi-token-auth/src/testing/ts-child';
import type { InstanceCommand, InstanceReply } from './support/demo-instance.child';

const CHILD = join(__dirname, 'support', 'demo-instance.child.ts');
const T0 = new Date('2026-06-01T12:00:00.000Z').getTime();
const DAY = 86_400_000;

interface Instance {
  http: () => ReturnType<typeof request>;
  setClock(at: number): Promise<void>;
  close(): Promise<void>;
}

/** A demo in its own process with `TZ=zone`, on the shared database. */
async function startInstance(zone: string, databaseUrl: string): Promise<Instance> {
  const { child, output } = spawnTs(CHILD, { TZ: zone, DATABASE_URL: databaseUrl, CLOCK_START: String(T0) });
  const next = () =>
    new Promise<InstanceReply>((done, fail) => {
      const exited = (code: number | null) => fail(new Error(`instance in ${zone} exited ${code}:\n${output()}`));
      child.once('exit', exited);
      child.once('message', (reply: InstanceReply) => {
        child.off('exit', exited);
        done(reply);
      });
    });
  const send = (command: InstanceCommand) => child.send(command);
  const ready = await next();
  if (!('port' in ready)) throw new Error(`instance in ${zone} did not report its port`);
  const url = `http://127.0.0.1:${ready.port}`;
  return {
    http: () => request(url),
    async setClock(at) {
      const ack = next();
      send({ clock: at });
      await ack;
    },
    close: () =>
      new Promise((done) => {
        child.once('exit', () => done());
        send({ close: true });
      }),
  };
}

/**
 * Two instances in opposite time zones (UTC-12 and UTC+14, 26 hours apart) on one database: a token
 * issued by either is accepted by the other for exactly its lifetime, and the row holds the instant.
 */
describe.each(['PostgreSQL', 'SQLite'] as const)('two instances in opposite time zones on %s', (kind) => {
  let postgres: PostgresServer | undefined;
  let dir: string | undefined;
  let west: Instance;
  let east: Instance;
  /** The stored expiry of a token as an ISO instant, read around the library. */
  let storedExpiry: (id: string) => Promise<string>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    let url: string;
    if (kind === 'PostgreSQL') {
      postgres = await startPostgres();
      url = await postgres.createDatabase();
      const client = new Client({ connectionString: url });
      await client.connect();
      // The server's own TimeZone is a third one; it must not matter either.
      await client.query(`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET timezone TO 'Asia/Kathmandu'`);
      storedExpiry = async (id) =>
        (
          await client.query<{ at: string }>(
            `SELECT to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM auth_tokens WHERE id = $1`,
            [id],
          )
        ).rows[0]?.at ?? 'missing';
      close = () => client.end();
    } else {
      dir = mkdtempSync(join(tmpdir(), 'mta-tz-'));
      url = `sqlite:${join(dir, 'demo.sqlite')}`;
      const file = join(dir, 'demo.sqlite');
      storedExpiry = (id) => {
        const db = new Database(file, { readonly: true });
        try {
          const row = db.prepare('SELECT expires_at FROM auth_tokens WHERE id = ?').get(id) as
            { expires_at: string } | undefined;
          // TypeORM's SQLite form: UTC, without a zone marker.
          return Promise.resolve(row ? `${row.expires_at.replace(' ', 'T')}Z` : 'missing');
        } finally {
          db.close();
        }
      };
      close = () => Promise.resolve();
    }
    // One after the other: the first runs the migrations.
    west = await startInstance('Etc/GMT+12', url);
    east = await startInstance('Etc/GMT-14', url);
    await west.http().post('/users').send({ username: 'alice', password: 'correct horse' }).expect(201);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([west?.close(), east?.close()]);
    await close?.();
    postgres?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const at = (time: number) => Promise.all([west.setClock(time), east.setClock(time)]);
  const login = async (instance: Instance) =>
    (
      await instance
        .http()
        .post('/auth/login')
        .send({ username: 'alice', password: 'correct horse', client: 'web' })
        .expect(201)
    ).body as { token: string; id: string; expiresAt: string };
  const me = (instance: Instance, token: string) => instance.http().get('/me').set('Authorization', `Bearer ${token}`);

  it.each([
    ['west (UTC-12)', 'east (UTC+14)'],
    ['east (UTC+14)', 'west (UTC-12)'],
  ])('a one-day web token issued in the %s is accepted in the %s for exactly one day', async (from) => {
    const [issuer, other] = from.startsWith('west') ? [west, east] : [east, west];
    await at(T0);
    const token = await login(issuer);
    const expiry = new Date(T0 + DAY).toISOString();
    expect(token.expiresAt).toBe(expiry);
    expect(await storedExpiry(token.id)).toBe(expiry);

    await me(other, token.token).expect(200);
    await at(T0 + DAY - 1);
    await me(other, token.token).expect(200);
    await me(issuer, token.token).expect(200);
    expect(await storedExpiry(token.id)).toBe(expiry);
    await at(T0 + DAY);
    await me(other, token.token).expect(401);
    await me(issuer, token.token).expect(401);
  });

  it('a refresh in one zone moves the expiry the other zone sees to the exact instant', async () => {
    await at(T0);
    const token = await login(west);
    await at(T0 + 3_600_000);
    const refreshed = await east.http().post('/auth/refresh').set('Authorization', `Bearer ${token.token}`).expect(200);
    const expiry = new Date(T0 + 3_600_000 + DAY).toISOString();
    expect(refreshed.body).toMatchObject({ expiresAt: expiry });
    expect(await storedExpiry(token.id)).toBe(expiry);
    await at(T0 + 3_600_000 + DAY - 1);
    await me(west, token.token).expect(200);
    await at(T0 + 3_600_000 + DAY);
    await me(west, token.token).expect(401);
  });
});
