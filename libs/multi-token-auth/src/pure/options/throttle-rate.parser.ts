/** A parsed `"N/unit"` rate: `limit` requests per `ttlMs` milliseconds. */
export interface ThrottleRate {
  limit: number;
  ttlMs: number;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const RATE_PATTERN = /^([1-9]\d{0,8})\/([1-9]\d{0,3})?([smhd])$/;

/** Parses `"100/m"`, or `"10/15m"` (a window of several units); returns `undefined` for anything else. */
export function parseThrottleRate(rate: string): ThrottleRate | undefined {
  const match = RATE_PATTERN.exec(rate);
  if (!match) return undefined;
  return { limit: Number(match[1]), ttlMs: Number(match[2] ?? 1) * UNIT_MS[match[3]] };
}
