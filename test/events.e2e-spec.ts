import { EventEmitter2 } from '@nestjs/event-emitter';
import { TokenCodec, TokenService } from 'nestjs-multi-token-auth';
import { startDemo, type Demo } from './support/demo.harness';

interface Seen {
  name: string;
  payload: Record<string, unknown>;
}

/**
 * The library's events on the demo (which imports EventEmitterModule and logs them as an audit
 * trail): every flow that creates, refreshes or ends a token, and every login, checked against the
 * stored rows, and never carrying a token or a digest.
 */
describe('Events (token.created, token.revoked, token.refreshed, login.succeeded, login.failed)', () => {
  let demo: Demo;
  let seen: Seen[];
  const issued: string[] = [];

  beforeAll(async () => {
    demo = await startDemo();
    demo.app.get(EventEmitter2).onAny((name, payload) => {
      seen.push({ name: String(name), payload: payload as Record<string, unknown> });
    });
    await demo.register('alice');
  });
  beforeEach(() => {
    seen = [];
  });
  afterAll(() => demo.close());

  // Nothing secret ever travels in an event: no plaintext token, no digest, no password.
  afterEach(() => {
    const codec = demo.app.get(TokenCodec);
    const all = JSON.stringify(seen);
    for (const token of issued) {
      expect(all).not.toContain(token);
      expect(all).not.toContain(codec.digest(token));
    }
    expect(all).not.toContain('correct horse');
  });

  const named = (name: string) => seen.filter((event) => event.name === name).map((event) => event.payload);
  const login = async (client = 'web', extra: Record<string, unknown> = {}) => {
    const result = await demo.login('alice', client, extra);
    issued.push(result.token);
    return result;
  };

  it('a login: login.succeeded and token.created with ids, client, where from and when', async () => {
    const result = await login('web', { name: 'Laptop' });
    const row = demo.tokens().find((token) => token.id === result.id);
    expect(seen.map((event) => event.name)).toEqual(['token.created', 'login.succeeded']);
    expect(named('token.created')[0]).toEqual({
      tokenId: result.id,
      userId: result.user.id,
      client: 'web',
      ip: row?.ip,
      userAgent: row?.user_agent ?? null,
      at: demo.clock.now(),
      name: 'Laptop',
      expiresAt: new Date(result.expiresAt as string),
      scopes: null,
      apiKey: false,
    });
    expect(named('login.succeeded')[0]).toMatchObject({ userId: result.user.id, tokenId: result.id, client: 'web' });
  });

  it.each([
    ['a wrong password', { username: 'alice', password: 'wrong horse', client: 'web' }, 'invalid_credentials', 'web'],
    ['an unknown user', { username: 'nobody', password: 'correct horse', client: 'web' }, 'invalid_credentials', 'web'],
    ['an unknown client', { username: 'alice', password: 'correct horse', client: 'nope' }, 'unknown_client', null],
    ['the API-key client', { username: 'alice', password: 'correct horse', client: 'api' }, 'api_key_login', 'api'],
  ])(
    '%s: login.failed with the reason, the username as typed, never the password',
    async (_case, body, reason, client) => {
      await demo.http().post('/auth/login').send(body);
      expect(seen.map((event) => event.name)).toEqual(['login.failed']);
      expect(named('login.failed')[0]).toEqual({
        username: body.username,
        reason,
        client,
        ip: expect.any(String) as string,
        userAgent: null,
        at: demo.clock.now(),
      });
      expect(JSON.stringify(seen)).not.toContain(body.password);
    },
  );

  it("the attempt limiter's own 429s are not reported one by one; the failures that tripped it are", async () => {
    await demo.register('carol');
    const attempt = () =>
      demo.http().post('/auth/login').send({ username: 'carol', password: 'wrong horse', client: 'web' });
    for (let i = 0; i < 10; i++) await attempt().expect(401);
    await attempt().expect(429);
    await attempt().expect(429);
    expect(named('login.failed').map((event) => event.reason)).toEqual(Array(10).fill('invalid_credentials'));
  });

  it('refresh: token.refreshed with the new expiry', async () => {
    const { token, id } = await login();
    seen = [];
    demo.clock.advance(60_000);
    const res = await demo.http().post('/auth/refresh').set(demo.auth(token)).expect(200);
    expect(named('token.refreshed')).toEqual([
      expect.objectContaining({ tokenId: id, client: 'web', expiresAt: new Date(res.body.expiresAt as string) }),
    ]);
  });

  /** Each revoking flow, and the reason its events carry: one event per token it ended, no more. */
  async function revokedBy(flow: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
    const before = new Set(demo.tokens().map((row) => row.id));
    seen = [];
    await flow();
    const after = new Set(demo.tokens().map((row) => row.id));
    const events = named('token.revoked');
    expect(events.map((event) => event.tokenId).sort()).toEqual([...before].filter((id) => !after.has(id)).sort());
    return events;
  }

  it('logout, ending one session, logout-others, logout-all: one token.revoked per token, with the reason', async () => {
    const a = await login();
    const b = await login('mobile');
    const c = await login('web');
    const d = await login('web');
    expect(await revokedBy(() => demo.http().post('/auth/logout').set(demo.auth(a.token)).expect(204))).toEqual([
      expect.objectContaining({ tokenId: a.id, reason: 'logout', client: 'web', userId: a.user.id }),
    ]);
    const ended = await revokedBy(() =>
      demo.http().delete(`/auth/sessions/${b.id}`).set(demo.auth(c.token)).expect(204),
    );
    expect(ended).toEqual([expect.objectContaining({ tokenId: b.id, reason: 'session-revoke', client: 'mobile' })]);
    const others = await revokedBy(() => demo.http().delete('/auth/sessions').set(demo.auth(c.token)).expect(204));
    expect(others.map((event) => event.reason)).toEqual(others.map(() => 'logout-others'));
    expect(others.map((event) => event.tokenId)).toContain(d.id);
    const all = await revokedBy(() => demo.http().post('/auth/logout-all').set(demo.auth(c.token)).expect(204));
    expect(all).toEqual([expect.objectContaining({ tokenId: c.id, reason: 'logout-all' })]);
  });

  it('API keys: token.created with apiKey, token.revoked api-key-revoke', async () => {
    const session = await login();
    seen = [];
    const key = await demo.apiKey(session.token, 'reporting', { scopes: ['orders:read'] });
    issued.push(key.token);
    expect(named('token.created')).toEqual([
      expect.objectContaining({
        tokenId: key.id,
        client: 'api',
        apiKey: true,
        scopes: ['orders:read'],
        name: 'reporting',
      }),
    ]);
    const revoked = await revokedBy(() =>
      demo.http().delete(`/auth/api-keys/${key.id}`).set(demo.auth(session.token)).expect(204),
    );
    expect(revoked).toEqual([expect.objectContaining({ tokenId: key.id, reason: 'api-key-revoke', client: 'api' })]);
  });

  it('a client limit pushing the oldest out: token.revoked limit, before the new token.created', async () => {
    const first = await login('kiosk');
    seen = [];
    const second = await login('kiosk');
    expect(seen.map((event) => [event.name, event.payload.tokenId])).toEqual([
      ['token.revoked', first.id],
      ['token.created', second.id],
      ['login.succeeded', second.id],
    ]);
    expect(named('token.revoked')[0]).toMatchObject({ reason: 'limit', client: 'kiosk' });
  });

  it('expired tokens: token.revoked purge, from the purge and from the clean-up an issue does', async () => {
    const old = await login('web');
    demo.clock.advance(86_400_000 + 1);
    const purged = await revokedBy(() => demo.app.get(TokenService).purgeExpired());
    expect(purged.filter((event) => event.tokenId === old.id)).toEqual([
      expect.objectContaining({ reason: 'purge', client: 'web' }),
    ]);
    const stale = await login('web');
    demo.clock.advance(86_400_000 + 1);
    const cleaned = await revokedBy(() => login('web'));
    expect(cleaned).toEqual([expect.objectContaining({ tokenId: stale.id, reason: 'purge' })]);
  });

  it('a password change and a deactivation: token.revoked with their reasons', async () => {
    const keep = await login();
    const other = await login('mobile');
    const changed = await revokedBy(() =>
      demo
        .http()
        .post('/users/me/password')
        .set(demo.auth(keep.token))
        .send({ currentPassword: 'correct horse', newPassword: 'correct horse' })
        .expect(204),
    );
    expect(changed.map((event) => [event.tokenId, event.reason])).toContainEqual([other.id, 'password-change']);
    expect(changed.every((event) => event.reason === 'password-change')).toBe(true);
    const gone = await revokedBy(() =>
      demo
        .http()
        .post('/users/me/deactivate')
        .set(demo.auth(keep.token))
        .send({ password: 'correct horse' })
        .expect(204),
    );
    expect(gone).toEqual([expect.objectContaining({ tokenId: keep.id, reason: 'deactivation' })]);
  });

  it('the demo logs each event as its audit trail, without a token', async () => {
    const bob = await demo.register('bob');
    const { token, id } = await demo.login('bob');
    issued.push(token);
    await demo.http().post('/auth/login').send({ username: 'bob', password: 'wrong horse', client: 'web' });
    const audit = demo.logs.lines.filter((line) => line.endsWith(' Audit'));
    expect(audit).toContainEqual(expect.stringContaining(`token ${id} created for user ${bob.id} (web)`));
    expect(audit).toContainEqual(expect.stringContaining(`login of user ${bob.id} on web`));
    expect(audit).toContainEqual(expect.stringMatching(/^warn failed login for "bob" from .*: invalid_credentials/));
    for (const line of demo.logs.lines) expect(line).not.toContain(token);
  });
});
