import type { QuotaBalance, QuotaLedger, QuotaSpend, TokenQuota } from '../../contracts/token-quota';
import { refilled, spend } from '../../pure/quotas/quota.balance';

interface Entry {
  balance: QuotaBalance;
  /** Epoch ms of the last spend or peek. */
  usedAt: number;
}

/**
 * Quota balances in this process's memory: exact on one instance (a spend is synchronous, so
 * concurrent requests are served one after the other), and what the Redis ledger falls back to.
 * A balance left unused for `idleMs` is forgotten (`sweep`) and started again from the store's.
 */
export class MemoryQuotaLedger implements QuotaLedger {
  private readonly entries = new Map<string, Entry>();

  spend(key: string, quota: TokenQuota, initial: QuotaBalance, cost: number, now: number): Promise<QuotaSpend> {
    return Promise.resolve(this.spendNow(key, quota, initial, cost, now));
  }

  peek(key: string, quota: TokenQuota, initial: QuotaBalance, now: number): Promise<QuotaBalance> {
    return Promise.resolve(refilled(quota, this.entries.get(key)?.balance ?? initial, now));
  }

  /** `spend`, synchronously (what the Redis ledger calls when Redis cannot answer). */
  spendNow(key: string, quota: TokenQuota, initial: QuotaBalance, cost: number, now: number): QuotaSpend {
    const entry = this.entries.get(key);
    const result = spend(quota, entry?.balance ?? initial, cost, now);
    this.entries.set(key, { balance: result.balance, usedAt: now });
    return result;
  }

  /** Takes `balance` as the one `key` stands at (Redis's answer, or a roll's carried balance). */
  set(key: string, balance: QuotaBalance, now: number): void {
    this.entries.set(key, { balance, usedAt: now });
  }

  /** Forgets balances unused for `idleMs` (the next use starts from the store's balance again). */
  sweep(now: number, idleMs: number): void {
    for (const [key, entry] of this.entries) if (now - entry.usedAt > idleMs) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
