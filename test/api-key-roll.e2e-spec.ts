import type { HttpException } from '@nestjs/common';
import { DEFAULT_CLIENTS } from '../apps/demo/src/config/demo.config';
import { TokenService } from 'nestjs-multi-token-auth';
import { UserAccessor } from '../libs/multi-token-auth/src/infrastructure/users/user.accessor';
import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

interface Rolled {
  token: string;
  id: string;
  name: string;
  expiresAt: string | null;
  scopes: string[] | null;
  metadata: unknown;
  rolledFrom: { id: string; expiresAt: string };
}

/** `POST /auth/api-keys/:id/roll`: a new secret, the old one revoked now or after an overlap. */
describe('API key roll (POST /auth/api-keys/:id/roll)', () => {
  let demo: Demo;
  let alice: LoginResult;
  let key: LoginResult;
  beforeEach(async () => {
    demo = await startDemo();
    await demo.register('alice');
    alice = await demo.login('alice', 'web');
    key = await demo.apiKey(alice.token, 'deploy', { expiresInDays: 30, metadata: { team: 'ops' } });
  });
  afterEach(() => demo.close());

  const roll = (id: string, body: object = {}, token = alice.token) =>
    demo
      .http()
      .post(`/auth/api-keys/${id}/roll`)
      .set(demo.auth(token))
      .send({ password: 'correct horse', ...body });
  const me = (token: string) => demo.http().get('/me').set(demo.auth(token));
  const row = (id: string) =>
    demo.db.prepare('SELECT name, expires_at, replaced_by FROM auth_tokens WHERE id = ?').get(id) as
      { name: string | null; expires_at: string | null; replaced_by: string | null } | undefined;
  const DAY = 86_400_000;

  it('without overlap: 201 with a new key of the same name, scopes, metadata and lifetime; the old one is refused at once and deleted', async () => {
    demo.clock.advance(5 * DAY);
    alice = await demo.login('alice', 'web'); // the first session has expired by now
    const res = await roll(key.id).expect(201);
    const rolled = res.body as Rolled;
    expect(res.headers['cache-control']).toBe('no-store');
    expect(rolled).toMatchObject({ name: 'deploy', scopes: key.scopes, metadata: { team: 'ops' }, enabled: true });
    expect(rolled.token).toMatch(/^mta_/);
    expect(rolled.id).not.toBe(key.id);
    // The same 30-day rule, from now.
    expect(new Date(rolled.expiresAt ?? 0).getTime()).toBe(demo.clock.now().getTime() + 30 * DAY);
    expect(rolled.rolledFrom).toEqual({ id: key.id, expiresAt: demo.clock.now().toISOString() });
    expect(row(key.id)).toBeUndefined();
    expect((await me(key.token).expect(401)).body).toMatchObject({ code: 'invalid_token' });
    expect((await me(rolled.token).expect(200)).body).toMatchObject({ client: 'api', tokenId: rolled.id });
  });

  it('with an overlap: the old key works until its end, unnamed and marked replaced, then is refused; it cannot be rolled again', async () => {
    demo.clock.advance(1000); // so that the list's newest-first order is the roll's
    const rolled = (await roll(key.id, { overlapSeconds: 3600 }).expect(201)).body as Rolled;
    const end = new Date(demo.clock.now().getTime() + 3600_000).toISOString();
    expect(rolled.rolledFrom).toEqual({ id: key.id, expiresAt: end });
    expect(row(key.id)).toMatchObject({ name: null, replaced_by: rolled.id });
    await me(key.token).expect(200);
    await me(rolled.token).expect(200);
    const list = await demo.http().get('/auth/api-keys').set(demo.auth(alice.token)).expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({ id: rolled.id, name: 'deploy', replacedBy: null }),
      expect.objectContaining({ id: key.id, name: null, replacedBy: rolled.id, expiresAt: end }),
    ]);
    expect((await roll(key.id).expect(409)).body).toMatchObject({ code: 'api_key_rolled' });
    demo.clock.advance(3600_000);
    expect((await me(key.token).expect(401)).body).toMatchObject({ code: 'token_expired' });
    await me(rolled.token).expect(200);
  });

  it('an overlap past the old key’s own expiry keeps that expiry', async () => {
    demo.clock.advance(29 * DAY);
    alice = await demo.login('alice', 'web');
    const rolled = (await roll(key.id, { overlapSeconds: 7 * 86_400 }).expect(201)).body as Rolled;
    expect(rolled.rolledFrom.expiresAt).toBe(key.expiresAt);
  });

  it('two rolls of one key at once: exactly one wins, the other gets 409 api_key_rolled; one new key is stored', async () => {
    // Through the service, started together: both read the key before either takes the user's lock.
    const tokens = demo.app.get(TokenService);
    const user = await demo.app.get(UserAccessor).findByUsername('alice');
    const client = tokens.apiKeyClient()!;
    const rolls = await Promise.allSettled([
      tokens.roll(user!, key.id, { client, overlapSeconds: 60 }),
      tokens.roll(user!, key.id, { client, overlapSeconds: 60 }),
    ]);
    expect(rolls.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = rolls.find((result) => result.status === 'rejected');
    expect((lost?.reason as HttpException).getResponse()).toMatchObject({ code: 'api_key_rolled' });
    expect(demo.tokens().filter((token) => token.client_id === demo.clientId('api'))).toHaveLength(2);
    const won = rolls.find((result) => result.status === 'fulfilled')?.value;
    expect(row(key.id)).toMatchObject({ name: null, replaced_by: won?.record.id });
    const http = await Promise.all([roll(won!.record.id), roll(won!.record.id)]);
    // Without an overlap the winner deletes the old key: the other roll finds none.
    expect(http.map((res) => res.status).sort()).toEqual([201, 404]);
  });

  it('a paused key rolls into a paused key: the pause is never lost', async () => {
    await demo
      .http()
      .patch(`/auth/api-keys/${key.id}`)
      .set(demo.auth(alice.token))
      .send({ enabled: false })
      .expect(200);
    const rolled = (await roll(key.id, { overlapSeconds: 60 }).expect(201)).body as Rolled & { enabled: boolean };
    expect(rolled.enabled).toBe(false);
    expect((await me(rolled.token).expect(401)).body).toMatchObject({ code: 'key_disabled' });
    expect((await me(key.token).expect(401)).body).toMatchObject({ code: 'key_disabled' });
  });

  it('a replaced key cannot take a name back (409 api_key_rolled); it can still be paused', async () => {
    await roll(key.id, { overlapSeconds: 60 }).expect(201);
    const patch = (body: object) =>
      demo.http().patch(`/auth/api-keys/${key.id}`).set(demo.auth(alice.token)).send(body);
    expect((await patch({ name: 'deploy old' }).expect(409)).body).toMatchObject({ code: 'api_key_rolled' });
    expect(row(key.id)?.name).toBeNull();
    await patch({ enabled: false }).expect(200);
    expect((await me(key.token).expect(401)).body).toMatchObject({ code: 'key_disabled' });
  });

  it.each([
    ['a field a roll does not take', { name: 'x' }],
    ['scopes', { scopes: ['orders:read'] }],
    ['__proto__', JSON.parse('{"__proto__": {"x": 1}}') as object],
    ['constructor', { constructor: 1 }],
  ])('400 validation_failed for %s: refused, not ignored; nothing changes', async (_case, body) => {
    expect((await roll(key.id, body).expect(400)).body).toMatchObject({ code: 'validation_failed' });
    expect(row(key.id)).toMatchObject({ name: 'deploy', replaced_by: null });
  });

  it('needs the password (400 password_required, 401 wrong), as creating a key; nothing changes', async () => {
    const missing = await demo
      .http()
      .post(`/auth/api-keys/${key.id}/roll`)
      .set(demo.auth(alice.token))
      .send({})
      .expect(400);
    expect(missing.body).toMatchObject({ code: 'password_required' });
    expect((await roll(key.id, { password: 'wrong horse' }).expect(401)).body).toMatchObject({
      code: 'invalid_credentials',
    });
    expect(row(key.id)).toMatchObject({ name: 'deploy', replaced_by: null });
    await me(key.token).expect(200);
  });

  it.each([
    ['a negative overlap', { overlapSeconds: -1 }],
    ['an overlap over 30 days', { overlapSeconds: 30 * 86_400 + 1 }],
    ['a fractional overlap', { overlapSeconds: 1.5 }],
    ['an overlap as a string', { overlapSeconds: '60' }],
  ])('400 validation_failed for %s', async (_case, body) => {
    expect((await roll(key.id, body).expect(400)).body).toMatchObject({ code: 'validation_failed' });
    expect(row(key.id)).toMatchObject({ name: 'deploy' });
  });

  it("404 for another user's key, a session or an unknown id; 403 for an API key; 401 without a token", async () => {
    await demo.register('bob');
    const bob = await demo.login('bob', 'web');
    expect((await roll(key.id, {}, bob.token).expect(404)).body).toMatchObject({ code: 'api_key_not_found' });
    await roll(alice.id).expect(404);
    await roll('0b6f6a36-4f5e-4d8e-9c1a-5d1f3e0a9b7c').expect(404);
    expect((await roll(key.id, {}, key.token).expect(403)).body).toMatchObject({ code: 'api_key_not_allowed' });
    await demo.http().post(`/auth/api-keys/${key.id}/roll`).send({}).expect(401);
    expect(row(key.id)).toMatchObject({ name: 'deploy', replaced_by: null });
  });
});

describe('API key roll with the API-key client limited to 2 tokens per user', () => {
  it('a key rolled with an overlap neither counts nor is pushed out: the user’s other key stays', async () => {
    const clients = DEFAULT_CLIENTS.map((client) =>
      client.name === 'api' ? { ...client, maxTokensPerUser: 2 } : client,
    );
    const demo = await startDemo({ AUTH_CLIENTS: JSON.stringify(clients) });
    try {
      await demo.register('alice');
      const alice = await demo.login('alice', 'web');
      const first = await demo.apiKey(alice.token, 'first');
      demo.clock.advance(1000);
      const second = await demo.apiKey(alice.token, 'second');
      const rolled = await demo
        .http()
        .post(`/auth/api-keys/${second.id}/roll`)
        .set(demo.auth(alice.token))
        .send({ password: 'correct horse', overlapSeconds: 600 })
        .expect(201);
      for (const token of [first.token, second.token, rolled.body.token as string]) {
        await demo.http().get('/me').set(demo.auth(token)).expect(200);
      }
    } finally {
      await demo.close();
    }
  });
});
