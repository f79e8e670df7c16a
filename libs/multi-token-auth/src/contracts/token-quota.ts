/**
 * A token's quota (Unkey's credits, better-auth's `remaining`): `limit` units in all, each
 * authenticated request spending 1 (or a route's `@TokenCost(n)`), and optionally `refill.amount`
 * units added back every `refill.every` (`"1d"`, `"12h"`, `"30m"`), never above `limit`.
 */
export interface TokenQuota {
  limit: number;
  refill?: { amount: number; every: string } | undefined;
}

/**
 * Where a quota stands: `remaining` units, as of the refill period that began at `refilledAt`
 * (epoch ms), after `seq` changes since the quota was set. `seq` orders the writes of the stored
 * remainder: an older balance never overwrites a newer one.
 */
export interface QuotaBalance {
  remaining: number;
  refilledAt: number;
  seq: number;
}

/**
 * A quota as a store keeps it on a token: the rule, when it was set (with the token's id, what
 * names its balance: a change of the quota starts a new one), and the balance last written.
 */
export interface StoredQuota {
  quota: TokenQuota;
  setAt: Date;
  balance: QuotaBalance;
}

/**
 * One write of a balance (`TokenStore.saveQuotaBalances`): applied to the token `tokenId` and to the
 * keys it replaced (`replacedBy = tokenId`) whose quota was set at `setAt`, where the stored `seq`
 * is lower; otherwise skipped.
 */
export interface QuotaBalanceWrite {
  tokenId: string;
  setAt: Date;
  balance: QuotaBalance;
}

/** What one spend did: whether it was allowed, the balance after it, and when a refused cost could next be paid. */
export interface QuotaSpend {
  allowed: boolean;
  balance: QuotaBalance;
  /** Milliseconds until refills cover the cost (refused spends only); `undefined` when none ever will. */
  retryAfterMs?: number | undefined;
}

/**
 * Where quota balances are kept between writes to the store: this process's memory, or Redis for
 * every instance at once. A balance is named by `key` (the token's id and when its quota was set)
 * and starts from `initial` (the stored one) the first time the ledger meets it.
 */
export interface QuotaLedger {
  /** Spends `cost` at `now` (refills applied first), atomically; a refused spend takes nothing. */
  spend(key: string, quota: TokenQuota, initial: QuotaBalance, cost: number, now: number): Promise<QuotaSpend>;
  /** The balance at `now` (refills applied), spending nothing. */
  peek(key: string, quota: TokenQuota, initial: QuotaBalance, now: number): Promise<QuotaBalance>;
}

/** Injection token of the module's `QuotaLedger`. */
export const QuotaLedger = Symbol('QuotaLedger');
