import { MemoryThrottlerStorage } from '../../infrastructure/throttling/memory-throttler.storage';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { RateLimitedException } from '../../contracts/errors/rate-limited.exception';
import type { TransportCall } from '../../pure/transports/transport-call';
import { KeyRateLimitCheck } from './key-rate-limit.check';

describe('KeyRateLimitCheck', () => {
  let storage: MemoryThrottlerStorage;
  let check: KeyRateLimitCheck;
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') });
    storage = new MemoryThrottlerStorage();
    check = new KeyRateLimitCheck(storage);
  });
  afterEach(() => {
    storage.onApplicationShutdown();
    jest.useRealTimers();
  });

  function call(token: Partial<AuthToken>): { call: TransportCall; headers: Map<string, string> } {
    const headers = new Map<string, string>();
    const res = { setHeader: (name: string, value: string | string[]) => headers.set(name, String(value)) };
    return { call: { kind: 'http', req: { headers: {}, authToken: token as AuthToken }, res }, headers };
  }
  const key = (fields: Partial<AuthToken> = {}): Partial<AuthToken> => ({
    id: 'k1',
    rateLimit: '2/s',
    replacedBy: null,
    ...fields,
  });

  it('passes the limit, refuses past it with Retry-After, and passes again once the window has gone by', async () => {
    const token = key();
    const first = call(token);
    await check.check(first.call);
    expect(Object.fromEntries(first.headers)).toEqual({
      'X-RateLimit-Limit-Key': '2',
      'X-RateLimit-Remaining-Key': '1',
      'X-RateLimit-Reset-Key': '1',
    });
    await check.check(call(token).call);
    const refused = call(token);
    await expect(check.check(refused.call)).rejects.toBeInstanceOf(RateLimitedException);
    expect(refused.headers.get('Retry-After')).toBe('1');
    expect(refused.headers.get('X-RateLimit-Remaining-Key')).toBe('0');
    jest.advanceTimersByTime(999);
    await expect(check.check(call(token).call)).rejects.toBeInstanceOf(RateLimitedException);
    jest.advanceTimersByTime(1);
    await expect(check.check(call(token).call)).resolves.toBeUndefined();
  });

  it('a token without a limit, or with one it cannot read (edited in the database), is not counted', async () => {
    const increment = jest.spyOn(storage, 'increment');
    for (const rateLimit of [null, 'fast', '0/m']) {
      const { call: unlimited, headers } = call(key({ rateLimit }));
      for (let i = 0; i < 5; i++) await check.check(unlimited);
      expect(headers.size).toBe(0);
    }
    expect(increment).not.toHaveBeenCalled();
  });

  it('a replaced key spends its replacement’s budget; a changed limit starts a new one', async () => {
    await check.check(call(key({ id: 'new' })).call);
    await check.check(call(key({ id: 'old', replacedBy: 'new' })).call);
    await expect(check.check(call(key({ id: 'new' })).call)).rejects.toBeInstanceOf(RateLimitedException);
    await expect(check.check(call(key({ id: 'new', rateLimit: '3/s' })).call)).resolves.toBeUndefined();
  });
});
