import type { QuotaBalance, QuotaSpend, StoredQuota, TokenQuota } from '../../contracts/token-quota';
import { parseRefillEvery } from './quota.rule';

/** `balance` with every refill due at `now` applied (amount per whole period, capped at the limit). */
export function refilled(quota: TokenQuota, balance: QuotaBalance, now: number): QuotaBalance {
  const everyMs = quota.refill ? parseRefillEvery(quota.refill.every) : undefined;
  if (!quota.refill || !everyMs || now < balance.refilledAt + everyMs) return balance;
  const periods = Math.floor((now - balance.refilledAt) / everyMs);
  const remaining = Math.min(quota.limit, balance.remaining + periods * quota.refill.amount);
  return { remaining, refilledAt: balance.refilledAt + periods * everyMs, seq: balance.seq + 1 };
}

/** Milliseconds from `now` until refills bring `balance` up to `cost`; `undefined` if they never do. */
export function waitFor(quota: TokenQuota, balance: QuotaBalance, cost: number, now: number): number | undefined {
  const everyMs = quota.refill ? parseRefillEvery(quota.refill.every) : undefined;
  if (!quota.refill || !everyMs || cost > quota.limit) return undefined;
  const periods = Math.ceil((cost - balance.remaining) / quota.refill.amount);
  return Math.max(0, balance.refilledAt + periods * everyMs - now);
}

/**
 * Spends `cost` units at `now` if the balance (refilled first) holds them; a refused spend takes
 * nothing. The one rule both ledgers follow (the Redis script is this function in Lua).
 */
export function spend(quota: TokenQuota, balance: QuotaBalance, cost: number, now: number): QuotaSpend {
  const current = refilled(quota, balance, now);
  if (current.remaining >= cost) {
    const after = cost === 0 ? current : { ...current, remaining: current.remaining - cost, seq: current.seq + 1 };
    return { allowed: true, balance: after };
  }
  return { allowed: false, balance: current, retryAfterMs: waitFor(quota, current, cost, now) };
}

/** A quota's full balance from `at` (when it is set, or changed). */
export function fullBalance(quota: TokenQuota, at: number): QuotaBalance {
  return { remaining: quota.limit, refilledAt: at, seq: 0 };
}

/** A quota as set at `at` (created, or changed): full, its balance named by `at`. */
export function newlySet(quota: TokenQuota, at: Date): StoredQuota {
  return { quota, setAt: at, balance: fullBalance(quota, at.getTime()) };
}
