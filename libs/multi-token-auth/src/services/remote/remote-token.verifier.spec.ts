import { ManualClock } from '../../contracts/clock/manual.clock';
import {
  AuthUnavailableException,
  ExpiredTokenException,
  InvalidTokenException,
  IpNotAllowedException,
} from '../../contracts/errors/auth.exceptions';
import { InMemoryTokenCache } from '../../infrastructure/cache/memory-token.cache';
import { OwnerUnavailableError, type ActiveToken, type OwnerClient } from '../../infrastructure/remote/owner.client';
import { TokenCodec } from '../../pure/tokens/token.codec';
import { MAX_PENDING, RemoteTokenVerifier } from './remote-token.verifier';

const codec = new TokenCodec('mta');
const seconds = (ms: number) => Math.floor(ms / 1000);

/** An owner the spec answers for: each introspection is recorded and answered by `answer`. */
function fakeOwner(answer: (token: string) => Promise<ActiveToken | null>) {
  const asked: string[] = [];
  const owner = {
    introspect: (token: string) => {
      asked.push(token);
      return answer(token);
    },
  } as unknown as OwnerClient;
  return { owner, asked };
}

describe('RemoteTokenVerifier (a resource server’s verifier)', () => {
  let clock: ManualClock;
  let fresh: boolean;
  let cache: InMemoryTokenCache;
  const active = (overrides: Partial<ActiveToken> = {}): ActiveToken => ({
    active: true,
    sub: '7',
    client_id: 'web',
    jti: 'b9f3c2c4-7a5e-4c43-9a53-0c1f0f7d1c11',
    username: 'alice',
    iat: seconds(clock.now().getTime()),
    exp: seconds(clock.now().getTime()) + 3600,
    scope: 'orders:read',
    ...overrides,
  });
  const make = (answer: (token: string) => Promise<ActiveToken | null>) => {
    const { owner, asked } = fakeOwner(answer);
    const verifier = new RemoteTokenVerifier(codec, owner, cache, clock, {
      cacheTtlMs: 300_000,
      timeoutMs: 2000,
      rates: new Map([['mobile', '5/m']]),
      defaultRate: '100/m',
    });
    verifier.follow({ isFresh: () => fresh });
    return { verifier, asked };
  };

  beforeEach(() => {
    clock = new ManualClock(new Date('2026-12-07T12:00:00Z'));
    fresh = true;
    cache = new InMemoryTokenCache(100);
  });

  it('a token the owner says is active: the subject, client, scopes and expiry the guards read', async () => {
    const { verifier } = make(() => Promise.resolve(active()));
    const { user, token } = await verifier.verify(codec.generate(), { ip: '10.0.0.1' });
    expect(user).toEqual({ id: '7', username: 'alice' });
    expect(token).toMatchObject({
      id: 'b9f3c2c4-7a5e-4c43-9a53-0c1f0f7d1c11',
      userId: '7',
      scopes: null,
      client: { name: 'web', throttleRate: '100/m', scopes: ['orders:read'] },
      expiresAt: new Date('2026-12-07T13:00:00Z'),
      quota: null,
    });
    expect(Object.isFrozen(token)).toBe(true);
  });

  it('junk and a broken checksum are refused with no network call', async () => {
    const { verifier, asked } = make(() => Promise.resolve(active()));
    const good = codec.generate();
    for (const junk of ['', 'mta_short', `${good.slice(0, -1)}${good.endsWith('a') ? 'b' : 'a'}`, 42, null]) {
      await expect(verifier.verify(junk)).rejects.toBeInstanceOf(InvalidTokenException);
    }
    expect(asked).toEqual([]);
  });

  it('answers from the cache while the feed is fresh, and asks the owner again when it is not', async () => {
    const { verifier, asked } = make(() => Promise.resolve(active()));
    const token = codec.generate();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(asked).toHaveLength(1);
    fresh = false;
    await verifier.verify(token);
    await verifier.verify(token);
    expect(asked).toHaveLength(3);
  });

  it('concurrent requests with one token share one introspection', async () => {
    let release!: (answer: ActiveToken) => void;
    const { verifier, asked } = make(() => new Promise((resolve) => (release = resolve)));
    const token = codec.generate();
    const all = Promise.all([verifier.verify(token), verifier.verify(token), verifier.verify(token)]);
    release(active());
    expect((await all).map((verified) => verified.token.id)).toHaveLength(3);
    expect(asked).toHaveLength(1);
  });

  it('a revocation of the token heard while the owner was answering: that answer is not cached', async () => {
    let release!: (answer: ActiveToken) => void;
    const { verifier, asked } = make(() => new Promise((resolve) => (release = resolve)));
    const token = codec.generate();
    const first = verifier.verify(token);
    verifier.applyRemote({ digests: [codec.digest(token)] });
    release(active());
    await first;
    const second = verifier.verify(token);
    release(active());
    await second;
    expect(asked).toHaveLength(2);
  });

  it.each([
    ['the token', (token: string) => ({ digests: [codec.digest(token)] })],
    ['its user', () => ({ userId: '7' })],
    ['everything', () => ({ all: true as const })],
  ])(
    'revoked (%s) just before it was asked: an owner instance may answer from its own stale cache, so not cached',
    async (_what, revocation) => {
      const { verifier, asked } = make(() => Promise.resolve(active()));
      const token = codec.generate();
      verifier.applyRemote(revocation(token));
      await verifier.verify(token);
      await verifier.verify(token);
      expect(asked).toHaveLength(2);
    },
  );

  it('a revocation of another token or user does not stop caching', async () => {
    const { verifier, asked } = make(() => Promise.resolve(active()));
    const token = codec.generate();
    verifier.applyRemote({ digests: ['0'.repeat(64)] });
    verifier.applyRemote({ userId: '8' });
    await verifier.verify(token);
    await verifier.verify(token);
    expect(asked).toHaveLength(1);
  });

  it('a request after a revocation does not join an introspection that began before it', async () => {
    const releases: ((answer: ActiveToken) => void)[] = [];
    const { verifier, asked } = make(() => new Promise((resolve) => releases.push(resolve)));
    const token = codec.generate();
    const before = verifier.verify(token);
    verifier.applyRemote({ userId: '99' });
    const after = verifier.verify(token);
    expect(asked).toHaveLength(2);
    for (const release of releases) release(active());
    await Promise.all([before, after]);
  });

  it(`at most ${MAX_PENDING} introspections in flight: past it a miss is a 503, not another call`, async () => {
    const releases: ((answer: ActiveToken | null) => void)[] = [];
    const { verifier, asked } = make(() => new Promise((resolve) => releases.push(resolve)));
    const waiting = Array.from({ length: MAX_PENDING }, () => verifier.verify(codec.generate()).catch(() => null));
    await expect(verifier.verify(codec.generate())).rejects.toBeInstanceOf(AuthUnavailableException);
    expect(asked).toHaveLength(MAX_PENDING);
    for (const release of releases) release(null);
    await Promise.all(waiting);
    const next = verifier.verify(codec.generate());
    releases[releases.length - 1](null);
    await expect(next).rejects.toBeInstanceOf(InvalidTokenException);
    expect(asked).toHaveLength(MAX_PENDING + 1);
  });

  it('a revocation evicts: by digest, by user, everything', async () => {
    const { verifier, asked } = make(() => Promise.resolve(active()));
    const token = codec.generate();
    await verifier.verify(token);
    verifier.applyRemote({ digests: [codec.digest(token)] });
    await verifier.verify(token);
    verifier.applyRemote({ userId: '7' });
    await verifier.verify(token);
    verifier.applyRemote({ all: true });
    await verifier.verify(token);
    expect(asked).toHaveLength(4);
  });

  it('expiry is checked on every request, cache hits included; an entry never outlives the token', async () => {
    const exp = seconds(clock.now().getTime()) + 60;
    const { verifier } = make(() => Promise.resolve(active({ exp })));
    const token = codec.generate();
    await verifier.verify(token);
    clock.advance(60_000);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(ExpiredTokenException);
    expect(cache.get(codec.digest(token), clock.now().getTime())).toBeUndefined();
  });

  it('a key with an address list is refused elsewhere, and without an address', async () => {
    const { verifier } = make(() => Promise.resolve(active({ allowed_ips: ['10.0.0.0/8'] })));
    const token = codec.generate();
    await expect(verifier.verify(token, { ip: '10.1.2.3' })).resolves.toBeDefined();
    await expect(verifier.verify(token, { ip: '192.0.2.1' })).rejects.toBeInstanceOf(IpNotAllowedException);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(IpNotAllowedException);
  });

  it('inactive: 401, and asked again next time (nothing cached)', async () => {
    const { verifier, asked } = make(() => Promise.resolve(null));
    const token = codec.generate();
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenException);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenException);
    expect(asked).toHaveLength(2);
  });

  it('the owner unreachable: 503, never an accept; a bug is not called an outage', async () => {
    const { verifier } = make(() => Promise.reject(new OwnerUnavailableError('down')));
    await expect(verifier.verify(codec.generate())).rejects.toBeInstanceOf(AuthUnavailableException);
    const broken = make(() => Promise.reject(new TypeError('bug')));
    await expect(broken.verifier.verify(codec.generate())).rejects.toBeInstanceOf(TypeError);
  });

  it('verifyDigest (a connection re-check): the fresh cache only', async () => {
    const { verifier } = make(() => Promise.resolve(active()));
    const token = codec.generate();
    await expect(verifier.verifyDigest(codec.digest(token))).rejects.toBeInstanceOf(InvalidTokenException);
    await verifier.verify(token);
    await expect(verifier.verifyDigest(codec.digest(token))).resolves.toMatchObject({ user: { id: '7' } });
    fresh = false;
    await expect(verifier.verifyDigest(codec.digest(token))).rejects.toBeInstanceOf(AuthUnavailableException);
  });

  it('scopes: the client grants what introspection calls `scope`; the token’s own list is `own_scope`', async () => {
    const { verifier } = make(() =>
      Promise.resolve(active({ scope: 'orders:read', own_scope: 'orders:read orders:write' })),
    );
    const { token } = await verifier.verify(codec.generate());
    expect(token.scopes).toEqual(['orders:read', 'orders:write']);
    expect(token.client.scopes).toEqual(['orders:read']);
  });

  it('a client this service lists has its own rate; an unrestricted token leaves scopes null', async () => {
    const { verifier } = make(() => Promise.resolve(active({ client_id: 'mobile', scope: undefined })));
    const { token } = await verifier.verify(codec.generate());
    expect(token.client).toMatchObject({ name: 'mobile', throttleRate: '5/m', scopes: null });
    expect(token.scopes).toBeNull();
  });
});
