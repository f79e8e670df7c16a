import type { RedisConnection } from './revocation-bus.interface';
import type { RedisOptions } from '../multi-token-auth.options';

/** The library's Redis connections: pub/sub needs two, and rate-limit counters get their own. */
export interface RedisConnections {
  publisher: RedisConnection;
  subscriber: RedisConnection;
  /** Fails commands at once while disconnected (no offline queue): counters fall back to memory. */
  counters: RedisConnection;
}

/**
 * Duplicates of the app's client, or new ioredis clients for `url`. ioredis is an optional peer,
 * loaded only when the option is used.
 */
export async function openRedisConnections(options: RedisOptions): Promise<RedisConnections> {
  if (options.client) {
    const { client } = options;
    return { publisher: client.duplicate(), subscriber: client.duplicate(), counters: client.duplicate() };
  }
  if (!options.url) throw new Error('multi-token-auth: the redis option needs a url or a client.');
  let Redis: typeof import('ioredis').default;
  try {
    Redis = (await import('ioredis')).default;
  } catch {
    throw new Error('multi-token-auth: the redis option needs the ioredis package. Install it: npm install ioredis');
  }
  const url = options.url;
  return {
    publisher: new Redis(url),
    subscriber: new Redis(url),
    counters: new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 }),
  };
}
