import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Revocation } from '../../contracts/revocation-bus.interface';
import { RevocationFeed } from '../../infrastructure/cache/revocation-feed';
import { TokenVerifier } from '../../services/tokens/token.verifier';
import { closeCodeOf } from '../../pure/transports/close-codes';
import type { ConnectionState } from '../../pure/transports/connection-state';
import type { UserId } from '../../contracts/user-id';

interface Live {
  state: ConnectionState;
  userId: UserId;
}

/** Re-checks run this many at a time: 100,000 sockets must not mean 100,000 store reads at once. */
const RECHECK_CONCURRENCY = 32;

/**
 * The open connections (sockets, subscription connections) and the re-checks that close them when
 * their token stops being valid:
 *
 * - at once, when the verified-token cache hears of a change that may touch them (a revocation
 *   here or on another instance through Redis, a refresh, a change to the user);
 * - every `recheckInterval`, for what nothing announces (expiry, sliding idle timeout, raw SQL, or
 *   any change with `cache: false`);
 * - and on every message, by the guard.
 *
 * A re-check reads the store through the cache like a request does, and does not count as use.
 */
@Injectable()
export class LiveConnections implements OnModuleDestroy {
  private readonly logger = new Logger('MultiTokenAuth');
  private readonly live = new Set<Live>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly stopListening: () => void;

  constructor(
    private readonly verifier: TokenVerifier,
    feed: RevocationFeed,
  ) {
    this.stopListening = feed.listen((revocation) => void this.recheckAffected(revocation));
  }

  /** Seconds between two background re-checks of every connection. */
  recheckInterval = 60;

  /** Watches a connection until `forget()` (call it when the socket closes). */
  add(state: ConnectionState, userId: UserId): () => void {
    const entry: Live = { state, userId };
    this.live.add(entry);
    this.timer ??= setInterval(() => void this.recheckAll(), this.recheckInterval * 1000).unref();
    return () => {
      this.live.delete(entry);
      if (this.live.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** Open connections now. */
  get size(): number {
    return this.live.size;
  }

  /**
   * Checks the token of a connection just added once more: a revocation that landed between the
   * connection's verification and `add()` found nothing to close. Throws the library's error when
   * the token no longer passes (the caller forgets the connection and refuses or closes it).
   */
  async confirm(state: ConnectionState): Promise<void> {
    const { user, token } = await this.verifier.verifyDigest(state.digest, {
      countUse: false,
      presented: false,
      ip: state.request.ip,
    });
    state.request.user = user;
    state.request.authToken = token;
  }

  /**
   * Re-checks every open connection now (the background timer calls it; so can a test), a bounded
   * number at a time. A call while one runs waits for that one instead of starting another.
   */
  recheckAll(): Promise<void> {
    this.running ??= this.recheckInBatches([...this.live]).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  onModuleDestroy(): void {
    this.stopListening();
    if (this.timer) clearInterval(this.timer);
  }

  private async recheckAffected(revocation: Revocation): Promise<void> {
    const affected = [...this.live].filter((entry) =>
      'digests' in revocation
        ? revocation.digests.includes(entry.state.digest)
        : 'userId' in revocation
          ? String(revocation.userId) === String(entry.userId)
          : true,
    );
    await this.recheckInBatches(affected);
  }

  private async recheckInBatches(entries: Live[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
        const entry = entries[next++];
        if (this.live.has(entry)) await this.recheck(entry);
      }
    };
    await Promise.all(Array.from({ length: Math.min(RECHECK_CONCURRENCY, entries.length) }, worker));
  }

  private async recheck(entry: Live): Promise<void> {
    try {
      await this.confirm(entry.state);
    } catch (error) {
      const close = closeCodeOf(error);
      if (!close) {
        this.logger.error(`re-checking a connection failed: ${String(error)}`);
        return;
      }
      this.live.delete(entry);
      entry.state.close(close.code, close.reason);
    }
  }
}
