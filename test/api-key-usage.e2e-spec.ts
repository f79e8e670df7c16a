import { DataSource } from 'typeorm';
import { LastUsedTracker } from '../libs/multi-token-auth/src/services/tokens/last-used.tracker';
import { TokenUsageCounter } from '../libs/multi-token-auth/src/services/tokens/token-usage.counter';
import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

interface Usage {
  total: number;
  refused: number;
  days: { date: string; requests: number; refused: number }[];
  lastUsedAt: string | null;
  lastIp: string | null;
}

/** `GET /auth/api-keys/:id/usage` and `lastIp`: counted in memory, written once per interval. */
describe('API key usage (GET /auth/api-keys/:id/usage)', () => {
  let demo: Demo;
  let alice: LoginResult;
  beforeEach(async () => {
    demo = await startDemo({ TRUST_PROXY: '1' });
    await demo.register('alice');
    await demo.register('bob');
    alice = await demo.login('alice', 'web');
  });
  afterEach(() => demo.close());

  const from = (token: string, address = '203.0.113.7', path = '/me') =>
    demo.http().get(path).set(demo.auth(token)).set('X-Forwarded-For', address);
  const usage = async (id: string, query = '', session = alice.token) =>
    (await demo.http().get(`/auth/api-keys/${id}/usage${query}`).set(demo.auth(session)).expect(200)).body as Usage;
  const flush = () => demo.app.get(TokenUsageCounter).flush();
  const stored = () =>
    demo.db.prepare('SELECT token_id, day, requests, refused FROM auth_token_usage ORDER BY day').all() as {
      token_id: string;
      day: string;
      requests: number;
      refused: number;
    }[];
  const today = () => demo.clock.now().toISOString().slice(0, 10);

  it('counts requests and refusals per UTC day; the answer includes what is not yet written; writes add up', async () => {
    // A minute before midnight (UTC), so that the day turns while the session lives.
    const now = demo.clock.now();
    demo.clock.set(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23, 59)));
    const key = await demo.apiKey(alice.token, 'ci', { rateLimit: '3/m' });
    for (let i = 0; i < 3; i++) await from(key.token).expect(200);
    await from(key.token).expect(429);
    let answer = await usage(key.id);
    expect(answer.days).toHaveLength(30);
    expect(answer.days.at(-1)).toEqual({ date: today(), requests: 4, refused: 1 });
    expect(answer.days.slice(0, -1).every((day) => day.requests === 0 && day.refused === 0)).toBe(true);
    expect(answer).toMatchObject({ total: 4, refused: 1 });
    expect(stored()).toEqual([]); // nothing written per request
    await flush();
    expect(stored()).toEqual([{ token_id: key.id, day: today(), requests: 4, refused: 1 }]);
    await from(key.token).expect(429);
    await flush();
    expect(stored()).toEqual([{ token_id: key.id, day: today(), requests: 5, refused: 2 }]);
    demo.clock.advance(120_000);
    await demo
      .http()
      .patch(`/auth/api-keys/${key.id}`)
      .set(demo.auth(alice.token))
      .send({ enabled: false })
      .expect(200);
    await from(key.token).expect(401); // paused: a refused request of the key
    await flush();
    answer = await usage(key.id, '?days=2');
    expect(answer.days.map((day) => [day.requests, day.refused])).toEqual([
      [5, 2],
      [1, 1],
    ]);
    expect(answer).toMatchObject({ total: 6, refused: 3 });
    // Sessions are not counted: the endpoint is for keys.
    expect(stored().every((row) => row.token_id === key.id)).toBe(true);
  });

  it('lastIp is written with lastUsedAt (trust proxy respected) and shown for keys and sessions', async () => {
    const key = await demo.apiKey(alice.token, 'office');
    const phone = await demo.login('alice', 'mobile');
    await from(key.token, '198.51.100.23').expect(200);
    await from(phone.token, '192.0.2.44').expect(200); // its first use: written
    await demo.app.get(LastUsedTracker).flush();
    const row = demo.db.prepare('SELECT last_ip FROM auth_tokens WHERE id = ?').get(key.id) as { last_ip: string };
    expect(row.last_ip).toBe('198.51.100.23');
    const answer = await usage(key.id);
    expect(answer.lastIp).toBe('198.51.100.23');
    expect(answer.lastUsedAt).not.toBeNull();
    const keys = await demo.http().get('/auth/api-keys').set(demo.auth(alice.token)).expect(200);
    expect((keys.body as { id: string; lastIp: string }[]).find((k) => k.id === key.id)?.lastIp).toBe('198.51.100.23');
    const sessions = await from(alice.token, '192.0.2.1', '/auth/sessions').expect(200);
    expect((sessions.body as { id: string; lastIp: string }[]).find((s) => s.id === phone.id)?.lastIp).toBe(
      '192.0.2.44',
    );
  });

  it('a key revoked before the write loses its counts quietly; the write of the others goes through; days past 90 are pruned', async () => {
    const old = new Date(demo.clock.now().getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
    const kept90 = new Date(demo.clock.now().getTime() - 89 * 86_400_000).toISOString().slice(0, 10);
    const [gone, kept] = [await demo.apiKey(alice.token, 'gone'), await demo.apiKey(alice.token, 'kept')];
    for (const day of [old, kept90]) {
      await demo.app
        .get(DataSource)
        .query('INSERT INTO auth_token_usage (token_id, day, requests, refused) VALUES (?, ?, 5, 0)', [kept.id, day]);
    }
    await from(gone.token).expect(200);
    await from(kept.token).expect(200);
    await demo.http().delete(`/auth/api-keys/${gone.id}`).set(demo.auth(alice.token)).expect(204);
    await flush();
    expect(stored()).toEqual([
      { token_id: kept.id, day: kept90, requests: 5, refused: 0 },
      { token_id: kept.id, day: today(), requests: 1, refused: 0 },
    ]);
    expect(demo.logs.lines.join('\n')).not.toMatch(/usage counts .* not written/);
  });

  it.each([
    ['?days=0', 400],
    ['?days=91', 400],
    ['?days=x', 400],
  ])('%s is %d validation_failed', async (query, status) => {
    const key = await demo.apiKey(alice.token, 'k');
    const res = await demo.http().get(`/auth/api-keys/${key.id}/usage${query}`).set(demo.auth(alice.token));
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
  });

  it("404 for another user's key, a session and an unknown id; an API key cannot read usage", async () => {
    const key = await demo.apiKey(alice.token, 'mine');
    const bob = await demo.login('bob', 'web');
    for (const [id, session] of [
      [key.id, bob.token],
      [alice.id, alice.token],
      ['00000000-0000-4000-8000-000000000000', alice.token],
    ] as const) {
      const res = await demo.http().get(`/auth/api-keys/${id}/usage`).set(demo.auth(session)).expect(404);
      expect(res.body).toMatchObject({ code: 'api_key_not_found' });
    }
    await demo.http().get(`/auth/api-keys/${key.id}/usage`).set(demo.auth(key.token)).expect(403);
  });
});
