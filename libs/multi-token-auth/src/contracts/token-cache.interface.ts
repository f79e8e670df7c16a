import type { AuthToken } from './entities/auth-token.entity';
import type { UserId } from './user-id';

/**
 * Verified-token cache: digest → the token record with its user, as the store returned it.
 * Implementations must drop an entry at its `expiresAt` (milliseconds, the library's clock) and on
 * every eviction; the caller (`CachedTokenStore`) decides what may be cached and when to evict.
 */
export interface TokenCache {
  /** The live entry for this digest at `now` (ms), or `undefined`. */
  get(digest: string, now: number): AuthToken | undefined;
  /** Caches `token` under `digest` until `expiresAt` (ms, the library's clock). */
  set(digest: string, token: AuthToken, expiresAt: number): void;
  /** Drops these digests. */
  evict(digests: readonly string[]): void;
  /** Drops every entry of this user. */
  evictUser(userId: UserId): void;
  /** Drops everything. */
  clear(): void;
  /** Entries held now. */
  readonly size: number;
}

/** Injection token of the verified-token cache. */
export const TokenCache = Symbol('TokenCache');
