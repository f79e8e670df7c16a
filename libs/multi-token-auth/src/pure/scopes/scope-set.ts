import type { AuthClient } from '../../contracts/entities/auth-client.entity';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';

/** Most scopes one token or client may carry, and the longest scope. */
export const MAX_SCOPES = 64;
export const MAX_SCOPE_LENGTH = 64;

/**
 * RFC 6749 §3.3 scope-token: printable ASCII without space, `"` or `\`. (A colon, dot, slash or
 * dash is fine: `orders:read`, `repo.write`, `admin/users`.)
 */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** Why `scopes` is not a valid list of scopes, or `undefined` when it is. */
export function scopesProblem(scopes: unknown, field = 'scopes'): string | undefined {
  if (!Array.isArray(scopes)) return `${field} must be an array of strings`;
  if (scopes.length > MAX_SCOPES) return `${field} must contain at most ${MAX_SCOPES} scopes`;
  for (const scope of scopes) {
    if (
      typeof scope !== 'string' ||
      scope.length === 0 ||
      scope.length > MAX_SCOPE_LENGTH ||
      !SCOPE_TOKEN.test(scope)
    ) {
      return `${field}: each scope must be 1–${MAX_SCOPE_LENGTH} printable ASCII characters without spaces, quotes or backslashes`;
    }
  }
  return undefined;
}

/** The list without duplicates, sorted (how scopes are stored and shown). */
export function normalizeScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes)].sort();
}

/**
 * What a token may do: its own scopes, narrowed by what its client allows now. `null` = no
 * restriction (a client without `scopes` and a token without its own list). A token stored with
 * `null` scopes (issued before scopes existed, or on a client without them) has all of its client's.
 */
export function effectiveScopes(
  token: Pick<AuthToken, 'scopes'>,
  client: Pick<AuthClient, 'scopes'> | undefined,
): string[] | null {
  const own = token.scopes ?? null;
  const allowed = client?.scopes ?? null;
  if (own === null) return allowed;
  if (allowed === null) return own;
  return own.filter((scope) => allowed.includes(scope));
}

/** Whether `granted` (`null` = unrestricted) holds every one of `required`. */
export function holdsAll(granted: readonly string[] | null, required: readonly string[]): boolean {
  return granted === null || required.every((scope) => granted.includes(scope));
}

/** Whether `granted` (`null` = unrestricted) holds at least one of `required` (or `required` is empty). */
export function holdsAny(granted: readonly string[] | null, required: readonly string[]): boolean {
  return granted === null || required.length === 0 || required.some((scope) => granted.includes(scope));
}

/** `granted ∩ wanted`, where `null` means everything. */
export function intersectScopes(granted: readonly string[] | null, wanted: readonly string[] | null): string[] | null {
  if (granted === null) return wanted === null ? null : [...wanted];
  if (wanted === null) return [...granted];
  return wanted.filter((scope) => granted.includes(scope));
}
