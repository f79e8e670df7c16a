import Redis from 'ioredis';

/**
 * Connections to a spec's Redis as the library's counters use theirs (no offline queue, no retries:
 * a call while the link is down fails at once, and the counter falls back to memory), each ready
 * before it is handed out, and all closed by `closeAll()` (call it in `afterEach`).
 */
export function redisClients(url: () => string): { connect(): Promise<Redis>; closeAll(): void } {
  const open: Redis[] = [];
  return {
    async connect() {
      const redis = new Redis(url(), { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
      open.push(redis);
      await new Promise((ready) => redis.once('ready', ready));
      return redis;
    },
    closeAll() {
      for (const redis of open.splice(0)) redis.disconnect();
    },
  };
}
