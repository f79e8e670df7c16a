import type { AuthToken } from './entities/auth-token.entity';
import type { TokenMetadata } from './entities/metadata.transformer';
import type { QuotaBalanceWrite, StoredQuota, TokenQuota } from './token-quota';
import type { UserId } from './user-id';

/** Which of a user's tokens a list or bulk revocation touches. */
export interface TokenFilter {
  /** Only tokens of this client. */
  clientId?: number | undefined;
  /** Not the tokens of this client (e.g. keep API keys). */
  excludeClientId?: number | undefined;
  /** Not this token (e.g. "log out everywhere else"). */
  exceptTokenId?: string | undefined;
  /** Only these tokens. An empty list matches nothing. */
  ids?: string[] | undefined;
  /** Only the tokens of this refresh family: the token with this id and those whose `familyId` it is. */
  familyId?: string | undefined;
  /** Not the tokens a refresh rotated out (`graceEndsAt` set): a list of sessions. */
  excludeRotated?: boolean | undefined;
  /** Lists only: tokens after this one in the list's order (newest first), for the next page. */
  after?: TokenPosition | undefined;
  /** Lists only: at most this many tokens. */
  limit?: number | undefined;
}

/** Where a token sits in a list ordered newest first (`createdAt` descending, then `id` descending). */
export interface TokenPosition {
  createdAt: Date;
  id: string;
}

/** What a revocation removed: enough for a cache, a revocation bus or an audit event to act on. */
export interface RevokedToken {
  id: string;
  userId: UserId;
  /** Hex SHA-256 of the token (never the token). Never leaves the library in an event. */
  digest: string;
  clientId: number;
  /** Where and with what the token was created, as stored. */
  ip: string | null;
  userAgent: string | null;
}

/** A token to store, as `TokenService.issue` builds it. */
export interface NewToken {
  id: string;
  userId: UserId;
  clientId: number;
  name: string | null;
  digest: string;
  createdAt: Date;
  expiresAt: Date | null;
  userAgent: string | null;
  ip: string | null;
  /**
   * Sorted scopes, or `null` for every scope of its client. A store must keep them exactly and
   * return them from every read: a token read back without its list would hold every scope of its
   * client (`TokenService.issue` refuses a store whose `insert` drops them).
   */
  scopes: string[] | null;
  /**
   * The app's JSON object, or `null`. A store keeps it exactly and returns it from every read; a
   * new token is always `enabled: true` with `replacedBy: null`.
   */
  metadata?: TokenMetadata | null | undefined;
  /** Canonical addresses and CIDR networks the token may be used from, kept exactly; `null` = anywhere. */
  allowedIps?: string[] | null | undefined;
  /** The token's own rate limit (`"100/m"`), kept exactly; `null` = none. */
  rateLimit?: string | null | undefined;
  /** The family of a token made by a refresh rotation (the first token's id); `null` otherwise. */
  familyId?: string | null | undefined;
  /** The token's quota and its balance (full when set, carried by a roll), kept exactly; `null` = none. */
  quota?: StoredQuota | null | undefined;
}

/** What an app may change on a token (`TokenService.update`); a field left `undefined` stays as it is. */
export interface TokenSettings {
  name?: string | null | undefined;
  /** `false` pauses the token: verification refuses it (401 `key_disabled`) until it is `true` again. */
  enabled?: boolean | undefined;
  metadata?: TokenMetadata | null | undefined;
  /** The addresses and CIDR networks it may be used from (canonical); `null` = anywhere. */
  allowedIps?: string[] | null | undefined;
  /** Its own rate limit, `"N/unit"` like `"100/m"`; `null` = none. */
  rateLimit?: string | null | undefined;
  /** Its quota, `{limit, refill?: {amount, every}}`, full again from the change; `null` = none. */
  quota?: TokenQuota | null | undefined;
}

/** What `LockedTokenStore.update` may change: the settings, and what a roll changes on the old key. */
export interface TokenChanges extends Omit<TokenSettings, 'quota'> {
  /** A quota with its balance (set anew, or a roll's carried one), stored exactly; `null` removes it. */
  quota?: StoredQuota | null | undefined;
  /** A new expiry (a roll's overlap end): only ever earlier, so caches must re-read the token. */
  expiresAt?: Date | null | undefined;
  /** The key that replaced this one in a roll, or the token that replaced it in a refresh rotation. */
  replacedBy?: string | null | undefined;
  /** A refresh rotation: the family both tokens belong to. */
  familyId?: string | null | undefined;
  /** A refresh rotation: when the rotated-out token stops working. */
  graceEndsAt?: Date | null | undefined;
}

