import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AuthToken } from '../entities/auth-token.entity';
import { RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { TokenStore } from '../storage/token-store.interface';
import { Clock } from '../clock/clock.interface';
import { expiryOf } from './token-lifetime';

/** Above this many remembered writes, entries older than the interval are swept. */
const SWEEP_AT = 10_000;

/**
 * Keeps `lastUsedAt` roughly current without a write per request: a token is written only when the
 * newer of its stored value and this process's last write for it is older than the interval, with
 * at most one write in flight per token, and the write never delays the response. (A request may
 * have read the row just before another request's write landed; remembering our own writes keeps
 * such stale reads from issuing another statement.) The UPDATE itself is conditional too, so other
 * processes add at most one write each per interval. A failed write is logged by token id, never
 * the token, and dropped.
 */
@Injectable()
export class LastUsedTracker {
  private readonly logger = new Logger('MultiTokenAuth');
  private readonly pending = new Map<string, Promise<void>>();
  private readonly written = new Map<string, number>();
  private readonly intervalMs: number;
  private sweepAt = SWEEP_AT;

  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(TokenStore) private readonly store: TokenStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.intervalMs = options.lastUsedUpdateInterval * 1000;
  }

  /**
   * Records a use of `token` now, and for a client with an idle timeout slides its expiry in the same
   * write (then at most every half idle timeout, so that steady use always lands in time).
   * Returns the pending write (tests await it; requests do not).
   */
  seen(token: AuthToken): Promise<void> {
    const now = this.clock.now().getTime();
    const idle = token.client?.idleTimeout ?? null;
    const intervalMs = idle === null ? this.intervalMs : Math.min(this.intervalMs, (idle * 1000) / 2);
    const last = Math.max(token.lastUsedAt?.getTime() ?? -Infinity, this.written.get(token.id) ?? -Infinity);
    if (now - last < intervalMs) return Promise.resolve();
    const inFlight = this.pending.get(token.id);
    if (inFlight) return inFlight;
    const expiresAt = idle === null ? undefined : expiryOf(token.client, token.createdAt, new Date(now));
    const write = this.store
      .touch(token.id, new Date(now), intervalMs, expiresAt)
      .then(() => this.remember(token.id, now))
      .catch((error: unknown) => {
        this.logger.warn(`lastUsedAt update failed for token id ${token.id}: ${String(error)}`);
      })
      .finally(() => this.pending.delete(token.id));
    this.pending.set(token.id, write);
    return write;
  }

  private remember(tokenId: string, at: number): void {
    this.written.set(tokenId, at);
    if (this.written.size <= this.sweepAt) return;
    for (const [id, time] of this.written) {
      if (at - time >= this.intervalMs) this.written.delete(id);
    }
    // Many distinct tokens within one interval: sweep again only once the map has doubled, so the
    // sweep stays amortized O(1) per write instead of O(n) on every write past the threshold.
    this.sweepAt = Math.max(SWEEP_AT, this.written.size * 2);
  }
}
