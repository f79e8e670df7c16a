import { DataSource } from 'typeorm';
import { User } from '../apps/demo/src/users/user.entity';
import { CachedTokenStore } from '../libs/multi-token-auth/src/infrastructure/cache/cached-token.store';
import { TokenStore } from '../libs/multi-token-auth/src/contracts/token-store.interface';
import { TokenService } from '../libs/multi-token-auth/src/services/tokens/token.service';
import { startDemo, type Demo, type LoginResult } from './support/demo.harness';

/**
 * The verified-token cache never accepts what the store would refuse: every way a token ends takes
 * effect on the very next request, although that token was being answered from memory.
 */
describe('verified-token cache: revocation is never stale', () => {
  let demo: Demo;
  let store: CachedTokenStore;
  let alice: { id: number };
  let laptop: LoginResult;
  let phone: LoginResult;

  beforeEach(async () => {
    demo = await startDemo();
    store = demo.app.get<TokenStore>(TokenStore) as CachedTokenStore;
    alice = await demo.register('alice');
    laptop = await demo.login('alice', 'web');
    phone = await demo.login('alice', 'mobile');
  });
  afterEach(() => demo.close());

  const me = (token: string) => demo.http().get('/me').set(demo.auth(token));
  const digest = (token: string) => demo.app.get(TokenService).codec.digest(token);

  /**
   * Uses the token until the cache holds it (checked). One use is usually enough; right after a
   * change to the user, the journal's poll may still clear the cache once more (the change is in
   * the journal too, and applied when it is read), so this uses it again for up to 5 s.
   */
  async function warm(...tokens: LoginResult[]): Promise<void> {
    for (const { token } of tokens) {
      const deadline = Date.now() + 5000;
      await me(token).expect(200);
      while (store.cache.get(digest(token), demo.clock.now().getTime()) === undefined && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 20));
        await me(token).expect(200);
      }
      expect(store.cache.get(digest(token), demo.clock.now().getTime())).toBeDefined();
    }
  }

  it('serves a warm token from memory: no store lookup', async () => {
    await warm(laptop);
    const lookups = jest.spyOn(store.inner, 'findByDigest');
    for (let i = 0; i < 5; i++) await me(laptop.token).expect(200);
    expect(lookups).not.toHaveBeenCalled();
  });

  it.each([
    ['logout', (t: LoginResult) => demo.http().post('/auth/logout').set(demo.auth(t.token)).expect(204)],
    ['logout-all', () => demo.http().post('/auth/logout-all').set(demo.auth(phone.token)).expect(204)],
    ['log out everywhere else', () => demo.http().delete('/auth/sessions').set(demo.auth(phone.token)).expect(204)],
    [
      'session revoke',
      (t: LoginResult) => demo.http().delete(`/auth/sessions/${t.id}`).set(demo.auth(phone.token)).expect(204),
    ],
    [
      'password change',
      () =>
        demo
          .http()
          .post('/users/me/password')
          .set(demo.auth(phone.token))
          .send({ currentPassword: 'correct horse', newPassword: 'new password 1' })
          .expect(204),
    ],
    [
      'deactivation',
      () =>
        demo
          .http()
          .post('/users/me/deactivate')
          .set(demo.auth(phone.token))
          .send({ password: 'correct horse' })
          .expect(204),
    ],
  ])('%s', async (_path, revoke) => {
    await warm(laptop, phone);
    await revoke(laptop);
    await me(laptop.token).expect(401);
  });

  it('API-key revoke', async () => {
    const key = await demo.apiKey(laptop.token, 'ci');
    await warm({ ...laptop, token: key.token });
    await demo.http().delete(`/auth/api-keys/${key.id}`).set(demo.auth(laptop.token)).expect(204);
    await me(key.token).expect(401);
  });

  it('revoke-oldest at a token limit', async () => {
    const first = await demo.login('alice', 'kiosk');
    await warm(first);
    await demo.login('alice', 'kiosk');
    await me(first.token).expect(401);
  });

  it('expiry, checked against the clock on every hit; refresh moves it', async () => {
    await warm(laptop);
    demo.clock.advance(86_400_000 - 1000); // the web client's TTL is one day
    await demo.http().post('/auth/refresh').set(demo.auth(laptop.token)).expect(200);
    demo.clock.advance(2000); // past the old expiry, well before the new one
    await me(laptop.token).expect(200);
    await warm(phone);
    demo.clock.advance(30 * 86_400_000); // past the mobile TTL too
    const res = await me(phone.token).expect(401);
    expect(res.body.message).toBe('Token has expired.');
  });

  it('the app deactivating or deleting the user through TypeORM, by entity or by criteria', async () => {
    const users = demo.app.get(DataSource).getRepository(User);
    await warm(laptop);
    const user = await users.findOneByOrFail({ id: alice.id });
    user.isActive = false;
    await users.save(user); // by entity: that user's entries go
    expect((await me(laptop.token).expect(401)).body.message).toBe('User inactive or deleted.');

    await users.update({ id: alice.id }, { isActive: true }); // by criteria: the whole cache goes
    await warm(laptop);
    await users.update({ username: 'alice' }, { isActive: false });
    await me(laptop.token).expect(401);

    await users.update({ id: alice.id }, { isActive: true });
    await warm(phone);
    await users.delete({ id: alice.id }); // the foreign key cascades to the tokens
    await me(phone.token).expect(401);
  });

  it('raw SQL that TypeORM never sees reaches requests only after the cache TTL (60 s)', async () => {
    await warm(laptop);
    await demo.app.get(DataSource).query('UPDATE users SET is_active = 0 WHERE id = ?', [alice.id]);
    await me(laptop.token).expect(200); // documented: the cache cannot see this
    demo.clock.advance(60_000);
    await me(laptop.token).expect(401);
  });
});
