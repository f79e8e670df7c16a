import { Inject, Injectable } from '@nestjs/common';
import { ClientRegistry } from '../../infrastructure/clients/client.registry';
import { Clock } from '../../contracts/clock/clock.interface';
import type { AuthClient } from '../../contracts/entities/auth-client.entity';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { UnknownClientException } from '../../contracts/errors/token-issue.exceptions';
import type { RevocationReason } from '../../contracts/events/auth-event.payloads';
import { effectiveScopes, holdsAll, holdsAny } from '../../pure/scopes/scope-set';
import { TokenStore, type TokenFilter, type TokenSettings } from '../../contracts/token-store.interface';
import type { IssuedToken, IssueTokenOptions } from './issue-token.options';
import {
  LegacyTokenImporter,
  type LegacyImportOptions,
  type LegacyImportResult,
  type LegacyToken,
} from './legacy-token.importer';
import { TokenCodec } from '../../pure/tokens/token.codec';
import { TokenIssuer } from './token.issuer';
import { TokenPurger } from './token.purger';
import { TokenRevoker, type RevokeAllOptions } from './token.revoker';
import { TokenUpdater, type UpdateTokenOptions } from './token.updater';
import { TokenRoller, type RolledKey, type RollKeyOptions } from './token.roller';
import { TokenRotator, type RotationRequest } from './token.rotator';
import { TokenQuotaKeeper, type QuotaStanding } from './token-quota.keeper';
import { TokenVerifier } from './token.verifier';
import type { UserId } from '../../contracts/user-id';

export type { IssuedToken, IssueTokenOptions } from './issue-token.options';

/**
 * Issues, renews, lists and revokes tokens: the façade apps call. Apps with other login flows
 * (social login, SSO) issue tokens here once they have identified the user. The work is done by
 * `TokenIssuer`, `TokenRevoker`, `TokenPurger` and `LegacyTokenImporter`; every read and write goes
 * through the `TokenStore`.
 */
