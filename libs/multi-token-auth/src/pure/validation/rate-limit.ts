import { parseThrottleRate } from '../options/throttle-rate.parser';

/**
 * Why `value` is not a token's `rateLimit` — `"N/unit"` as clients' `throttleRate` (`"100/m"`,
 * `"10/15m"`), or `null` for none — or `undefined` when it is one.
 */
export function rateLimitProblem(value: unknown, property = 'rateLimit'): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'string' && parseThrottleRate(value)) return undefined;
  return `${property} must be "N/unit" like "100/m" or "10/15m" (a count, a slash, an optional number and one of s, m, h, d), or null`;
}
