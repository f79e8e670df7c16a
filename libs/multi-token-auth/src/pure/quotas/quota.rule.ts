import type { TokenQuota } from '../../contracts/token-quota';

/** The largest `limit` and `refill.amount`: far above any plan, and exact in every database's integer. */
export const MAX_QUOTA = 1_000_000_000;

const EVERY_PATTERN = /^([1-9]\d{0,3})([mhd])$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
/** The longest refill period: 366 days. */
const MAX_EVERY_MS = 366 * 86_400_000;

/** `"1d"` → milliseconds; `undefined` for anything not a count and one of m, h, d (1 minute to 366 days). */
export function parseRefillEvery(every: string): number | undefined {
  const match = EVERY_PATTERN.exec(every);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2]];
  return ms <= MAX_EVERY_MS ? ms : undefined;
}

const isCount = (value: unknown, min: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_QUOTA;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `value` is not a token's `quota` (or `null`, none), or `undefined` when it is one. */
export function quotaProblem(value: unknown, property = 'quota'): string | undefined {
  if (value === null) return undefined;
  const shape = `${property} must be {"limit": n, "refill"?: {"amount": n, "every": "1d"}} or null`;
  if (!isObject(value)) return shape;
  const extra = Object.keys(value).filter((key) => key !== 'limit' && key !== 'refill');
  if (extra.length > 0) return `${shape} (unknown field ${extra[0]})`;
  if (!isCount(value.limit, 1)) return `${property}.limit must be a whole number from 1 to ${MAX_QUOTA}`;
  const { refill } = value;
  if (refill === undefined || refill === null) return undefined;
  if (!isObject(refill) || Object.keys(refill).some((key) => key !== 'amount' && key !== 'every')) {
    return `${property}.refill must be {"amount": n, "every": "1d"}`;
  }
  if (!isCount(refill.amount, 1) || refill.amount > value.limit) {
    return `${property}.refill.amount must be a whole number from 1 to ${property}.limit`;
  }
  if (typeof refill.every !== 'string' || parseRefillEvery(refill.every) === undefined) {
    return `${property}.refill.every must be a count and one of m, h, d, like "1d" or "30m" (1 minute to 366 days)`;
  }
  return undefined;
}

/** A valid quota with only its own fields (no `refill: null`), as stored. */
export function normalizeQuota(quota: TokenQuota): TokenQuota {
  const { limit, refill } = quota;
  return refill ? { limit, refill: { amount: refill.amount, every: refill.every } } : { limit };
}
