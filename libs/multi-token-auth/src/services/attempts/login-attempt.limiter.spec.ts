import { ManualClock } from '../../contracts/clock/manual.clock';
import { Logger } from '@nestjs/common';
import {
  PasswordCheckOutrankedException,
  PasswordChecksBusyException,
  TooManyAttemptsException,
  TooManyPasswordChecksException,
} from '../../contracts/errors/attempt.exceptions';
import { InvalidCredentialsException } from '../../contracts/errors/auth.exceptions';
import { resolveOptions } from '../../pure/options/multi-token-auth.defaults';
import { clientAddress } from '../../pure/http/client-address';
import { PasswordCheckQueue } from '../../pure/passwords/password-check.queue';
import { TestUser } from '../../testing/test-user.entity';
import { LoginAttemptLimiter } from './login-attempt.limiter';
import { InMemoryLoginAttemptStore } from '../../infrastructure/attempts/memory-login-attempt.store';

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
    ['outranked by networks asking for less (503)', () => new PasswordCheckOutrankedException()],
    ["the address's share taken (429)", () => new TooManyPasswordChecksException()],
  ])(
    'counts a refusal the address brought on itself against the address, never the username: %s',
    async (_, refusal) => {
      const { limiter: l, store, clock } = limiter();
      const refused = () => Promise.reject(refusal());
      await expect(l.protect('alice', '10.0.0.1', refused)).rejects.toBeInstanceOf(refusal().constructor);
      await expect(l.protect('alice', '10.0.0.1', refused)).rejects.toBeInstanceOf(refusal().constructor);
      // alice's per-username+IP limit is 2: not touched, her right password still counts as the 3rd for the IP.
      await expect(l.protect('alice', '10.0.0.1', right)).resolves.toBe('ok');
      await expect(l.protect('bob', '10.0.0.1', refused)).rejects.toBeInstanceOf(refusal().constructor);
      // Three kept for 10.0.0.1 (its limit): any username is refused.
      await expect(l.protect('bob', '10.0.0.1', right)).rejects.toBeInstanceOf(TooManyAttemptsException);
      expect((await store.hit('ip:10.0.0.1', 60_000)).count).toBe(5);
      clock.advance(60_000);
      await expect(l.protect('bob', '10.0.0.1', right)).resolves.toBe('ok');
    },
  );

  it('counts a refusal caused by others (a crowd of newcomers, maxWait passed) nowhere', async () => {
    const { limiter: l } = limiter();
    const busy = () => Promise.reject(new PasswordChecksBusyException());
    for (let i = 0; i < 11; i++)
      await expect(l.protect('alice', '10.0.0.1', busy)).rejects.toBeInstanceOf(PasswordChecksBusyException);
    await expect(l.protect('alice', '10.0.0.1', right)).resolves.toBe('ok');
  });

  it('through a full queue: a person refused by a crowd is never locked out, a flooding address reaches its limit', async () => {
    const { limiter: l } = limiter();
    const queue = new PasswordCheckQueue({ concurrency: 1, queuePerClient: 4, queue: 2, maxWait: 10 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const through = (ip: string) => () => queue.run(clientAddress(ip), right);
    // Three addresses that asked for one check each: one runs (held), two wait, the queue is full.
    const holder = (ip: string) => () => queue.run(clientAddress(ip), () => held.then(() => 'ok'));
    const crowd = ['10.9.9.1', '10.9.9.2', '10.9.9.3'].map((ip) => l.protect('carol', ip, holder(ip)));
    // The person is one more of the crowd: refused (503), not counted. Past their own share (4 asked
    // for lately) a retry is their own doing, counted against the address only, never alice+address.
    for (let i = 0; i < 5; i++)
      await expect(l.protect('alice', '10.5.5.5', through('10.5.5.5'))).rejects.toBeInstanceOf(
        PasswordChecksBusyException,
      );
    // A flooding address: its first 4 are refused as the person's were, the next 3 count, then 429.
    const answers: string[] = [];
    for (let i = 0; i < 8; i++)
      answers.push(await l.protect(`u${i}`, '10.0.0.1', through('10.0.0.1')).catch((e: Error) => e.constructor.name));
    expect(answers).toEqual([
      ...Array<string>(4).fill('PasswordChecksBusyException'),
      ...Array<string>(3).fill('PasswordCheckOutrankedException'),
      'TooManyAttemptsException',
    ]);
    release();
    await expect(Promise.all(crowd)).resolves.toEqual(['ok', 'ok', 'ok']);
    // alice from 10.5.5.5 (limit 2 per username+address) signs in: none of the five counted against her.
    await expect(l.protect('alice', '10.5.5.5', through('10.5.5.5'))).resolves.toBe('ok');
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
