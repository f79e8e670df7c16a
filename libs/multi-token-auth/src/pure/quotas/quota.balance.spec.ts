import { fullBalance, newlySet, refilled, spend, waitFor } from './quota.balance';
import { normalizeQuota, parseRefillEvery, quotaProblem } from './quota.rule';

const HOUR = 3_600_000;

describe('quota balances', () => {
  const daily = { limit: 10, refill: { amount: 4, every: '1h' } };

  it('spends while the balance holds the cost; a refused spend takes nothing and changes nothing', () => {
    let balance = fullBalance({ limit: 3 }, 0);
    const seen: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const result = spend({ limit: 3 }, balance, 1, 1000 * i);
      seen.push(result.allowed);
      balance = result.balance;
    }
    expect(seen).toEqual([true, true, true, false]);
    expect(balance).toEqual({ remaining: 0, refilledAt: 0, seq: 3 });
    // No refill: nothing will ever cover it.
    expect(spend({ limit: 3 }, balance, 1, 5000).retryAfterMs).toBeUndefined();
    // A cost above what is left is refused whole (nothing partial).
    expect(spend({ limit: 3 }, { remaining: 2, refilledAt: 0, seq: 1 }, 3, 0)).toEqual({
      allowed: false,
      balance: { remaining: 2, refilledAt: 0, seq: 1 },
      retryAfterMs: undefined,
    });
  });

  it('refills amount per whole period, never above the limit, and moves the period start by whole periods', () => {
    const empty = { remaining: 0, refilledAt: 0, seq: 5 };
    expect(refilled(daily, empty, HOUR - 1)).toBe(empty);
    expect(refilled(daily, empty, HOUR)).toEqual({ remaining: 4, refilledAt: HOUR, seq: 6 });
    expect(refilled(daily, empty, 2 * HOUR + 30)).toEqual({ remaining: 8, refilledAt: 2 * HOUR, seq: 6 });
    expect(refilled(daily, empty, 10 * HOUR)).toEqual({ remaining: 10, refilledAt: 10 * HOUR, seq: 6 });
  });

  it('a refused spend says when refills will cover it; never for a cost above the limit', () => {
    const balance = { remaining: 1, refilledAt: 0, seq: 1 };
    const refused = spend(daily, balance, 6, 10 * 60_000);
    expect(refused.allowed).toBe(false);
    // 5 more units: two refills of 4, the second at 2 h.
    expect(refused.retryAfterMs).toBe(2 * HOUR - 10 * 60_000);
    expect(waitFor(daily, balance, 11, 0)).toBeUndefined();
    expect(spend(daily, balance, 6, 2 * HOUR)).toMatchObject({ allowed: true, balance: { remaining: 3 } });
  });

  it('a cost of 0 is allowed without a change', () => {
    const balance = { remaining: 0, refilledAt: 0, seq: 2 };
    expect(spend({ limit: 1 }, balance, 0, 10)).toEqual({ allowed: true, balance });
  });

  it('a quota set at a time is full, its balance named by that time', () => {
    const at = new Date(1_800_000_000_000);
    expect(newlySet({ limit: 5 }, at)).toEqual({
      quota: { limit: 5 },
      setAt: at,
      balance: { remaining: 5, refilledAt: at.getTime(), seq: 0 },
    });
  });
});

describe('quota rules', () => {
  it.each([
    [{ limit: 1 }],
    [{ limit: 1_000_000_000 }],
    [{ limit: 100, refill: { amount: 100, every: '1d' } }],
    [{ limit: 100, refill: { amount: 1, every: '1m' } }],
    [{ limit: 100, refill: null }],
    [null],
  ])('accepts %j', (quota) => {
    expect(quotaProblem(quota)).toBeUndefined();
  });

  it.each([
    ['a number', 100, 'quota must be'],
    ['an array', [100], 'quota must be'],
    ['a missing limit', {}, 'quota.limit must be'],
    ['a zero limit', { limit: 0 }, 'quota.limit must be'],
    ['a fraction', { limit: 1.5 }, 'quota.limit must be'],
    ['a limit as text', { limit: '10' }, 'quota.limit must be'],
    ['a huge limit', { limit: 1e12 }, 'quota.limit must be'],
    ['an unknown field', { limit: 1, remaining: 5 }, 'unknown field remaining'],
    ['a refill above the limit', { limit: 5, refill: { amount: 6, every: '1d' } }, 'quota.refill.amount'],
    ['a refill of 0', { limit: 5, refill: { amount: 0, every: '1d' } }, 'quota.refill.amount'],
    ['weeks', { limit: 5, refill: { amount: 1, every: '1w' } }, 'quota.refill.every'],
    ['seconds', { limit: 5, refill: { amount: 1, every: '30s' } }, 'quota.refill.every'],
    ['over a year', { limit: 5, refill: { amount: 1, every: '367d' } }, 'quota.refill.every'],
    ['a refill without every', { limit: 5, refill: { amount: 1 } }, 'quota.refill.every'],
    ['a refill with extra', { limit: 5, refill: { amount: 1, every: '1d', at: 0 } }, 'quota.refill must be'],
  ])('refuses %s', (_case, quota, message) => {
    expect(quotaProblem(quota)).toContain(message);
  });

  it('reads periods of minutes, hours and days, up to 366 days', () => {
    expect(parseRefillEvery('30m')).toBe(30 * 60_000);
    expect(parseRefillEvery('12h')).toBe(12 * HOUR);
    expect(parseRefillEvery('366d')).toBe(366 * 24 * HOUR);
    expect(parseRefillEvery('0d')).toBeUndefined();
  });

  it('keeps only the rule’s own fields', () => {
    expect(normalizeQuota({ limit: 3, refill: undefined })).toEqual({ limit: 3 });
    expect(normalizeQuota({ limit: 3, refill: { amount: 1, every: '1d' } })).toEqual({
      limit: 3,
      refill: { amount: 1, every: '1d' },
    });
  });
});
