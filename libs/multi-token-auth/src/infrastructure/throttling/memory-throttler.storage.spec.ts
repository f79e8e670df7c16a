import { MemoryThrottlerStorage } from './memory-throttler.storage';

describe('MemoryThrottlerStorage', () => {
  let storage: MemoryThrottlerStorage;
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') });
    storage = new MemoryThrottlerStorage();
  });
  afterEach(() => {
    storage.onApplicationShutdown();
    jest.useRealTimers();
  });
  const hit = (key = 'user:1', limit = 2, ttl = 60_000, block = ttl) => storage.increment(key, ttl, limit, block, 'n');
  const size = () => (storage as unknown as { counters: Map<string, unknown> }).counters.size;

  it('counts a fixed window from the first hit, then blocks past the limit for the block duration', async () => {
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    jest.advanceTimersByTime(20_000);
    expect(await hit()).toEqual({ totalHits: 2, timeToExpire: 40, isBlocked: false, timeToBlockExpire: 0 });
    expect(await hit()).toEqual({ totalHits: 3, timeToExpire: 40, isBlocked: true, timeToBlockExpire: 60 });
    // The window ends at 60 s but the block (from 20 s) lasts until 80 s: a new window, still blocked.
    jest.advanceTimersByTime(45_000);
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: true, timeToBlockExpire: 15 });
    // The block is over; the window that began at 65 s goes on (as Redis's key would).
    jest.advanceTimersByTime(15_000);
    expect(await hit()).toEqual({ totalHits: 2, timeToExpire: 45, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('keeps keys and throttler names apart; with no block duration, past the limit is not blocked', async () => {
    await hit('a', 1);
    expect(await hit('a', 1)).toMatchObject({ isBlocked: true });
    expect(await hit('b', 1)).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await storage.increment('a', 60_000, 1, 60_000, 'other')).toMatchObject({ totalHits: 1 });
    await hit('c', 1, 60_000, 0);
    expect(await hit('c', 1, 60_000, 0)).toMatchObject({ totalHits: 2, isBlocked: false });
  });

  it('holds one counter per key however many hits, and sweeps ended windows', async () => {
    for (let i = 0; i < 10_000; i++) await hit('busy', 1_000_000);
    expect(await hit('busy', 1_000_000)).toMatchObject({ totalHits: 10_001 });
    await hit('short', 5, 1_000);
    expect(size()).toBe(2);
    jest.advanceTimersByTime(60_000);
    expect(size()).toBe(0);
  });
});
