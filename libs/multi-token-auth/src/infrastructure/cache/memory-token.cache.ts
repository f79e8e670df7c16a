import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import type { TokenCache } from '../../contracts/token-cache.interface';
import type { UserId } from '../../contracts/user-id';

interface Entry {
  token: AuthToken;
  expiresAt: number;
  /** `InMemoryTokenCache.moves` when the entry last moved to the young end. */
  movedAt: number;
}

/**
 * The default cache: an LRU in this process's memory, bounded by `maxEntries`, with an index by
 * user so that "log out everywhere" and a change to the user evict in one step.
 * A `Map` keeps insertion order, so re-inserting on a hit makes its first key the least recent.
 */
export class InMemoryTokenCache implements TokenCache {
  private readonly entries = new Map<string, Entry>();
  // Keyed by String(userId): an id may arrive as 7 from one path and '7' from another.
  private readonly byUser = new Map<string, Set<string>>();
  /** Moves to the young end so far (sets and moved hits); the youngest entry's `movedAt` equals it. */
  private moves = 0;

  /** @param maxEntries most entries held; the least recently used goes first */
  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(digest: string, now: number): AuthToken | undefined {
    const entry = this.entries.get(digest);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.evict([digest]);
      return undefined;
    }
    // Least recently used goes first: a hit moves its entry to the young end, unless it is there
    // already (a hot token's every hit would otherwise cost a Map delete and insert).
    if (entry.movedAt !== this.moves) {
      entry.movedAt = ++this.moves;
      this.entries.delete(digest);
      this.entries.set(digest, entry);
    }
    return entry.token;
  }

  set(digest: string, token: AuthToken, expiresAt: number): void {
    this.evict([digest]);
    this.entries.set(digest, { token, expiresAt, movedAt: ++this.moves });
    let digests = this.byUser.get(String(token.userId));
    if (!digests) this.byUser.set(String(token.userId), (digests = new Set()));
    digests.add(digest);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.evict([oldest]);
    }
  }

  evict(digests: readonly string[]): void {
    for (const digest of digests) {
      const entry = this.entries.get(digest);
      if (!entry) continue;
      this.entries.delete(digest);
      const forUser = this.byUser.get(String(entry.token.userId));
      forUser?.delete(digest);
      if (forUser?.size === 0) this.byUser.delete(String(entry.token.userId));
    }
  }

  evictUser(userId: UserId): void {
    this.evict([...(this.byUser.get(String(userId)) ?? [])]);
  }

  clear(): void {
    this.entries.clear();
    this.byUser.clear();
  }
}
