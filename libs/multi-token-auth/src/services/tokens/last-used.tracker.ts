import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { TokenStore, type TokenTouch } from '../../contracts/token-store.interface';
import { Clock } from '../../contracts/clock/clock.interface';
import { expiryOf } from '../../pure/tokens/token-lifetime';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/** Above this many remembered writes, entries older than the interval are swept. */
const SWEEP_AT = 10_000;
/** How long due writes are collected before one statement writes them all, in milliseconds. */
export const LAST_USED_FLUSH_MS = 200;
/** Most tokens in one statement (bounded: a few parameters each, well under any driver's limit). */
export const LAST_USED_BATCH = 500;

/** The writes collected for the next flush, and the promise that settles once it ran. */
interface Round {
  touches: TokenTouch[];
  done: Promise<void>;
  settle: () => void;
}

/**
 * Keeps `lastUsedAt` roughly current without a write per request: a token is due only when the
 * newer of its stored value and this process's last write for it is older than the interval, with
 * at most one write pending per token, and the write never delays the response. (A request may
 * have read the row just before another request's write landed; remembering our own writes keeps
 * such stale reads from issuing another statement.) Due writes are collected for
 * `LAST_USED_FLUSH_MS` and written by one `TokenStore.touchMany` statement per flush (at most
 * `LAST_USED_BATCH` tokens; a full batch is written at once): 1 000 busy tokens cost a few
 * statements a minute, not 1 000. The UPDATE is conditional too, so other processes add at most one
 * write per token each per interval. A failed write is logged by token ids, never a token, and dropped.
 */
@Injectable()
export class LastUsedTracker implements BeforeApplicationShutdown {
  private readonly logger = new Logger('MultiTokenAuth');
  private readonly pending = new Map<string, Promise<void>>();
  private readonly written = new Map<string, number>();
  private readonly intervalMs: number;
  private sweepAt = SWEEP_AT;
  private round = this.newRound();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    @Inject(TokenStore) private readonly store: TokenStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.intervalMs = options.lastUsedUpdateInterval * 1000;
  }

  /**
   * Records a use of `token` now, and for a client with an idle timeout slides its expiry in the same
   * write (then at most every half idle timeout, so that steady use always lands in time; the expiry
   * is computed from this use, so a later flush never moves it further than the use allows).
   * Returns the pending write, settled once its flush ran (tests await it; requests do not).
   * @param at the time of the use (the verifier passes the time it checked the expiry against)
   * @param ip the address of the use, stored as `lastIp` with `lastUsedAt` (`undefined`: left as it is)
   */
  seen(token: AuthToken, at: Date = this.clock.now(), ip?: string | null): Promise<void> {
    const now = at.getTime();
    const idle = token.client?.idleTimeout ?? null;
    const intervalMs = idle === null ? this.intervalMs : Math.min(this.intervalMs, (idle * 1000) / 2);
    const last = Math.max(token.lastUsedAt?.getTime() ?? -Infinity, this.written.get(token.id) ?? -Infinity);
    if (now - last < intervalMs) return Promise.resolve();
    const inFlight = this.pending.get(token.id);
    if (inFlight) return inFlight;
    const expiresAt = idle === null ? undefined : expiryOf(token.client, token.createdAt, new Date(now));
    const round = this.round;
    round.touches.push({ tokenId: token.id, now: new Date(now), intervalMs, expiresAt, ip });
    this.pending.set(token.id, round.done);
    if (round.touches.length >= LAST_USED_BATCH) void this.flush();
    // Not what keeps the process alive: a shutdown flushes what is left, before the data source
    // closes (beforeApplicationShutdown).
    else this.timer ??= setTimeout(() => void this.flush(), LAST_USED_FLUSH_MS).unref();
    return round.done;
  }

  /** Writes what is due now, in one statement, instead of at the end of the flush interval. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const round = this.round;
    if (round.touches.length === 0) return;
    this.round = this.newRound();
    try {
      await this.store.touchMany(round.touches);
      const at = Math.max(...round.touches.map((touch) => touch.now.getTime()));
      for (const touch of round.touches) this.remember(touch.tokenId, touch.now.getTime(), at);
    } catch (error: unknown) {
      const ids = round.touches.map((touch) => touch.tokenId);
      const shown = ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', ');
      this.logger.warn(`lastUsedAt update failed for token ids ${shown}: ${String(error)}`);
    } finally {
      for (const touch of round.touches) this.pending.delete(touch.tokenId);
      round.settle();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private newRound(): Round {
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    return { touches: [], done, settle };
  }

  private remember(tokenId: string, writtenAt: number, now: number): void {
    this.written.set(tokenId, writtenAt);
    if (this.written.size <= this.sweepAt) return;
    for (const [id, time] of this.written) {
      if (now - time >= this.intervalMs) this.written.delete(id);
    }
    // Many distinct tokens within one interval: sweep again only once the map has doubled, so the
    // sweep stays amortized O(1) per write instead of O(n) on every write past the threshold.
    this.sweepAt = Math.max(SWEEP_AT, this.written.size * 2);
  }
}
