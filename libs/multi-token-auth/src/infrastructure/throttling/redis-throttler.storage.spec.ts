import { startRedis, type RedisServer } from '../../testing/redis.server';
import { redisClients } from '../../testing/redis-clients';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { MemoryThrottlerStorage } from './memory-throttler.storage';

describe('RedisThrottlerStorage on a real Redis', () => {
  let server: RedisServer;
  const clients = redisClients(() => server.url);
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server.stop());
  afterEach(() => clients.closeAll());

  async function storage(healthy = () => true) {
    const redis = await clients.connect();
    const memory = new MemoryThrottlerStorage();
    return { storage: new RedisThrottlerStorage(redis, memory, healthy), memory };
  }

  it('counts one window across instances, then blocks past the limit', async () => {
    const [a, b] = [await storage(), await storage()];
    const hit = (s: RedisThrottlerStorage) => s.increment('user:1', 60_000, 2, 60_000, 'clients');
    expect(await hit(a.storage)).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    expect(await hit(b.storage)).toMatchObject({ totalHits: 2, isBlocked: false });
    expect(await hit(a.storage)).toMatchObject({ totalHits: 3, isBlocked: true, timeToBlockExpire: 60 });
    expect(await hit(b.storage)).toMatchObject({ isBlocked: true });
  });

  it('counts as the in-memory fallback does: the same answers for the same hits', async () => {
    const { storage: redis } = await storage();
    const memory = new MemoryThrottlerStorage();
    try {
      for (let i = 0; i < 5; i++) {
        const [fromRedis, fromMemory] = await Promise.all([
          redis.increment('same', 60_000, 2, 30_000, 'clients'),
          memory.increment('same', 60_000, 2, 30_000, 'clients'),
        ]);
        expect(fromMemory).toEqual(fromRedis);
      }
    } finally {
      memory.onApplicationShutdown();
    }
  });

  it('counts in memory while the bus is unhealthy, and when Redis hangs (after at most 250 ms)', async () => {
    let healthy = false;
    const { storage: s, memory } = await storage(() => healthy);
    const fromMemory = jest.spyOn(memory, 'increment');
    await s.increment('user:2', 60_000, 5, 60_000, 'clients');
    expect(fromMemory).toHaveBeenCalledTimes(1);
    healthy = true; // the bus has not noticed yet
    server.pause();
    try {
      const started = Date.now();
      expect(await s.increment('user:2', 60_000, 5, 60_000, 'clients')).toMatchObject({ totalHits: 2 });
      expect(Date.now() - started).toBeLessThan(1000);
      expect(fromMemory).toHaveBeenCalledTimes(2);
    } finally {
      server.resume();
    }
  });
});
