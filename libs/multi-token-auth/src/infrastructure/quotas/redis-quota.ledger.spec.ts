import type { QuotaBalance, TokenQuota } from '../../contracts/token-quota';
import { spend } from '../../pure/quotas/quota.balance';
import { startRedis, type RedisServer } from '../../testing/redis.server';
import { redisClients } from '../../testing/redis-clients';
import { MemoryQuotaLedger } from './memory-quota.ledger';
import { RedisQuotaLedger } from './redis-quota.ledger';

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;

describe('RedisQuotaLedger on a real Redis', () => {
  let server: RedisServer;
  const clients = redisClients(() => server.url);
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());
  afterEach(() => clients.closeAll());

  async function ledger(healthy = () => true) {
    const redis = await clients.connect();
    const memory = new MemoryQuotaLedger();
    return { ledger: new RedisQuotaLedger(redis, memory, healthy), memory, redis };
  }

  const initial = (remaining: number, seq = 0): QuotaBalance => ({ remaining, refilledAt: NOW, seq });

  it('50 spends at once from two instances for the last 10 units: exactly 10 allowed, the balance 0', async () => {
    const [a, b] = [await ledger(), await ledger()];
    const quota = { limit: 100 };
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).ledger.spend('race:1', quota, initial(10), 1, NOW)),
    );
    expect(results.filter((result) => result.allowed)).toHaveLength(10);
    expect(await a.ledger.peek('race:1', quota, initial(10), NOW)).toEqual({ remaining: 0, refilledAt: NOW, seq: 10 });
  });

  it('starts from the stored balance once, then ignores it; keeps timestamps exact (no 1.8e+12)', async () => {
    const { ledger: l, redis } = await ledger();
    const quota = { limit: 10 };
    expect((await l.spend('start:1', quota, initial(4, 7), 1, NOW)).balance).toEqual({
      remaining: 3,
      refilledAt: NOW,
      seq: 8,
    });
    expect((await l.spend('start:1', quota, initial(10), 1, NOW)).balance.remaining).toBe(2);
    expect(await redis.hgetall('multi-token-auth:quota:start:1')).toEqual({ r: '2', a: String(NOW), s: '9' });
    expect(await redis.pttl('multi-token-auth:quota:start:1')).toBeGreaterThan(6 * 24 * HOUR);
  });

  it('answers as the in-memory rule does, refills and Retry-After included', async () => {
    const { ledger: l } = await ledger();
    const quota: TokenQuota = { limit: 5, refill: { amount: 2, every: '1h' } };
    let expected = initial(5);
    const steps: [cost: number, at: number][] = [
      [3, NOW],
      [3, NOW + 1],
      [2, NOW + HOUR - 1],
      [0, NOW + HOUR],
      [4, NOW + HOUR + 5],
      [3, NOW + 3 * HOUR + 1],
      [6, NOW + 3 * HOUR + 2],
    ];
    for (const [cost, at] of steps) {
      const want = spend(quota, expected, cost, at);
      expect(await l.spend('same:1', quota, initial(5), cost, at)).toEqual(want);
      expected = want.balance;
    }
  });

  it('spends in memory while the bus is unhealthy or Redis hangs, going on from the last balance Redis gave', async () => {
    let healthy = true;
    const { ledger: l, memory } = await ledger(() => healthy);
    const quota = { limit: 10 };
    await l.spend('down:1', quota, initial(10), 4, NOW);
    healthy = false;
    expect((await l.spend('down:1', quota, initial(10), 1, NOW)).balance.remaining).toBe(5);
    healthy = true;
    server.pause();
    try {
      const started = Date.now();
      expect((await l.spend('down:1', quota, initial(10), 1, NOW)).balance.remaining).toBe(4);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      server.resume();
    }
    expect(memory.size).toBe(1);
  });
});

describe('MemoryQuotaLedger', () => {
  it('is exact under concurrent spends, and forgets balances unused for the idle time', async () => {
    const memory = new MemoryQuotaLedger();
    const quota = { limit: 10 };
    const results = await Promise.all(
      Array.from({ length: 50 }, () => memory.spend('k', quota, { remaining: 10, refilledAt: NOW, seq: 0 }, 1, NOW)),
    );
    expect(results.filter((result) => result.allowed)).toHaveLength(10);
    memory.sweep(NOW + 1000, 1000);
    expect(memory.size).toBe(1);
    memory.sweep(NOW + 1001, 1000);
    expect(memory.size).toBe(0);
  });
});