/** The operations that run under one user's issue lock (`TokenStore.withUserLock`). */
export interface LockedTokenStore {
  /** The user's unexpired tokens (at `now`), newest first. */
  listActive(userId: UserId, now: Date, filter?: TokenFilter): Promise<AuthToken[]>;
  /**
   * The user with this id as the database holds it now (under the lock: the locked row, read in
   * the lock's transaction), or `null`. Issuing re-checks credentials against it.
   */
  findUser(userId: UserId): Promise<object | null>;
  /** Whether the user has a token (expired or not) with this name. */
  hasNamed(userId: UserId, name: string): Promise<boolean>;
  /**
   * Stores a new token and returns its record; a duplicate name or digest fails with the database's
   * unique violation (`isUniqueViolation()` tells it apart).
   */
  insert(token: NewToken): Promise<AuthToken>;
  /**
   * Applies `changes` to the user's token `tokenId` and returns what identifies it (the digest for
   * caches), or `null` when the user has no such token. A name another token of the user has fails
   * with the database's unique violation, as `insert`.
   */
  update(userId: UserId, tokenId: string, changes: TokenChanges): Promise<RevokedToken | null>;
  /** Deletes the matching tokens of the user and returns exactly those it deleted. */
  revoke(userId: UserId, filter: TokenFilter): Promise<RevokedToken[]>;
  /**
   * Deletes tokens expired at `now` (of one user, or of all without `userId`); with `limit`, at
   * most that many in one statement, those expired longest ago first (a purge in bounded batches).
   */
  purgeExpired(now: Date, userId?: UserId, limit?: number): Promise<RevokedToken[]>;
}

/**
 * Every read and write of `auth_tokens` goes through this seam (as @nestjs/throttler's storage does
 * for counters), so that whatever caches or broadcasts revocations learns exactly which tokens a
 * write touched. The default is `TypeOrmTokenStore` on the app's data source; another store plugs in
 * with the `tokenStore` option. `describeTokenStore()` is the contract every implementation passes.
 */
export interface TokenStore extends LockedTokenStore {
  /** The token with this digest and its user; `null` when there is none. The hot path. */
  findByDigest(digest: string): Promise<AuthToken | null>;
  /** One unexpired token of the user, or `null`. */
  findActive(userId: UserId, tokenId: string, now: Date): Promise<AuthToken | null>;
  /** Sets a token's expiry; `false` when the token no longer exists. */
  setExpiry(token: Pick<RevokedToken, 'id' | 'digest'>, expiresAt: Date | null): Promise<boolean>;
  /**
   * Sets `lastUsedAt = now` unless it is already within `intervalMs` of `now`; in the same write,
   * `expiresAt` too when given (sliding expiry).
   */
  touch(tokenId: string, now: Date, intervalMs: number, expiresAt?: Date | null): Promise<void>;
  /**
   * `touch` for many tokens in one write (the tracker's flush, at most `LAST_USED_BATCH` at a time),
   * each with its own time, interval and expiry. A token expired at its `now` (its expiry shortened
   * since it was used) is not written: a late flush never brings it back. Ids not in the table are
   * skipped.
   */
  touchMany(touches: readonly TokenTouch[]): Promise<void>;
  /**
   * Writes quota balances spent in memory or Redis (at most one write per interval, at shutdown and
   * on a roll), each to its token and the keys it replaced with the same `setAt`, only over an older
   * `seq`: writes from several instances, in any order, leave the newest balance.
   */
  saveQuotaBalances(writes: readonly QuotaBalanceWrite[]): Promise<void>;
  /**
   * Runs `work` so that no other `withUserLock` for the same user interleaves with it, in this
   * process or (where the store can) in any other: how token limits hold under concurrent logins.
   */
  withUserLock<T>(userId: UserId, work: (store: LockedTokenStore) => Promise<T>): Promise<T>;
}

/** One `lastUsedAt` write that `TokenStore.touchMany` applies (the arguments of `touch`). */
export interface TokenTouch {
  tokenId: string;
  /** When the token was used. */
  now: Date;
  /** Skip the write when the stored `lastUsedAt` is within this many milliseconds of `now`. */
  intervalMs: number;
  /** The sliding expiry to store with it; `undefined` leaves `expiresAt` as it is. */
  expiresAt?: Date | null | undefined;
  /** The address of the use, stored as `lastIp` with `lastUsedAt`; `undefined` leaves it as it is. */
  ip?: string | null | undefined;
}

/** Injection token of the token store. */
export const TokenStore = Symbol('TokenStore');

/** The methods a `tokenStore` of the app's own must have, checked at start-up. */
export const TOKEN_STORE_METHODS: readonly (keyof TokenStore)[] = [
  'findByDigest',
  'findActive',
  'findUser',
  'listActive',
  'hasNamed',
  'insert',
  'revoke',
  'purgeExpired',
  'setExpiry',
  'touch',
  'touchMany',
  'saveQuotaBalances',
  'withUserLock',
];
