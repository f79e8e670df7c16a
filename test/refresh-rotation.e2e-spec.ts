import { EventEmitter2 } from '@nestjs/event-emitter';
import { TokenCodec, TokenVerifier } from 'nestjs-multi-token-auth';
import { startDemo, type Demo } from './support/demo.harness';

const CLIENTS = [
  { name: 'web', tokenTtl: 3600, rotateOnRefresh: true, rotationGrace: 30 },
  { name: 'browser', tokenTtl: 3600, rotateOnRefresh: true, cookie: true },
  { name: 'mobile', tokenTtl: 3600 },
  { name: 'cli', tokenTtl: 3600 },
  { name: 'api', tokenTtl: null },
];

interface Refreshed {
  token: string;
  id: string;
  expiresAt: string;
  scopes: string[] | null;
}

/** `rotateOnRefresh`: refresh answers a successor; a rotated-out token used after its grace revokes its family. */
describe('refresh token rotation with reuse detection (rotateOnRefresh)', () => {
  let demo: Demo;
  let events: { name: string; payload: Record<string, unknown> }[];
  beforeEach(async () => {
    demo = await startDemo({ AUTH_CLIENTS: JSON.stringify(CLIENTS) });
    await demo.register('alice');
    events = [];
    demo.app.get(EventEmitter2).onAny((name, payload) => {
      events.push({ name: String(name), payload: payload as Record<string, unknown> });
    });
  });
  afterEach(() => demo.close());

  const refresh = (token: string) => demo.http().post('/auth/refresh').set(demo.auth(token));
  const me = (token: string) => demo.http().get('/me').set(demo.auth(token));
  const row = (id: string) =>
    demo.db
      .prepare('SELECT name, family_id, replaced_by, grace_ends_at, created_at FROM auth_tokens WHERE id = ?')
      .get(id) as
      | {
          name: string | null;
          family_id: string | null;
          replaced_by: string | null;
          grace_ends_at: string | null;
          created_at: string;
        }
      | undefined;

  it('answers a successor with the sign-in time and name kept; the old token works for the grace only; sessions list the successor', async () => {
    const login = await demo.login('alice', 'web', { name: 'laptop' });
    demo.clock.advance(60_000);
    const res = await refresh(login.token).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const next = res.body as Refreshed;
    expect(next.token).toMatch(/^\w+_/);
    expect(next.token).not.toBe(login.token);
    expect(new Date(next.expiresAt).getTime()).toBe(demo.clock.now().getTime() + 3600_000);
    expect(row(next.id)).toMatchObject({ name: 'laptop', family_id: login.id, replaced_by: null, grace_ends_at: null });
    expect(row(next.id)?.created_at).toBe(row(login.id)?.created_at);
    expect(row(login.id)).toMatchObject({ name: null, family_id: login.id, replaced_by: next.id });
    expect(row(login.id)?.grace_ends_at).not.toBeNull();
    await me(next.token).expect(200);
    await me(login.token).expect(200); // in flight: within the grace
    const sessions = await demo.http().get('/auth/sessions').set(demo.auth(next.token)).expect(200);
    expect((sessions.body as { id: string }[]).map((s) => s.id)).toEqual([next.id]);
    const rotated = events.find((e) => e.name === 'token.rotated')?.payload;
    expect(rotated).toMatchObject({ tokenId: login.id, newTokenId: next.id, familyId: login.id });
    expect(JSON.stringify(events)).not.toContain(next.token);
  });

  it('a rotated-out token used after its grace is reuse: the whole family is revoked, 401 token_reused, one event', async () => {
    const login = await demo.login('alice', 'web');
    const other = await demo.login('alice', 'mobile');
    const second = (await refresh(login.token).expect(200)).body as Refreshed;
    const third = (await refresh(second.token).expect(200)).body as Refreshed;
    demo.clock.advance(30_000);
    await me(third.token).expect(200);
    const reused = await me(login.token).expect(401);
    expect(reused.body).toMatchObject({ code: 'token_reused' });
    expect(reused.headers['www-authenticate']).toContain('error="invalid_token"');
    for (const token of [login.token, second.token, third.token]) await me(token).expect(401);
    expect([login.id, second.id, third.id].map(row)).toEqual([undefined, undefined, undefined]);
    await me(other.token).expect(200); // another sign-in of the same user is not touched
    const detected = events.filter((e) => e.name === 'token.reuse_detected');
    expect(detected).toHaveLength(1);
    expect(detected[0]?.payload).toMatchObject({ tokenId: login.id, familyId: login.id });
    expect((detected[0]?.payload.revokedTokenIds as string[]).sort()).toEqual([login.id, second.id, third.id].sort());
    expect(events.filter((e) => e.name === 'token.revoked' && e.payload.reason === 'reuse')).toHaveLength(3);
    expect(JSON.stringify(events)).not.toContain(login.token.slice(-20));
  });

  it('two refreshes of one token: one rotates, the other is a clean 401 token_rotated; a refresh of the loser after the grace is reuse', async () => {
    const login = await demo.login('alice', 'web');
    const [a, b] = await Promise.all([refresh(login.token), refresh(login.token)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const loser = a.status === 401 ? a : b;
    expect(loser.body).toMatchObject({ code: 'token_rotated' });
    const winner = (a.status === 200 ? a : b).body as Refreshed;
    expect(
      demo
        .tokens()
        .filter((t) => t.id !== login.id)
        .map((t) => t.id),
    ).toEqual([winner.id]);
    await me(winner.token).expect(200);
    demo.clock.advance(31_000);
    expect((await refresh(login.token).expect(401)).body).toMatchObject({ code: 'token_reused' });
    await me(winner.token).expect(401);
  });

  it('logout with either token ends the whole family; the successor cannot erase the rotated-out token', async () => {
    const first = await demo.login('alice', 'web');
    const second = (await refresh(first.token).expect(200)).body as Refreshed;
    // Within the grace, the old token logs out: its successor ends with it.
    await demo.http().post('/auth/logout').set(demo.auth(first.token)).expect(204);
    await me(second.token).expect(401);
    expect([first.id, second.id].map(row)).toEqual([undefined, undefined]);

    const again = await demo.login('alice', 'web');
    const next = (await refresh(again.token).expect(200)).body as Refreshed;
    // The successor (a thief's, say) can neither delete the rotated-out token by id…
    const refused = await demo.http().delete(`/auth/sessions/${again.id}`).set(demo.auth(next.token)).expect(400);
    expect(refused.body).toMatchObject({ code: 'current_session' });
    // …nor with "log out everywhere else", which keeps its own family's rotated-out rows.
    const other = await demo.login('alice', 'mobile');
    await demo.http().delete('/auth/sessions').set(demo.auth(next.token)).expect(204);
    await me(other.token).expect(401);
    expect(row(again.id)).toMatchObject({ replaced_by: next.id });
    demo.clock.advance(30_000);
    expect((await me(again.token).expect(401)).body).toMatchObject({ code: 'token_reused' });
    await me(next.token).expect(401);
  });

  it('every rotated-out token stays recognisable while the family lives, not only until its first successor expired', async () => {
    const first = await demo.login('alice', 'web');
    let current = first.token;
    for (let i = 0; i < 3; i++) {
      demo.clock.advance(50 * 60_000); // each successor lives an hour; refreshed every 50 minutes
      current = ((await refresh(current).expect(200)).body as Refreshed).token;
    }
    // Two and a half hours after the first rotation, the first token is still known: a reuse.
    expect((await me(first.token).expect(401)).body).toMatchObject({ code: 'token_reused' });
    await me(current).expect(401);
  });

  it('remembers the 20 newest rotated-out tokens of a sign-in: an older one is unknown, a newer one is a reuse', async () => {
    const first = await demo.login('alice', 'web');
    const tokens = [first.token];
    for (let i = 0; i < 22; i++) {
      demo.clock.advance(1000);
      tokens.push(((await refresh(tokens[i] ?? '').expect(200)).body as Refreshed).token);
    }
    const rows = demo.db.prepare('SELECT COUNT(*) AS n FROM auth_tokens WHERE family_id = ?').get(first.id) as {
      n: number;
    };
    expect(rows.n).toBe(21); // 20 rotated out, and the current one
    demo.clock.advance(30_000);
    expect((await me(tokens[1] ?? '').expect(401)).body).toMatchObject({ code: 'invalid_token' });
    await me(tokens[22] ?? '').expect(200);
    expect((await me(tokens[2] ?? '').expect(401)).body).toMatchObject({ code: 'token_reused' });
    await me(tokens[22] ?? '').expect(401);
  });

  it("a connection's re-check of a rotated-out token refuses it (token_rotated) without taking it as reuse", async () => {
    const first = await demo.login('alice', 'web');
    const second = (await refresh(first.token).expect(200)).body as Refreshed;
    demo.clock.advance(30_000);
    const verifier = demo.app.get(TokenVerifier);
    const digest = demo.app.get(TokenCodec).digest(first.token);
    await expect(verifier.verifyDigest(digest, { presented: false })).rejects.toMatchObject({
      response: { code: 'token_rotated' },
    });
    await me(second.token).expect(200);
    expect(events.filter((e) => e.name === 'token.reuse_detected')).toHaveLength(0);
  });

  it('a cookie client gets the successor as its cookie and a new CSRF token; the old cookie is reuse after the grace', async () => {
    const login = await demo
      .http()
      .post('/auth/login')
      .send({ username: 'alice', password: 'correct horse', client: 'browser' })
      .expect(201);
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const csrf = (login.body as { csrfToken: string }).csrfToken;
    const res = await demo.http().post('/auth/refresh').set('Cookie', cookie).set('X-CSRF-Token', csrf).expect(200);
    expect(res.body.token).toBeUndefined();
    expect(res.body.csrfToken).toMatch(/\S/);
    expect(res.body.csrfToken).not.toBe(csrf);
    const fresh = String(res.headers['set-cookie']).split(';')[0] ?? '';
    expect(fresh).not.toBe(cookie);
    await demo.http().get('/me').set('Cookie', fresh).expect(200);
    demo.clock.advance(30_000);
    expect((await demo.http().get('/me').set('Cookie', cookie).expect(401)).body).toMatchObject({
      code: 'token_reused',
    });
    await demo.http().get('/me').set('Cookie', fresh).expect(401);
  });

  it('clients without the option keep the plain refresh: the same token, its expiry moved', async () => {
    const login = await demo.login('alice', 'mobile');
    demo.clock.advance(60_000);
    const res = await refresh(login.token).expect(200);
    expect(Object.keys(res.body as object).sort()).toEqual(['expiresAt', 'scopes']);
    await me(login.token).expect(200);
    expect(demo.tokens()).toHaveLength(1);
  });

  it.each([
    [{ name: 'web', tokenTtl: null, rotateOnRefresh: true }, 'rotateOnRefresh needs tokenTtl or idleTimeout'],
    [{ name: 'web', tokenTtl: 60, rotationGrace: 5 }, 'rotationGrace needs rotateOnRefresh: true'],
    [
      { name: 'web', tokenTtl: 60, rotateOnRefresh: true, rotationGrace: 301 },
      'rotationGrace must be a number of seconds from 0 to 300',
    ],
  ])('a misconfigured client fails at start-up: %j', async (client, message) => {
    await expect(
      startDemo({ AUTH_CLIENTS: JSON.stringify([client, ...CLIENTS.filter((c) => c.name !== 'web')]) }),
    ).rejects.toThrow(message);
  });
});
