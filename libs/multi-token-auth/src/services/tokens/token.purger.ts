import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../contracts/clock/clock.interface';
import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';
import { AuthEvents } from '../events/auth-events';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import { MAX_PURGE_BATCH, MAX_RETENTION } from '../../pure/options/purge-limits';
import { TokenStore } from '../../contracts/token-store.interface';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/** The purge of every user's long-expired tokens, in batches (`TokenService.purgeExpired()`). */
@Injectable()
export class TokenPurger {
  private readonly logger = new Logger('MultiTokenAuth');

  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    @Inject(TokenStore) private readonly store: TokenStore,
    private readonly events: AuthEvents,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Deletes the tokens of all users expired more than `olderThan` seconds ago (default: the
   * `purge.retention` option) and returns how many, `batchSize` (default `purge.batchSize`) per
   * statement, letting other work run between batches: a million expired rows never hold the table
   * for seconds. Expired tokens are already refused and never counted; this keeps the table small.
   * Run it from a scheduled job (`purge.cron`), or your own.
   */
  async purgeExpired(
    options: { olderThan?: number | undefined; batchSize?: number | undefined; signal?: AbortSignal | undefined } = {},
  ): Promise<number> {
    const olderThan = options.olderThan ?? this.options.purge.retention;
    const batchSize = options.batchSize ?? this.options.purge.batchSize;
    if (!(olderThan >= 0 && olderThan <= MAX_RETENTION) || !(Number.isSafeInteger(batchSize) && batchSize >= 1)) {
      throw new ValidationFailedException([
        `olderThan must be 0 to ${MAX_RETENTION} seconds and batchSize a whole number >= 1`,
      ]);
    }
    if (batchSize > MAX_PURGE_BATCH)
      throw new ValidationFailedException([`batchSize must be at most ${MAX_PURGE_BATCH}`]);
    const cutoff = new Date(this.clock.now().getTime() - olderThan * 1000);
    let total = 0;
    for (;;) {
      // Between batches: an app shutting down stops here, leaving the rest for the next run.
      if (options.signal?.aborted) return total;
      const rows = await this.store.purgeExpired(cutoff, undefined, batchSize);
      this.events.tokensRevoked(rows, 'purge');
      total += rows.length;
      if (rows.length > batchSize) {
        this.logger.warn(`the token store ignored the purge's batch size (${rows.length} > ${batchSize})`);
      }
      if (rows.length < batchSize) return total;
      // Requests waiting on the event loop (and on the database) go before the next batch.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
