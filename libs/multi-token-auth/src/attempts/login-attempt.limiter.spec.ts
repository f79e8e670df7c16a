import { ManualClock } from '../clock/manual.clock';
import { TooManyAttemptsException } from '../errors/attempt.exceptions';
import { InvalidCredentialsException } from '../errors/auth.exceptions';
import { resolveOptions } from '../multi-token-auth.defaults';
import { TestUser } from '../testing/test-user.entity';
import { LoginAttemptLimiter } from './login-attempt.limiter';
import { InMemoryLoginAttemptStore } from './memory-login-attempt.store';

describe('LoginAttemptLimiter', () => {
  const wrong = () => Promise.reject(new InvalidCredentialsException());
  const right = () => Promise.resolve('ok');
  function limiter(normalizeUsername?: (name: string) => string) {
    const clock = new ManualClock();
    const store = new InMemoryLoginAttemptStore(clock);
    const options = resolveOptions({
      user: { entity: TestUser, normalizeUsername },
      loginAttempts: { perUserAndIp: '2/m', perIp: '3/m' },
    });
    return { limiter: new LoginAttemptLimiter(options, store), store, clock };
  }

  it('past the per-IP limit, counts nothing per username (a username flood cannot grow the store)', async () => {
    const { limiter: l, store } = limiter();
    for (let i = 0; i < 3; i++)
      await expect(l.protect(`u${i}`, '10.0.0.1', wrong)).rejects.toThrow(InvalidCredentialsException);
    const hits = jest.spyOn(store, 'hit');
    await expect(l.protect('fresh', '10.0.0.1', right)).rejects.toBeInstanceOf(TooManyAttemptsException);
    expect(hits.mock.calls.map(([key]) => key)).toEqual(['ip:10.0.0.1']);
  });

  it('counts one username as the app looks it up: normalizeUsername first, then case-folded', async () => {
    const { limiter: l } = limiter((name) => name.trim());
    await expect(l.protect(' alice', '10.0.0.1', wrong)).rejects.toThrow(InvalidCredentialsException);
    await expect(l.protect('ALICE ', '10.0.0.1', wrong)).rejects.toThrow(InvalidCredentialsException);
    await expect(l.protect('alice', '10.0.0.1', right)).rejects.toBeInstanceOf(TooManyAttemptsException);
  });

  it('counts an IPv6 /64 as one address', async () => {
    const { limiter: l } = limiter();
    for (const ip of ['2001:db8::1', '2001:db8::2', '2001:db8::3']) {
      await expect(l.protect(`u-${ip}`, ip, wrong)).rejects.toThrow(InvalidCredentialsException);
    }
    await expect(l.protect('other', '2001:db8::ffff', right)).rejects.toBeInstanceOf(TooManyAttemptsException);
  });

  it('takes the attempt back when the check failed for another reason than the password', async () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 5; i++) {
      await expect(l.protect('alice', '10.0.0.1', () => Promise.reject(new Error('db down')))).rejects.toThrow(
        'db down',
      );
    }
    await expect(l.protect('alice', '10.0.0.1', right)).resolves.toBe('ok');
  });
});
