import { ManualClock } from '../../contracts/clock/manual.clock';
import { describeLoginAttemptStore } from '../../testing/login-attempt-store.conformance';
import { startRedis, type RedisServer } from '../../testing/redis.server';
import { redisClients } from '../../testing/redis-clients';
import { InMemoryLoginAttemptStore } from './memory-login-attempt.store';
import { RedisLoginAttemptStore } from './redis-login-attempt.store';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(() => server.stop());

const clients = redisClients(() => server.url);
afterAll(() => clients.closeAll());
const connect = () => clients.connect();

describeLoginAttemptStore('RedisLoginAttemptStore on a real Redis', async () => {
  const redis = await connect();
  return {
    store: new RedisLoginAttemptStore(redis, new InMemoryLoginAttemptStore(new ManualClock()), () => true),
    close: () => Promise.resolve(redis.disconnect()),
  };
});

describe('RedisLoginAttemptStore', () => {
  it('shares one count between instances, and the window ends in Redis (PEXPIRE on the first attempt)', async () => {
    const [a, b] = [await connect(), await connect()];
    const memory = () => new InMemoryLoginAttemptStore(new ManualClock());
    const [one, two] = [
      new RedisLoginAttemptStore(a, memory(), () => true),
      new RedisLoginAttemptStore(b, memory(), () => true),
    ];
    await one.hit('shared', 60_000);
    expect((await two.hit('shared', 60_000)).count).toBe(2);
    const ttl = await a.pttl('multi-token-auth:attempts:shared');
    expect(ttl).toBeGreaterThan(58_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    a.disconnect();
    b.disconnect();
  });

  it('counts in memory while the revocation bus says Redis is unhealthy, and when Redis hangs', async () => {
    const redis = await connect();
    let healthy = false;
    const memory = new InMemoryLoginAttemptStore(new ManualClock());
    const store = new RedisLoginAttemptStore(redis, memory, () => healthy);
    expect((await store.hit('fallback', 60_000)).count).toBe(1);
    expect((await memory.hit('fallback', 60_000)).count).toBe(2);
    healthy = true;
    server.pause();
    try {
      const started = Date.now();
      expect((await store.hit('fallback', 60_000)).count).toBe(3);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      server.resume();
      redis.disconnect();
    }
  });
});
