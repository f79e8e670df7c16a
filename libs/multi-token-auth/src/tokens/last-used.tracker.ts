import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AuthToken } from '../entities/auth-token.entity';
import { RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { TokenRecords } from './token.records';

/**
 * Keeps `lastUsedAt` roughly current without a write per request: a token is written only when its
 * stored value is older than the interval, at most one write in flight per token, and the write
 * never delays the response. A failed write is logged (by token id, never the token) and dropped.
 */
@Injectable()
export class LastUsedTracker {
  private readonly logger = new Logger('MultiTokenAuth');
  private readonly inFlight = new Set<string>();
  private readonly intervalMs: number;

  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    private readonly records: TokenRecords,
  ) {
    this.intervalMs = options.lastUsedUpdateInterval * 1000;
  }

  /** Records a use of `token` now. Returns the pending write (tests await it; requests do not). */
  seen(token: AuthToken): Promise<void> {
    const now = this.options.clock.now();
    const last = token.lastUsedAt?.getTime();
    if ((last !== undefined && now.getTime() - last < this.intervalMs) || this.inFlight.has(token.id)) {
      return Promise.resolve();
    }
    this.inFlight.add(token.id);
    return this.records
      .touch(token.id, now, this.intervalMs)
      .catch((error: unknown) => {
        this.logger.warn(`lastUsedAt update failed for token id ${token.id}: ${String(error)}`);
      })
      .finally(() => this.inFlight.delete(token.id));
  }
}
