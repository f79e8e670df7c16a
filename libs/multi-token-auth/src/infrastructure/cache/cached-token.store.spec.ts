import { jest } from '@jest/globals';
import { ManualClock } from '../../contracts/clock/manual.clock';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { TokenStore } from '../../contracts/token-store.interface';
import { setup, type Fixture } from '../../testing/setup.fixture';
import { TokenService } from '../../services/tokens/token.service';
import { CachedTokenStore } from './cached-token.store';

describe('CachedTokenStore', () => {
  let fixture: Fixture;
  let store: CachedTokenStore;
  let tokens: TokenService;
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));

  beforeEach(async () => {
    fixture = await setup({ clock, cache: { ttl: 30 } });
    store = fixture.module.get<TokenStore>(TokenStore) as CachedTokenStore;
    tokens = fixture.module.get(TokenService);
  });
  afterEach(() => fixture.close());

  async function issued() {
    const user = await fixture.createUser();
    const { token, record } = await tokens.issue(user, { client: 'web' });
    return { user, digest: tokens.codec.digest(token), record };
  }

  it('does not cache a row whose lookup raced a revocation', async () => {
    const { user, digest, record } = await issued();
    const read = store.inner.findByDigest.bind(store.inner);
    let release = () => {};
    jest.spyOn(store.inner, 'findByDigest').mockImplementationOnce(async (d) => {
      const row = await read(d); // read before the revocation…
      await new Promise<void>((resolve) => (release = resolve));
      return row; // …returned after it
    });
    const inFlight = store.findByDigest(digest);
    await new Promise((settle) => setImmediate(settle));
    expect(await tokens.revoke(user.id, record.id)).toBe(true);
    release();
    expect(await inFlight).toMatchObject({ id: record.id }); // valid when it was read
    expect(store.cache.size).toBe(0);
    expect(await store.findByDigest(digest)).toBeNull();
  });

  it('keeps an entry no longer than the TTL, nor past the token expiry', async () => {
    const { digest } = await issued(); // web: 3600 s
    await store.findByDigest(digest);
    expect(store.cache.get(digest, clock.now().getTime() + 29_999)).toBeDefined();
    expect(store.cache.get(digest, clock.now().getTime() + 30_000)).toBeUndefined();
    const user = await fixture.createUser();
    const short = await tokens.issue(user, { client: 'web', ttl: 10 });
    await store.findByDigest(tokens.codec.digest(short.token));
    expect(store.cache.get(tokens.codec.digest(short.token), clock.now().getTime() + 10_000)).toBeUndefined();
  });

  it('a purge evicts what it deleted', async () => {
    const user = await fixture.createUser();
    const short = await tokens.issue(user, { client: 'web', ttl: 10 });
    const digest = tokens.codec.digest(short.token);
    await store.findByDigest(digest);
    clock.advance(10_000);
    expect(await tokens.purgeExpired()).toBe(1);
    expect(store.cache.get(digest, clock.now().getTime() - 10_000)).toBeUndefined();
    clock.advance(-10_000);
  });

  it('hands out copies: a handler changing its record changes nothing cached', async () => {
    const { digest } = await issued();
    const first = (await store.findByDigest(digest)) as AuthToken;
    first.name = 'changed';
    (first.user as { username: string }).username = 'changed';
    const second = (await store.findByDigest(digest)) as AuthToken;
    expect(second).not.toBe(first);
    expect(second.name).toBeNull();
    expect((second.user as { username: string }).username).not.toBe('changed');
    expect(second).toBeInstanceOf(Object.getPrototypeOf(first).constructor as new () => AuthToken);
  });

  it('cache: false queries the store on every request', async () => {
    const uncached = await setup({ clock, cache: false });
    try {
      expect(uncached.module.get<TokenStore>(TokenStore)).not.toBeInstanceOf(CachedTokenStore);
    } finally {
      await uncached.close();
    }
  });
});
