/** A parsed `"N/unit"` rate: `limit` requests per `ttlMs` milliseconds. */
export interface ThrottleRate {
  limit: number;
  ttlMs: number;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const RATE_PATTERN = /^([1-9]\d{0,8})\/([smhd])$/;

/** Parses `"100/m"`; returns `undefined` for anything else. */
export function parseThrottleRate(rate: string): ThrottleRate | undefined {
  const match = RATE_PATTERN.exec(rate);
  if (!match) return undefined;
  return { limit: Number(match[1]), ttlMs: UNIT_MS[match[2]] };
}
