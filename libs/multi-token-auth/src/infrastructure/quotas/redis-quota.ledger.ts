import type { RedisConnection } from '../../contracts/revocation-bus.interface';
import type { QuotaBalance, QuotaLedger, QuotaSpend, TokenQuota } from '../../contracts/token-quota';
import { parseRefillEvery } from '../../pure/quotas/quota.rule';
import { refilled, waitFor } from '../../pure/quotas/quota.balance';
import { evalWhileHealthy } from '../cache/redis-eval';
import type { MemoryQuotaLedger } from './memory-quota.ledger';

/** The shortest time a balance stays in Redis unused: a week (a longer refill period, two of them). */
const MIN_KEPT_MS = 7 * 86_400_000;

/**
 * `spend` of quota.balance.ts in one atomic step: the balance from the hash (or the stored one the
 * caller passes, the first time), refills due, then the cost if the balance holds it. Numbers are
 * written with `%.0f`: Lua's default form would turn an epoch in milliseconds into `1.8e+12`.
 * KEYS: the balance. ARGV: cost, now, limit, refill amount, refill ms (0: none), initial remaining,
 * refilled-at and seq, ms to keep it. Reply: allowed (0/1), remaining, refilled-at, seq.
 */
const SPEND = `
local cost, now, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local amount, every = tonumber(ARGV[4]), tonumber(ARGV[5])
local v = redis.call('HMGET', KEYS[1], 'r', 'a', 's')
local r, a, s, changed
if v[1] then r, a, s, changed = tonumber(v[1]), tonumber(v[2]), tonumber(v[3]), false
else r, a, s, changed = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), true end
if every > 0 and now >= a + every then
  local n = math.floor((now - a) / every)
  r = math.min(limit, r + n * amount)
  a = a + n * every
  s = s + 1
  changed = true
end
local ok = 0
if r >= cost then
  ok = 1
  if cost > 0 then r = r - cost; s = s + 1; changed = true end
end
if changed then
  redis.call('HSET', KEYS[1], 'r', string.format('%.0f', r), 'a', string.format('%.0f', a), 's', string.format('%.0f', s))
end
redis.call('PEXPIRE', KEYS[1], ARGV[9])
return { ok, r, a, s }
`;

const PEEK = `return redis.call('HMGET', KEYS[1], 'r', 'a', 's')`;

/**
 * Quota balances in Redis, one hash per balance, so that every instance spends from the same one:
 * exact however many requests race on however many instances (one script, run atomically). When
 * Redis is unreachable, hung (the revocation bus says so) or slow, the spend falls back to this
 * process's memory, which follows each answer Redis gives: requests are never failed or held up
 * by Redis, and while it is away each instance spends from its own copy.
 */
export class RedisQuotaLedger implements QuotaLedger {
  constructor(
    private readonly redis: RedisConnection,
    private readonly fallback: MemoryQuotaLedger,
    private readonly healthy: () => boolean,
    private readonly prefix = 'multi-token-auth:quota:',
  ) {}

  async spend(key: string, quota: TokenQuota, initial: QuotaBalance, cost: number, now: number): Promise<QuotaSpend> {
    const everyMs = (quota.refill && parseRefillEvery(quota.refill.every)) ?? 0;
    const args = [cost, now, quota.limit, quota.refill?.amount ?? 0, everyMs];
    const keep = Math.max(MIN_KEPT_MS, 2 * everyMs);
    const stored = [initial.remaining, initial.refilledAt, initial.seq, keep];
    const reply = await evalWhileHealthy(this.redis, this.healthy, SPEND, [this.prefix + key], [...args, ...stored]);
    if (!reply) return this.fallback.spendNow(key, quota, initial, cost, now);
    const [ok, remaining, refilledAt, seq] = reply.map(Number) as [number, number, number, number];
    const balance = { remaining, refilledAt, seq };
    this.fallback.set(key, balance, now);
    if (ok === 1) return { allowed: true, balance };
    return { allowed: false, balance, retryAfterMs: waitFor(quota, balance, cost, now) };
  }

  async peek(key: string, quota: TokenQuota, initial: QuotaBalance, now: number): Promise<QuotaBalance> {
    const reply = await evalWhileHealthy(this.redis, this.healthy, PEEK, [this.prefix + key], []);
    if (!reply) return this.fallback.peek(key, quota, initial, now);
    const [remaining, refilledAt, seq] = reply as (string | null)[];
    if (remaining === null || refilledAt === null || seq === null) return refilled(quota, initial, now);
    return refilled(quota, { remaining: Number(remaining), refilledAt: Number(refilledAt), seq: Number(seq) }, now);
  }
}
