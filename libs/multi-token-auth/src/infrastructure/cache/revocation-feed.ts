import { Logger } from '@nestjs/common';
import type { Revocation } from '../../contracts/revocation-bus.interface';

/**
 * In-process notice of what may have ended tokens: every eviction of the verified-token cache
 * (revocations made here, expiry changes, changes to users, revocations heard from other
 * instances) is told to the listeners, which re-check what they hold (open sockets and
 * subscriptions). A notice says "look again", never "this token is gone": an expiry change
 * (refresh) is one too.
 */
export class RevocationFeed {
  private readonly logger = new Logger('MultiTokenAuth');
  private readonly listeners = new Set<(revocation: Revocation) => void>();

  /** Calls `listener` on each notice; returns the function that stops it. */
  listen(listener: (revocation: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(revocation: Revocation): void {
    for (const listener of this.listeners) {
      try {
        listener(revocation);
      } catch (error) {
        this.logger.error(`a revocation listener failed: ${String(error)}`);
      }
    }
  }
}
