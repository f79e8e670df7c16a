import { conformanceTestApi, type ConformanceTestApi } from './conformance.api';
import type { TokenCache } from '../contracts/token-cache.interface';
import type { AuthToken } from '../contracts/entities/auth-token.entity';

/** A record shaped like the store's: what a cache holds. */
function record(id: string, userId: number | string): AuthToken {
  return { id, userId, digest: `digest-${id}`, user: { id: userId } } as unknown as AuthToken;
}

/**
 * The `TokenCache` contract. `factory(maxEntries)` makes a fresh, empty cache holding at most that
 * many entries.
 */
export function describeTokenCache(
  name: string,
  factory: (maxEntries: number) => TokenCache,
  api?: ConformanceTestApi,
): void {
  const { describe, it, expect } = conformanceTestApi(api, 'describeTokenCache');
  describe(`TokenCache contract: ${name}`, () => {
    it('returns what was set until its expiry, and nothing from then on', () => {
      const cache = factory(10);
      const token = record('a', 1);
      cache.set('d-a', token, 1000);
      expect(cache.get('d-a', 999)).toBe(token);
      expect(cache.get('d-a', 1000)).toBeUndefined();
      expect(cache.get('d-a', 0)).toBeUndefined(); // gone, not merely hidden
      expect(cache.size).toBe(0);
    });

    it('evicts by digest, by user (7 and "7" alike) and entirely', () => {
      const cache = factory(10);
      cache.set('d-a', record('a', 7), 1000);
      cache.set('d-b', record('b', 7), 1000);
      cache.set('d-c', record('c', 8), 1000);
      cache.set('d-d', record('d', 9), 1000);
      cache.evict(['d-a', 'unknown']);
      expect(cache.get('d-a', 0)).toBeUndefined();
      cache.evictUser('7');
      expect(cache.get('d-b', 0)).toBeUndefined();
      expect(cache.get('d-d', 0)).toBeDefined();
      cache.clear();
      expect(cache.size).toBe(0);
    });

    it('holds at most maxEntries, dropping the least recently used first', () => {
      const cache = factory(2);
      cache.set('d-a', record('a', 1), 1000);
      cache.set('d-b', record('b', 1), 1000);
      cache.get('d-a', 0); // a is now more recent than b
      cache.set('d-c', record('c', 1), 1000);
      expect(cache.size).toBe(2);
      expect(cache.get('d-b', 0)).toBeUndefined();
      expect(cache.get('d-a', 0)).toBeDefined();
      cache.evictUser(1); // the indexes forgot the dropped entry too
      expect(cache.size).toBe(0);
    });

    it('replaces an entry set twice, index included', () => {
      const cache = factory(10);
      cache.set('d-a', record('a', 1), 1000);
      cache.set('d-a', record('a', 2), 1000);
      expect(cache.size).toBe(1);
      cache.evictUser(1);
      expect(cache.get('d-a', 0)).toBeDefined();
      cache.evictUser(2);
      expect(cache.get('d-a', 0)).toBeUndefined();
    });
  });
}
