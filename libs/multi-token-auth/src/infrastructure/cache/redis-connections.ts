import { Logger } from '@nestjs/common';
import type { RedisConnection } from '../../contracts/revocation-bus.interface';
import type { RedisOptions } from '../../contracts/multi-token-auth.options';
import { monitorRedisLink, reconnectDelay, type LinkLog } from './redis-link.monitor';

/** The library's Redis connections: pub/sub needs two, and rate-limit counters get their own. */
export interface RedisConnections {
  publisher: RedisConnection;
  subscriber: RedisConnection;
  /** Fails commands at once while disconnected (no offline queue): counters fall back to memory. */
  counters: RedisConnection;
}

/**
 * Duplicates of the app's client, or new ioredis clients for `url`. ioredis is an optional peer,
 * loaded only when the option is used. Every connection is monitored (`monitorRedisLink`): an error
 * listener, and one log line when it goes down and one when it is back. Connections opened for
 * `url` reconnect with `reconnectDelay` (at most 1 s apart); duplicates keep the app client's
 * `retryStrategy` (ioredis's default is at most 2 s apart).
 */
export async function openRedisConnections(
  options: RedisOptions,
  log: LinkLog = new Logger('MultiTokenAuth'),
): Promise<RedisConnections> {
  const connections = await open(options);
  for (const name of ['publisher', 'subscriber', 'counters'] as const) monitorRedisLink(name, connections[name], log);
  return connections;
}

async function open(options: RedisOptions): Promise<RedisConnections> {
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
  const retryStrategy = reconnectDelay;
  return {
    publisher: new Redis(url, { retryStrategy }),
    subscriber: new Redis(url, { retryStrategy }),
    counters: new Redis(url, { retryStrategy, enableOfflineQueue: false, maxRetriesPerRequest: 0 }),
  };
}
