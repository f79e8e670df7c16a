import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../contracts/clock/clock.interface';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';
import {
  QuotaLedger,
  type QuotaBalance,
  type QuotaBalanceWrite,
  type QuotaSpend,
  type StoredQuota,
  type TokenQuota,
} from '../../contracts/token-quota';
import { TokenStore } from '../../contracts/token-store.interface';
import { MemoryQuotaLedger } from '../../infrastructure/quotas/memory-quota.ledger';

/** A token's quota and where it stands. */
export interface QuotaStanding {
  quota: TokenQuota;
  balance: QuotaBalance;
}

/**
 * Keeps quota balances: spends them in the ledger (Redis across instances, else memory) and writes
 * them to the store without a write per request: the newest balance of each is written once per
 * `lastUsedUpdateInterval`, at shutdown, and before a roll carries it to a new key. A balance is
 * named by the token it belongs to (a replaced key's is its replacement's) and when its quota was
 * set, so a changed quota starts anew and a roll's overlap shares one balance between both keys.
 */
@Injectable()
export class TokenQuotaKeeper implements BeforeApplicationShutdown {
  private readonly logger = new Logger('MultiTokenAuth');
  private pending = new Map<string, QuotaBalanceWrite>();
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  /** How long an unused balance stays in memory: past it, any cached record was read after its last write. */
  private readonly idleMs: number;

  constructor(
    @Inject(QuotaLedger) private readonly ledger: QuotaLedger,
    private readonly memory: MemoryQuotaLedger,
    @Inject(TokenStore) private readonly store: TokenStore,
    @Inject(Clock) private readonly clock: Clock,
    @InjectMultiTokenAuthOptions() options: ResolvedOptions,
  ) {
    this.intervalMs = options.lastUsedUpdateInterval * 1000;
    const cacheMs = options.cache === false ? 0 : options.cache.ttl * 1000;
    this.idleMs = 2 * (cacheMs + this.intervalMs) + 60_000;
  }

  /** Spends `cost` units of `token`'s quota (which it must have) now. */
  async spend(token: AuthToken, quota: TokenQuota, cost: number): Promise<QuotaSpend> {
    const now = this.clock.now().getTime();
    const { key, owner, setAt } = this.nameOf(token);
    const result = await this.ledger.spend(key, quota, initialOf(token, quota), cost, now);
    const written = this.pending.get(key);
    if (result.balance.seq > (written?.balance.seq ?? token.quotaSeq ?? 0)) {
      this.pending.set(key, { tokenId: owner, setAt, balance: result.balance });
      // Not what keeps the process alive: a shutdown writes what is left.
      this.timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
    }
    return result;
  }

  /** Where `token`'s quota stands now (refills applied), or `null` without one. */
  async standingOf(token: AuthToken): Promise<QuotaStanding | null> {
    const { quota } = token;
    if (!quota) return null;
    const now = this.clock.now().getTime();
    return { quota, balance: await this.ledger.peek(this.nameOf(token).key, quota, initialOf(token, quota), now) };
  }

  /**
   * `token`'s quota as a roll or a rotation carries it to its successor: the rule, when it was set,
   * and the balance as it stands now (its pending write is dropped: the caller stores the balance).
   */
  async carried(token: AuthToken): Promise<StoredQuota | null> {
    const standing = await this.standingOf(token);
    if (!standing || !token.quotaSetAt) return null;
    this.pending.delete(this.nameOf(token).key);
    return { quota: standing.quota, setAt: token.quotaSetAt, balance: standing.balance };
  }

  /** Seeds this process's copy of the balance a roll's new key starts with (Redis starts from the stored one). */
  seed(tokenId: string, stored: StoredQuota): void {
    this.memory.set(`${tokenId}:${stored.setAt.getTime()}`, stored.balance, this.clock.now().getTime());
  }

  /** Writes the newest balance of every quota spent since the last write; a failed write is tried again next time. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.memory.sweep(this.clock.now().getTime(), this.idleMs);
    if (this.pending.size === 0) return;
    const writes = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.store.saveQuotaBalances(writes);
    } catch (error: unknown) {
      this.logger.warn(`quota balances of ${writes.length} tokens not written (tried again): ${String(error)}`);
      for (const write of writes) {
        const key = `${write.tokenId}:${write.setAt.getTime()}`;
        if (!this.pending.has(key)) this.pending.set(key, write);
      }
      this.timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private nameOf(token: AuthToken): { key: string; owner: string; setAt: Date } {
    const owner = token.replacedBy ?? token.id;
    const setAt = token.quotaSetAt ?? new Date(0);
    return { key: `${owner}:${setAt.getTime()}`, owner, setAt };
  }
}

/** The stored balance: where a ledger starts when it has none for the token. */
function initialOf(token: AuthToken, quota: TokenQuota): QuotaBalance {
  const setAt = token.quotaSetAt?.getTime() ?? 0;
  return {
    remaining: token.quotaRemaining ?? quota.limit,
    refilledAt: token.quotaRefilledAt?.getTime() ?? setAt,
    seq: token.quotaSeq ?? 0,
  };
}
