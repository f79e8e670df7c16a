import { MAX_CLIENT_SECONDS, MAX_PURGE_RETENTION } from 'nestjs-multi-token-auth';

/** A mistake in how the CLI was called: exit code 2, as for an unknown option. */
export class UsageError extends Error {}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const DURATION_HELP = 'a whole number with a unit (30s, 15m, 12h, 14d, 2w), or never';

/** `30m`, `14d`, `never` (→ `null`) as seconds. */
export function parseDuration(flag: string, text: string): number | null {
  if (text === 'never') return null;
  const match = /^(\d{1,9})([smhdw])$/.exec(text);
  const seconds = match ? Number(match[1]) * (UNITS[match[2]] ?? 0) : 0;
  if (!match || seconds <= 0) throw new UsageError(`${flag} ${JSON.stringify(text)}: expected ${DURATION_HELP}.`);
  if (seconds > MAX_CLIENT_SECONDS) {
    throw new UsageError(`${flag} ${JSON.stringify(text)}: at most ${MAX_CLIENT_SECONDS}s (68 years), or never.`);
  }
  return seconds;
}

/** A duration that must be finite (`never` is not a retention). */
export function parseFiniteDuration(flag: string, text: string): number {
  const seconds = text === '0' ? 0 : parseDuration(flag, text);
  if (seconds === null) throw new UsageError(`${flag} must be a duration such as 30d, not never.`);
  if (seconds > MAX_PURGE_RETENTION) throw new UsageError(`${flag} ${JSON.stringify(text)}: at most 3650d.`);
  return seconds;
}

/** A whole number ≥ 1, or `none` (→ `null`). */
export function parseLimit(flag: string, text: string): number | null {
  if (text === 'none') return null;
  if (!/^[1-9]\d{0,8}$/.test(text))
    throw new UsageError(`${flag} ${JSON.stringify(text)}: expected a whole number >= 1, or none.`);
  return Number(text);
}

/** `100/m`, `10/15m`, or `none` (→ `null`); the library checks the rate itself. */
export function parseRate(flag: string, text: string): string | null {
  if (text === 'none') return null;
  if (!/^\d+\/\d*[smhd]$/.test(text))
    throw new UsageError(`${flag} ${JSON.stringify(text)}: expected N/s, N/m, N/h, N/d (or N/15m…), or none.`);
  return text;
}

/** `orders:read,orders:write`, or `none` (→ `null`). */
export function parseScopes(flag: string, text: string): string[] | null {
  if (text === 'none') return null;
  const scopes = text.split(',').map((scope) => scope.trim());
  if (scopes.some((scope) => scope === ''))
    throw new UsageError(`${flag} ${JSON.stringify(text)}: expected scopes separated by commas, or none.`);
  return scopes;
}

/** The demo's user ids are integers. */
export function parseUserId(flag: string, text: string): number {
  const id = Number(text);
  if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(id)) {
    throw new UsageError(`${flag} ${JSON.stringify(text)}: expected a user id (a whole number).`);
  }
  return id;
}