@Injectable()
export class TokenService {
  constructor(
    @Inject(TokenStore) private readonly store: TokenStore,
    readonly codec: TokenCodec,
    private readonly clients: ClientRegistry,
    private readonly issuer: TokenIssuer,
    private readonly revoker: TokenRevoker,
    private readonly purger: TokenPurger,
    private readonly legacy: LegacyTokenImporter,
    private readonly updater: TokenUpdater,
    private readonly roller: TokenRoller,
    private readonly rotator: TokenRotator,
    private readonly quotas: TokenQuotaKeeper,
    private readonly verifier: TokenVerifier,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Imports tokens of a system with one plaintext token per user (DRF's authtoken…) so their
   * holders stay signed in: only digests are stored, under the `legacyTokens` client, and each key
   * keeps working as a bearer token. Entries are matched by username (an id alone only with
   * `byId`); `dryRun` writes nothing. Needs the `legacyTokens` option.
   */
  importLegacyTokens(
    entries: Iterable<LegacyToken> | AsyncIterable<LegacyToken>,
    options?: LegacyImportOptions,
  ): Promise<LegacyImportResult> {
    return this.legacy.import(entries, options);
  }

  /**
   * Issues a token, enforcing the client's `maxTokensPerUser` and the module's `tokenLimitPerUser`
   * (expired tokens never count). Concurrent calls for one user are serialized, so 50 simultaneous
   * logins against a limit of 1 leave exactly one token.
   */
  issue(user: object | UserId, options: IssueTokenOptions): Promise<IssuedToken> {
    return this.issuer.issue(user, options);
  }

  /**
   * What the token may do now: its own scopes narrowed by its client's current `scopes`; `null`
   * means unrestricted (every scope check passes).
   */
  scopesOf(token: AuthToken): string[] | null {
    return effectiveScopes(token, this.clients.findById(token.clientId) ?? token.client);
  }

  /**
   * Where the token's quota stands now (`remaining` after refills due, across instances with Redis),
   * or `null` when it has none.
   */
  quotaOf(token: AuthToken): Promise<QuotaStanding | null> {
    return this.quotas.standingOf(token);
  }

  /** Whether the token holds every one of `scopes` (what `@RequireScopes()` checks). */
  hasScopes(token: AuthToken, ...scopes: string[]): boolean {
    return holdsAll(this.scopesOf(token), scopes);
  }

  /** Whether the token holds at least one of `scopes` (what `@RequireAnyScope()` checks). */
  hasAnyScope(token: AuthToken, ...scopes: string[]): boolean {
    return holdsAny(this.scopesOf(token), scopes);
  }

  /** The client with this name, also one another process (the CLI) created since start-up; else 400 `unknown_client`. */
  findClient(name: string): Promise<AuthClient> {
    return this.issuer.findClient(name);
  }

  /** The client with this name as this process knows it (no I/O); 400 `UnknownClientException` if there is none. */
  requireClient(name: string): AuthClient {
    const client = this.clients.findByName(name);
    if (!client) throw new UnknownClientException();
    return client;
  }

  /**
   * Moves the token's expiry to now + its client's TTL (or idle timeout), never past its absolute
   * lifetime; a client without either, and an API key, keep their expiry unchanged.
   */
  renew(token: AuthToken): Promise<Date | null> {
    return this.revoker.renew(token);
  }

  /**
   * What `POST /auth/refresh` does. For a client with `rotateOnRefresh`: a successor (`token`,
   * shown once, and its `record`), the presented token working on for the client's `rotationGrace`
   * only (a use after it revokes the whole family: 401 `token_reused`); 401 `token_rotated` when
   * another refresh rotated it first. Otherwise `renew`: the same token, its expiry moved.
   */
  async refresh(token: AuthToken, request?: RotationRequest): Promise<{ token?: string; record: AuthToken }> {
    if (this.rotator.rotates(token)) return this.rotator.rotate(token, request);
    await this.revoker.renew(token);
    return { record: token };
  }

  /**
   * Revokes one token of the user; `false` if the user has no such token. `reason` goes into the
   * `token.revoked` event (`revoked` when not given).
   */
  revoke(userId: UserId, tokenId: string, reason: RevocationReason = 'revoked'): Promise<boolean> {
    return this.revoker.revoke(userId, tokenId, reason);
  }

  /**
   * Changes a token's name, `enabled` (a paused token is refused with 401 `key_disabled` on every
   * instance) or `metadata`; returns it as stored now, or `null` when the user has no such unexpired
   * token (of `options.clientId`). Emits `token.updated`.
   */
  update(
    userId: UserId,
    tokenId: string,
    changes: TokenSettings,
    options?: UpdateTokenOptions,
  ): Promise<AuthToken | null> {
    return this.updater.update(userId, tokenId, changes, options);
  }

  /**
   * Rolls an API key: a new key (its secret in the result, shown once) with the old one's name,
   * scopes, metadata and lifetime; the old key is revoked now (`overlapSeconds` 0, the default) or
   * keeps working for the overlap. 404 `api_key_not_found`, 409 `api_key_rolled` (already rolled).
   * Prove the holder first, as for creating a key. Emits `token.created` and `token.rolled`.
   */
  roll(user: object, keyId: string, options: RollKeyOptions): Promise<RolledKey> {
    return this.roller.roll(user, keyId, options);
  }

  /**
   * Revokes the user's tokens, optionally sparing one (`exceptTokenId`) or the API keys. It runs
   * under the user's issue lock, so an issue that raced it either finished first (and its token is
   * revoked here) or runs after it and re-checks its parent session or credentials (see
   * `IssueTokenOptions`). After a password change, call it once the new hash is saved **and
   * committed**: never inside the transaction (or a TypeORM subscriber of it) that saves it, which
   * holds the user's row that this lock waits for.
   */
  revokeAll(userId: UserId, options: RevokeAllOptions = {}): Promise<number> {
    return this.revoker.revokeAll(userId, options);
  }

  /**
   * Deletes the tokens of all users expired more than `olderThan` seconds ago (default: the
   * `purge.retention` option) and returns how many, `batchSize` (default `purge.batchSize`) per
   * statement, letting other work run between batches: a million expired rows never hold the table
   * for seconds. Expired tokens are already refused and never counted; this keeps the table small.
   * Run it from a scheduled job (`purge.cron`), or your own.
   */
  purgeExpired(
    options: { olderThan?: number | undefined; batchSize?: number | undefined; signal?: AbortSignal | undefined } = {},
  ): Promise<number> {
    return this.purger.purgeExpired(options);
  }

  /** The user's unexpired tokens, newest first, each with its client. */
  async list(userId: UserId, filter: TokenFilter = {}): Promise<AuthToken[]> {
    const tokens = await this.store.listActive(userId, this.clock.now(), filter);
    for (const token of tokens) {
      const client = await this.clients.getById(token.clientId);
      if (client) token.client = client;
    }
    return tokens;
  }

  /** One unexpired token of the user, with its client, or `null`. */
  async find(userId: UserId, tokenId: string): Promise<AuthToken | null> {
    const token = await this.store.findActive(userId, tokenId, this.clock.now());
    const client = token && (await this.clients.getById(token.clientId));
    if (token && client) token.client = client;
    return token;
  }

  /**
   * The stored record of a presented token, whatever its state (expired, paused, rotated out), or
   * `null` when it is not one of the library's or not stored. Checksum first: junk costs no query.
   */
  findByToken(token: unknown): Promise<AuthToken | null> {
    return this.verifier.find(token);
  }

  /** The API-key client, or `undefined` when API keys are disabled. */
  apiKeyClient(): AuthClient | undefined {
    return this.issuer.apiKeyClient();
  }
}
