import { jest } from '@jest/globals';
import { ManualClock } from '../../contracts/clock/manual.clock';
import {
  AuthUnavailableException,
  InternalErrorException,
  ExpiredTokenException,
  InactiveUserException,
  InvalidTokenException,
} from '../../contracts/errors/auth.exceptions';
import { DATABASES, useDatabase } from '../../testing/databases';
import { setup, type Fixture } from '../../testing/setup.fixture';
import { LastUsedTracker } from './last-used.tracker';
import { TokenStore } from '../../contracts/token-store.interface';
import { TokenService } from './token.service';
import { TokenVerifier, sameDigest } from './token.verifier';

describe.each(DATABASES)('TokenVerifier on %s', (kind) => {
  const database = useDatabase(kind);
  let fixture: Fixture;
  let clock: ManualClock;
  let tokens: TokenService;
  let store: TokenStore;
  let verifier: TokenVerifier;

  beforeEach(async () => {
    clock = new ManualClock();
    fixture = await setup({ clock, lastUsedUpdateInterval: 60 }, { postgresUrl: await database() });
    tokens = fixture.module.get(TokenService);
    store = fixture.module.get<TokenStore>(TokenStore);
    verifier = fixture.module.get(TokenVerifier);
  });
  afterEach(() => fixture.close());

  it('returns the user and the token with its client', async () => {
    const user = await fixture.createUser('alice');
    const { token, record } = await tokens.issue(user, { client: 'web' });
    const verified = await verifier.verify(token);
    expect(verified.user).toMatchObject({ id: user.id, username: 'alice' });
    expect(verified.token).toMatchObject({ id: record.id, client: { name: 'web' } });
  });

  it.each([
    ['nothing', undefined],
    ['an empty string', ''],
    ['garbage', 'garbage'],
    ['a bad checksum', 'mta_' + 'A'.repeat(38)],
    ['a header value', 'Bearer x'],
    ['odd bytes', 'mta_\u0000\u00ff\ud800'],
  ])('rejects %s by format alone, without touching the store', async (_case, input) => {
    const lookup = jest.spyOn(store, 'findByDigest');
    await expect(verifier.verify(input)).rejects.toBeInstanceOf(InvalidTokenException);
    expect(lookup).not.toHaveBeenCalled();
  });

  it('with legacyTokens, only legacy-shaped values reach the store besides its own tokens', async () => {
    const legacy = await setup(
      {
        clock,
        clients: [
          { name: 'web', tokenTtl: 3600 },
          { name: 'api', tokenTtl: null },
          { name: 'legacy', tokenTtl: null },
        ],
        legacyTokens: { format: { alphabet: /[0-9a-f]/, length: 40 }, client: 'legacy' },
      },
      { postgresUrl: await database() },
    );
    try {
      const legacyStore = legacy.module.get<TokenStore>(TokenStore);
      const legacyVerifier = legacy.module.get(TokenVerifier);
      const lookup = jest.spyOn(legacyStore, 'findByDigest');
      for (const input of [
        'garbage',
        'mta_' + 'A'.repeat(38),
        'a'.repeat(39),
        'A'.repeat(40),
        'g'.repeat(40),
        'a'.repeat(41),
      ]) {
        await expect(legacyVerifier.verify(input)).rejects.toBeInstanceOf(InvalidTokenException);
      }
      expect(lookup).not.toHaveBeenCalled();
      const user = await legacy.createUser('alice');
      const key = 'ab'.repeat(20);
      await legacy.module.get(TokenService).importLegacyTokens([{ username: 'alice', userId: user.id, key }]);
      lookup.mockClear(); // the import looked for a duplicate
      await expect(legacyVerifier.verify(key)).resolves.toMatchObject({ token: { client: { name: 'legacy' } } });
      await expect(legacyVerifier.verify('cd'.repeat(20))).rejects.toBeInstanceOf(InvalidTokenException);
      expect(lookup).toHaveBeenCalledTimes(2);
    } finally {
      await legacy.close();
    }
  });

  it('rejects a well-formed token that was never issued or was revoked', async () => {
    const user = await fixture.createUser();
    const { token, record } = await tokens.issue(user, { client: 'web' });
    await expect(verifier.verify(tokens.codec.generate())).rejects.toThrow('Invalid token.');
    await tokens.revoke(user.id, record.id);
    await expect(verifier.verify(token)).rejects.toThrow('Invalid token.');
  });

  it('expires a token at expiresAt exactly, by the clock', async () => {
    const user = await fixture.createUser();
    const { token } = await tokens.issue(user, { client: 'web' });
    clock.advance(3600_000 - 1);
    await expect(verifier.verify(token)).resolves.toBeDefined();
    clock.advance(1);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(ExpiredTokenException);
    await expect(verifier.verify(token)).rejects.toThrow('Token has expired.');
  });

  it('refuses the tokens of an inactive user, and a deleted user takes its tokens along', async () => {
    const user = await fixture.createUser();
    const { token } = await tokens.issue(user, { client: 'web' });
    await fixture.users.update({ id: user.id }, { isActive: false });
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InactiveUserException);
    await fixture.users.delete({ id: user.id });
    expect(await fixture.tokens.count()).toBe(0);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenException);
  });

  it('answers 503, never an accept, when the store fails', async () => {
    const user = await fixture.createUser();
    const { token } = await tokens.issue(user, { client: 'web' });
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    jest.spyOn(store, 'findByDigest').mockRejectedValueOnce(busy);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(AuthUnavailableException);
  });

  it('answers 500, not "temporarily unavailable", when the failure is a bug rather than an outage', async () => {
    const user = await fixture.createUser();
    const { token } = await tokens.issue(user, { client: 'web' });
    jest.spyOn(store, 'findByDigest').mockRejectedValueOnce(new TypeError('x is not a function'));
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InternalErrorException);
  });

  it('writes lastUsedAt at most once per interval, never once per request', async () => {
    const user = await fixture.createUser();
    const { token, record } = await tokens.issue(user, { client: 'web' });
    const tracker = fixture.module.get(LastUsedTracker);
    const touch = jest.spyOn(store, 'touchMany');
    const seen = jest.spyOn(tracker, 'seen');
    const stored = async () => (await fixture.tokens.findOneByOrFail({ id: record.id })).lastUsedAt;

    await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token)));
    await Promise.all(seen.mock.results.map((result) => result.value));
    expect(touch).toHaveBeenCalledTimes(1);
    expect(await stored()).toEqual(clock.now());

    clock.advance(59_000);
    for (let i = 0; i < 5; i++) await verifier.verify(token);
    await Promise.all(seen.mock.results.map((result) => result.value));
    expect(touch).toHaveBeenCalledTimes(1);

    clock.advance(1_000);
    await verifier.verify(token);
    await Promise.all(seen.mock.results.map((result) => result.value));
    expect(touch).toHaveBeenCalledTimes(2);
    expect(await stored()).toEqual(clock.now());
  });

  it('logs and drops a failed lastUsedAt write', async () => {
    const user = await fixture.createUser();
    const { token } = await tokens.issue(user, { client: 'web' });
    jest.spyOn(store, 'touchMany').mockRejectedValueOnce(new Error('disk full'));
    const tracker = fixture.module.get(LastUsedTracker);
    const seen = jest.spyOn(tracker, 'seen');
    await expect(verifier.verify(token)).resolves.toBeDefined();
    await expect(seen.mock.results[0].value).resolves.toBeUndefined();
  });
});

describe('sameDigest', () => {
  const digest = 'ab'.repeat(32);
  it('is true only for the same 64 characters', () => {
    expect(sameDigest(digest, digest)).toBe(true);
    expect(sameDigest(`${digest.slice(0, 63)}c`, digest)).toBe(false);
    expect(sameDigest(`c${digest.slice(1)}`, digest)).toBe(false);
    expect(sameDigest(digest.toUpperCase(), digest)).toBe(false); // a collation that folds case
  });
  it('is false for anything that is not a 64-character string', () => {
    expect(sameDigest(undefined, digest)).toBe(false);
    expect(sameDigest(null, digest)).toBe(false);
    expect(sameDigest(digest.slice(0, 63), digest.slice(0, 63))).toBe(false);
    expect(sameDigest(`${digest}a`, `${digest}a`)).toBe(false);
    expect(sameDigest(12, digest)).toBe(false);
  });
});
