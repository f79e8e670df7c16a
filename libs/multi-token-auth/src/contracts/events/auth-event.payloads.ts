import type { UserId } from '../user-id';

/**
 * Why a token was revoked: the library's own routes and limits, the demo's password change and
 * deactivation (pass the same reasons from yours), the purge of expired tokens, `holder-revoke` for
 * `POST /auth/revoke` (RFC 7009), `leaked` for a token reported leaked (a secret-scanning report or
 * `POST /auth/credentials/revoke`); `revoked` for a
 * direct `TokenService.revoke()` that names none.
 */
export type RevocationReason =
  | 'logout'
  | 'logout-all'
  | 'logout-others'
  | 'session-revoke'
  | 'api-key-revoke'
  | 'limit'
  | 'password-change'
  | 'deactivation'
  | 'purge'
  | 'client-delete'
  | 'admin'
  | 'roll'
  | 'reuse'
  | 'holder-revoke'
  | 'leaked'
  | 'revoked';

/** What every token event says about its token: ids and where it was created, never the token or its digest. */
export interface TokenEventFields {
  tokenId: string;
  userId: UserId;
  /** The client's name (`null` if it no longer exists). */
  client: string | null;
  /** The IP address and user agent the token was created from, as stored. */
  ip: string | null;
  userAgent: string | null;
  /** When it happened, by the library's clock. */
  at: Date;
}

export interface TokenCreatedEvent extends TokenEventFields {
  name: string | null;
  expiresAt: Date | null;
  scopes: string[] | null;
  /** Whether the token is an API key (the API-key client's). */
  apiKey: boolean;
}

export interface TokenRevokedEvent extends TokenEventFields {
  reason: RevocationReason;
}

export interface TokenRefreshedEvent extends TokenEventFields {
  expiresAt: Date | null;
}

/** A token's settings changed (`PATCH /auth/api-keys/:id`): which fields, and `enabled` after the change. */
export interface TokenUpdatedEvent extends TokenEventFields {
  /** The fields the change set (`name`, `enabled`, `metadata`), whether or not their values differ. */
  changed: string[];
  enabled: boolean;
}

/** An API key was rolled: the fields are the old key's; `newTokenId` is its replacement's. */
export interface TokenRolledEvent extends TokenEventFields {
  newTokenId: string;
  /** When the old key stops working: `at` itself for a roll without overlap (it is revoked now). */
  oldKeyExpiresAt: Date | null;
}

/** A refresh rotated a session token out: the fields are the old token's; `newTokenId` is its successor's. */
export interface TokenRotatedEvent extends TokenEventFields {
  newTokenId: string;
  familyId: string;
  /** When the old token stops working (the client's `rotationGrace` from now). */
  graceEndsAt: Date;
}

/**
 * A token rotated out by a refresh was presented after its grace: taken as stolen, its family was
 * revoked. The fields are the presented token's (as stored: where it was created); `presentedFrom`
 * is the address it was presented from now. Never a token or a digest.
 */
export interface TokenReuseDetectedEvent extends TokenEventFields {
  familyId: string;
  /** The ids of the family's tokens this revoked (the presented one included). */
  revokedTokenIds: string[];
  presentedFrom: string | null;
}

/**
 * A token was reported leaked and has been revoked (a `token.revoked` with reason `leaked` is emitted
 * too): tell its owner. The fields are the token's as stored; never the token or its digest.
 */
export interface TokenLeakedEvent extends TokenEventFields {
  /** The token's name as it was (an API key's, a session's device name), to tell its owner which. */
  name: string | null;
  /** Whether it was an API key. */
  apiKey: boolean;
  /** Who reported it: GitHub's secret scanning, or someone through `POST /auth/credentials/revoke`. */
  reporter: 'secret-scanning' | 'credential-revocation';
  /** Where it was found, as the report says (secret scanning only; `null` otherwise): the reporter's text, not checked. */
  url: string | null;
  /** What kind of place (`content`, `commit`, `npm`…), as the report says; `null` when it says none. */
  source: string | null;
  /** The report's name for the kind of token (the type registered with GitHub), or `null`. */
  type: string | null;
  /** The address a bulk revocation came from (`credential-revocation`); `null` for GitHub's reports. */
  reportedFrom: string | null;
}

export interface LoginSucceededEvent {
  userId: UserId;
  tokenId: string;
  client: string;
  ip: string | null;
  userAgent: string | null;
  at: Date;
}

/** A refused login: the username as typed (at most 150 characters), never the password. */
export interface LoginFailedEvent {
  username: string;
  /**
   * The error code the client got: `invalid_credentials`, `user_inactive`, `credentials_changed`,
   * `unknown_client`… (never the attempt limiter's own 429s, which are not reported one by one).
   */
  reason: string;
  /** The client asked for, when it exists. */
  client: string | null;
  ip: string | null;
  userAgent: string | null;
  at: Date;
}
