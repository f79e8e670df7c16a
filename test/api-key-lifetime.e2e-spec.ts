import { DEFAULT_CLIENTS } from '../apps/demo/src/config/demo.config';
import { within } from '../libs/multi-token-auth/src/testing/within';
import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

const HOUR = 3_600_000;
/** The demo's clients, with a TTL on the key client: a key could be lengthened if any path allowed it. */
const clients = (api: object) =>
  JSON.stringify(
    DEFAULT_CLIENTS.map((client) => (client.name === 'api' ? { ...client, tokenTtl: 3600, ...api } : client)),
  );
/** An instant as the SQLite row holds it (TypeORM's UTC text). */
const stored = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/**
 * "An API key is never lengthened", through the demo over HTTP: a key ends at the instant its
 * creation gave it, whatever refreshes, uses or restarts with other client settings come after.
 */
describe('an API key keeps the lifetime it was created with', () => {
  let demo: Demo;
  let session: LoginResult;
  beforeEach(async () => {
    demo = await startDemo({ AUTH_CLIENTS: clients({}) });
    await demo.register('alice');
    session = await demo.login('alice', 'web');
  });
  afterEach(() => demo.close());

  const createKey = async (body: object = {}) =>
    (
      await demo
        .http()
        .post('/auth/api-keys')
        .set(demo.auth(session.token))
        .send({ name: 'ci', password: 'correct horse', ...body })
        .expect(201)
    ).body as LoginResult;
  const row = (id: string) => demo.tokens().find((token) => token.id === id);
  const refresh = (token: string) => demo.http().post('/auth/refresh').set(demo.auth(token));
  const me = (token: string) => demo.http().get('/me').set(demo.auth(token));

  it('refresh half-way through a one-hour key: 200 with its own expiry, the row unchanged, 401 at that instant', async () => {
    const created = demo.clock.now().getTime();
    const key = await createKey();
    expect(key.expiresAt).toBe(new Date(created + HOUR).toISOString());
    demo.clock.advance(HOUR / 2);
    await refresh(key.token).expect(200, { expiresAt: key.expiresAt, scopes: ['orders:read', 'orders:write'] });
    expect(row(key.id)?.expires_at).toBe(stored(created + HOUR));
    demo.clock.set(new Date(created + HOUR - 1));
    await me(key.token).expect(200);
    demo.clock.set(new Date(created + HOUR));
    await me(key.token).expect(401);
  });

  it('a key made with expiresInDays keeps that expiry through a refresh, not cut to the client TTL', async () => {
    const created = demo.clock.now().getTime();
    const key = await createKey({ expiresInDays: 2 });
    demo.clock.advance(HOUR);
    await refresh(key.token).expect(200, { expiresAt: key.expiresAt, scopes: ['orders:read', 'orders:write'] });
    expect(row(key.id)?.expires_at).toBe(stored(created + 48 * HOUR));
  });

  it('a key used every ten minutes of its life writes last_used_at, never expires_at', async () => {
    const created = demo.clock.now().getTime();
    const key = await createKey();
    for (let minutes = 10; minutes < 60; minutes += 10) {
      demo.clock.set(new Date(created + minutes * 60_000));
      await me(key.token).expect(200);
      // The write is off the request path: wait for it, then check the expiry stayed.
      expect(await within(2000, () => row(key.id)?.last_used_at === stored(demo.clock.now().getTime()))).toBe(true);
      expect(row(key.id)?.expires_at).toBe(stored(created + HOUR));
    }
    demo.clock.set(new Date(created + HOUR));
    await me(key.token).expect(401);
  });

  it('after a restart with a one-day TTL for the key client, the key still ends after its first hour', async () => {
    const created = demo.clock.now().getTime();
    const key = await createKey();
    const { databaseFile } = demo;
    demo.db.close();
    await demo.app.close();
    demo = await startDemo({ AUTH_CLIENTS: clients({ tokenTtl: 86_400 }) }, { databaseFile });
    demo.clock.set(new Date(created + HOUR / 2));
    expect(row(key.id)?.expires_at).toBe(stored(created + HOUR));
    await refresh(key.token).expect(200, { expiresAt: key.expiresAt, scopes: ['orders:read', 'orders:write'] });
    expect(row(key.id)?.expires_at).toBe(stored(created + HOUR));
    demo.clock.set(new Date(created + HOUR));
    await me(key.token).expect(401);
  });

  it('a restart with an idle timeout on the key client (sliding keys on every use) does not start', async () => {
    const key = await createKey();
    const { databaseFile } = demo;
    demo.db.close();
    await demo.app.close();
    await expect(startDemo({ AUTH_CLIENTS: clients({ idleTimeout: 600 }) }, { databaseFile })).rejects.toThrow(
      'Client "api" holds API keys, which keep the lifetime they are created with: remove its idleTimeout.',
    );
    // The row is as the first run left it; the harness cleans up through a demo on the same file.
    demo = await startDemo({ AUTH_CLIENTS: clients({}) }, { databaseFile });
    expect(row(key.id)?.expires_at).toBe(stored(new Date(key.expiresAt ?? 0).getTime()));
  });
});
