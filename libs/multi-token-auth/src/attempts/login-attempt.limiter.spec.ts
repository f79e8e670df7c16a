import { ManualClock } from '../clock/manual.clock';
import { Logger } from '@nestjs/common';
import {
  PasswordChecksBusyException,
  TooManyAttemptsException,
  TooManyPasswordChecksException,
} from '../errors/attempt.exceptions';
import { InvalidCredentialsException } from '../errors/auth.exceptions';
import { resolveOptions } from '../multi-token-auth.defaults';
import { clientAddress } from '../http/client-address';
import { PasswordCheckQueue } from '../passwords/password-check.queue';
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

  it('counts every spelling of one address (ports, IPv4-mapped, numeric forms) in one bucket', async () => {
    const { limiter: l } = limiter();
    for (const ip of ['10.7.7.7:40001', '10.7.7.7:40002', '::ffff:10.7.7.7']) {
      await expect(l.protect(`u-${ip}`, ip, wrong)).rejects.toThrow(InvalidCredentialsException);
    }
    await expect(l.protect('other', '[::ffff:a07:707]:443', right)).rejects.toBeInstanceOf(TooManyAttemptsException);
    await expect(l.protect('other', '0xa.7.7.7', right)).rejects.toBeInstanceOf(TooManyAttemptsException);
    await expect(l.protect('other', '10.7.7.8:40001', right)).resolves.toBe('ok');
  });

  it.each([
    ['full (503)', () => new PasswordChecksBusyException()],
    ["the address's share taken (429)", () => new TooManyPasswordChecksException()],
  ])('counts an attempt the password-check queue refused: %s', async (_, refusal) => {
    const { limiter: l, store, clock } = limiter();
    const refused = () => Promise.reject(refusal());
    await expect(l.protect('alice', '10.0.0.1', refused)).rejects.toBeInstanceOf(refusal().constructor);
    await expect(l.protect('alice', '10.0.0.1', refused)).rejects.toBeInstanceOf(refusal().constructor);
    // Two for alice from 10.0.0.1: her per-username+IP limit (2) is used up, the right password too.
    await expect(l.protect('alice', '10.0.0.1', right)).rejects.toBeInstanceOf(TooManyAttemptsException);
    // Three for 10.0.0.1 (its limit): any username is refused.
    await expect(l.protect('bob', '10.0.0.1', right)).rejects.toBeInstanceOf(TooManyAttemptsException);
    expect((await store.hit('ip:10.0.0.1', 60_000)).count).toBe(5);
    clock.advance(60_000);
    await expect(l.protect('alice', '10.0.0.1', right)).resolves.toBe('ok');
  });

  it('through a full queue: every refusal counts, so a flooding address reaches its limit', async () => {
    const { limiter: l } = limiter();
    const queue = new PasswordCheckQueue({ concurrency: 1, queuePerClient: 1, queue: 1, maxWait: 10 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const through = (ip: string, check: () => Promise<string>) => () => queue.run(clientAddress(ip), check);
    // Another address holds the only slot and the only place in the queue.
    const running = l.protect(
      'carol',
      '10.9.9.9',
      through('10.9.9.9', () => held.then(() => 'ok')),
    );
    const waiting = l.protect('carol', '10.9.9.9', through('10.9.9.9', right));
    const flood = (name: string) => l.protect(name, '10.0.0.1', through('10.0.0.1', right));
    await expect(flood('u1')).rejects.toBeInstanceOf(PasswordChecksBusyException);
    await expect(flood('u2')).rejects.toBeInstanceOf(PasswordChecksBusyException);
    await expect(flood('u3')).rejects.toBeInstanceOf(PasswordChecksBusyException);
    // Never checked a password, yet 10.0.0.1 has used its 3 attempts.
    await expect(flood('u4')).rejects.toBeInstanceOf(TooManyAttemptsException);
    release();
    await expect(Promise.all([running, waiting])).resolves.toEqual(['ok', 'ok']);
  });

  it('counts a value that is not an address as itself, and warns once without logging it', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const { limiter: l } = limiter();
      for (let i = 0; i < 3; i++)
        await expect(l.protect(`u${i}`, 'unknown', wrong)).rejects.toThrow(InvalidCredentialsException);
      await expect(l.protect('alice', 'unknown', right)).rejects.toBeInstanceOf(TooManyAttemptsException);
      await expect(l.protect('alice', '_other', right)).resolves.toBe('ok');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toContain('trust proxy');
      expect(String(warn.mock.calls[0][0])).not.toContain('unknown');
    } finally {
      warn.mockRestore();
    }
  });
});
