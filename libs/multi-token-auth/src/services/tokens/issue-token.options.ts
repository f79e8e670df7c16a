import type { TokenMetadata } from '../../contracts/entities/metadata.transformer';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import type { LockedTokenStore } from '../../contracts/token-store.interface';
import type { StoredQuota, TokenQuota } from '../../contracts/token-quota';

/** How `TokenService.issue()` issues a token. */
export interface IssueTokenOptions {
  /** Client name; must exist. */
  client: string;
  /** Optional label, unique per user. */
  name?: string | null | undefined;
  /** Lifetime in **seconds**, overriding the client's `tokenTtl`; `null` = never expires. */
  ttl?: number | null | undefined;
  userAgent?: string | null | undefined;
  ip?: string | null | undefined;
  /**
   * The token this one is derived from (an API key minted by a session, say). Checked under the
   * user's issue lock: if it has been revoked meanwhile, by logout-all for instance, nothing is
   * issued (401 `session_ended`).
   */
  parentTokenId?: string | undefined;
  /**
   * Re-checks, under the user's issue lock, that what authorized this issue still holds. It gets
   * the user as the store holds it now; the login route compares the password hash and the active
   * flag with what it verified. `false` → 401 `credentials_changed`.
   */
  stillValid?: ((current: object | null) => boolean) | undefined;
  /**
   * The scopes the token asks for. Each must be allowed by the client (else 403
   * `scope_not_allowed`) and held by `scopeCeiling` (else 403 `scope_not_held`). Absent: the
   * client's `defaultScopes` (or all its `scopes`), narrowed to `scopeCeiling`.
   */
  scopes?: string[] | undefined;
  /**
   * What the token may hold at most: the effective scopes of the token that mints it (an API key
   * never gets more than the session creating it). `null` = no ceiling.
   */
  scopeCeiling?: string[] | null | undefined;
  /** The app's JSON object kept with the token (returned in lists and on `@CurrentToken()`). */
  metadata?: TokenMetadata | null | undefined;
  /**
   * The addresses and CIDR networks the token may be used from (`["203.0.113.0/24"]`); from any other,
   * 403 `ip_not_allowed`. Omitted or `null`: anywhere.
   */
  allowedIps?: string[] | null | undefined;
  /**
   * The token's own rate limit, `"N/unit"` like `"100/m"`, counted on every authenticated request
   * it makes; past it 429 `rate_limited`. Omitted or `null`: none (the client's limits still apply).
   */
  rateLimit?: string | null | undefined;
  /**
   * The token's quota, `{limit, refill?: {amount, every: "1d"}}`: each authenticated request spends
   * 1 unit (a `@TokenCost(n)` route n); none left, 429 `quota_exhausted`. Omitted or `null`: none.
   */
  quota?: TokenQuota | null | undefined;
}

/** The plaintext `token` exists only in this object: return it to the caller once, never store it. */
export interface IssuedToken {
  token: string;
  record: AuthToken;
}

/** What a caller inside the library (a roll) does in the issue's locked section. Not public. */
export interface IssueHooks {
  /**
   * Runs under the user's lock after the re-checks, before the name check, the limits and the
   * insert, with the id the new token will have: a throw aborts the issue (nothing is stored).
   */
  before?: ((store: LockedTokenStore, now: Date, newId: string) => Promise<void>) | undefined;
  /** A refresh rotation: the sign-in time the successor keeps (its `createdAt`). */
  createdAt?: Date | undefined;
  /** A refresh rotation: the family the successor joins. */
  familyId?: string | undefined;
  /** A roll or a rotation: the quota and balance the new token takes over (instead of `options.quota`). */
  quota?: StoredQuota | null | undefined;
}
