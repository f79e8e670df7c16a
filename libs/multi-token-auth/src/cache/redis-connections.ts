import type { RedisConnection } from './revocation-bus.interface';
import type { RedisOptions } from '../multi-token-auth.options';

/**
 * The bus's two connections (a subscriber cannot publish): duplicates of the app's client, or new
 * ioredis clients for `url`. ioredis is an optional peer, loaded only when the option is used.
 */
export async function openRedisConnections(options: RedisOptions): Promise<[RedisConnection, RedisConnection]> {
  if (options.client) return [options.client.duplicate(), options.client.duplicate()];
  if (!options.url) throw new Error('multi-token-auth: the redis option needs a url or a client.');
  let Redis: typeof import('ioredis').default;
  try {
    Redis = (await import('ioredis')).default;
  } catch {
    throw new Error('multi-token-auth: the redis option needs the ioredis package. Install it: npm install ioredis');
  }
  const url = options.url;
  return [new Redis(url), new Redis(url)];
}
