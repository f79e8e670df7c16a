import Redis from 'ioredis';
import { startRedis, type RedisServer } from '../../testing/redis.server';
import { within } from '../../testing/within';
import type { Revocation } from '../../contracts/revocation-bus.interface';
import { RedisRevocationBus } from './redis-revocation.bus';

describe('RedisRevocationBus on a real Redis', () => {
  let server: RedisServer;
  let buses: { bus: RedisRevocationBus; received: Revocation[]; recoveries: number }[] = [];

  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());
  afterEach(() => {
    for (const { bus } of buses) bus.stop();
    buses = [];
  });

  async function join() {
    const entry = { received: [] as Revocation[], recoveries: 0 } as (typeof buses)[number];
    const connection = () => new Redis(server.url, { maxRetriesPerRequest: 1 });
    entry.bus = new RedisRevocationBus(connection(), connection(), 'test:revocations');
    entry.bus.attach({
      revoked: (revocation) => entry.received.push(revocation),
      recovered: () => entry.recoveries++,
    });
    buses.push(entry);
    await entry.bus.start();
    expect(await within(2000, () => entry.bus.isHealthy())).toBe(true);
    return entry;
  }

  it('delivers a revocation to every other instance, not back to its sender', async () => {
    const [a, b] = [await join(), await join()];
    a.bus.publish({ digests: ['d1', 'd2'] });
    a.bus.publish({ userId: 7 });
    b.bus.publish({ all: true });
    expect(await within(1000, () => b.received.length === 2 && a.received.length === 1)).toBe(true);
    expect(b.received).toEqual([{ digests: ['d1', 'd2'] }, { userId: 7 }]);
    expect(a.received).toEqual([{ all: true }]);
  });

  it('a hung Redis (SIGSTOP) is noticed within 1 s; publishing neither waits nor throws; recovery is reported', async () => {
    const a = await join();
    server.pause();
    try {
      const started = Date.now();
      a.bus.publish({ userId: 1 }); // returns at once
      expect(Date.now() - started).toBeLessThan(50);
      await new Promise((wait) => setTimeout(wait, 1000));
      expect(a.bus.isHealthy()).toBe(false);
    } finally {
      server.resume();
    }
    expect(await within(3000, () => a.bus.isHealthy())).toBe(true);
    expect(a.recoveries).toBe(2); // the start, and the return
  });

  it('a stopped Redis is noticed at once, and the bus comes back when Redis does', async () => {
    const a = await join();
    await server.stop();
    expect(await within(1000, () => !a.bus.isHealthy())).toBe(true);
    await server.restart();
    expect(await within(5000, () => a.bus.isHealthy())).toBe(true);
    expect(a.recoveries).toBe(2);
  });
});
