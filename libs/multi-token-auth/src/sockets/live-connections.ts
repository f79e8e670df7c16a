import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Revocation } from '../cache/revocation-bus.interface';
import { RevocationFeed } from '../cache/revocation-feed';
import { TokenVerifier } from '../tokens/token.verifier';
import { closeCodeOf } from '../transports/close-codes';
import type { ConnectionState } from '../transports/connection-state';
import type { UserId } from '../users/user.accessor';

interface Live {
  state: ConnectionState;
  userId: UserId;
}

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

  /** Re-checks every open connection now (the background timer calls it; so can a test). */
  async recheckAll(): Promise<void> {
    await Promise.all([...this.live].map((entry) => this.recheck(entry)));
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
    await Promise.all(affected.map((entry) => this.recheck(entry)));
  }

  private async recheck(entry: Live): Promise<void> {
    try {
      const { user, token } = await this.verifier.verifyDigest(entry.state.digest, { countUse: false });
      entry.state.request.user = user;
      entry.state.request.authToken = token;
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
