import { RevocationFeed } from '../../infrastructure/cache/revocation-feed';
import { InvalidTokenException } from '../../contracts/errors/auth.exceptions';
import type { TokenVerifier, VerifiedToken } from '../../services/tokens/token.verifier';
import type { ConnectionState } from '../../pure/transports/connection-state';
import { LiveConnections } from './live-connections';

/** A verifier whose answers the spec releases by hand, counting how many are pending at once. */
class HeldVerifier {
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  revoked = new Set<string>();
  private waiting: (() => void)[] = [];

  verifyDigest(digest: string): Promise<VerifiedToken> {
    this.calls++;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    return new Promise((resolve, reject) => {
      this.waiting.push(() => {
        this.inFlight--;
        if (this.revoked.has(digest)) reject(new InvalidTokenException());
        else resolve({ user: {}, token: {} } as VerifiedToken);
      });
    });
  }

  /** Answers every pending check, and those they lead to, until none is left. */
  async drain(): Promise<void> {
    for (let round = 0; round < 1000 && (this.waiting.length > 0 || round < 3); round++) {
      for (const answer of this.waiting.splice(0)) answer();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

describe('LiveConnections', () => {
  let verifier: HeldVerifier;
  let feed: RevocationFeed;
  let live: LiveConnections;
  const closed: string[] = [];

  const connection = (digest: string): ConnectionState => ({
    digest,
    request: { headers: {} },
    close: (code, reason) => closed.push(`${digest}:${code}:${reason}`),
  });

  beforeEach(() => {
    verifier = new HeldVerifier();
    feed = new RevocationFeed();
    live = new LiveConnections(verifier as unknown as TokenVerifier, feed);
    closed.length = 0;
  });
  afterEach(() => live.onModuleDestroy());

  it('re-checks every connection at most 32 at a time', async () => {
    for (let i = 0; i < 100; i++) live.add(connection(`d${i}`), 1);
    const done = live.recheckAll();
    await verifier.drain();
    await done;
    expect(verifier.calls).toBe(100);
    expect(verifier.maxInFlight).toBe(32);
  });

  it('a re-check asked for while one runs joins it instead of starting another', async () => {
    for (let i = 0; i < 10; i++) live.add(connection(`d${i}`), 1);
    const first = live.recheckAll();
    const second = live.recheckAll();
    expect(second).toBe(first);
    await verifier.drain();
    await first;
    expect(verifier.calls).toBe(10);
    const third = live.recheckAll();
    await verifier.drain();
    await third;
    expect(verifier.calls).toBe(20);
  });

  it('closes and forgets a connection whose token fails; the others stay', async () => {
    live.add(connection('kept'), 1);
    live.add(connection('gone'), 1);
    verifier.revoked.add('gone');
    const done = live.recheckAll();
    await verifier.drain();
    await done;
    expect(closed).toEqual(['gone:4401:invalid_token']);
    expect(live.size).toBe(1);
  });

  it('a notice re-checks only what it may touch: one digest, one user, or everything', async () => {
    live.add(connection('a'), 1);
    live.add(connection('b'), 2);
    live.add(connection('c'), 2);
    feed.publish({ digests: ['a'] });
    await verifier.drain();
    expect(verifier.calls).toBe(1);
    feed.publish({ userId: '2' });
    await verifier.drain();
    expect(verifier.calls).toBe(3);
    feed.publish({ all: true });
    await verifier.drain();
    expect(verifier.calls).toBe(6);
  });

  it('confirm() throws when the token no longer passes', async () => {
    verifier.revoked.add('late');
    const refused = expect(live.confirm(connection('late'))).rejects.toBeInstanceOf(InvalidTokenException);
    await verifier.drain();
    await refused;
  });
});
