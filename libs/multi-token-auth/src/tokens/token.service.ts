import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClientRegistry } from '../clients/client.registry';
import type { AuthClient } from '../entities/auth-client.entity';
import type { AuthToken } from '../entities/auth-token.entity';
import {
  CredentialsChangedException,
  InvalidTokenException,
  SessionEndedException,
  TokenLimitExceededException,
} from '../errors/auth.exceptions';
import {
  ApiKeyLimitException,
  isForeignKeyViolation,
  isUniqueViolation,
  TokenNameTakenException,
  UnknownClientException,
} from '../errors/token-issue.exceptions';
import { ValidationFailedException } from '../errors/validation-failed.exception';
import { tokenNameProblem } from '../validation/token-name';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { Clock } from '../clock/clock.interface';
import {
  TokenStore,
  type LockedTokenStore,
  type RevokedToken,
  type TokenFilter,
} from '../storage/token-store.interface';
import { AuthEvents } from '../events/auth-events';
import { MAX_PURGE_BATCH, MAX_RETENTION } from '../purge/purge-limits';
import type { RevocationReason } from '../events/auth-event.payloads';
import { UserAccessor, type UserId } from '../users/user.accessor';
import {
  LegacyTokenImporter,
  type LegacyImportOptions,
  type LegacyImportResult,
  type LegacyToken,
} from './legacy-token.importer';
import { TokenCodec } from './token.codec';
import { expiryOf } from './token-lifetime';
import { ScopeNotAllowedException, ScopeNotHeldException } from '../errors/scope.exceptions';
import {
  effectiveScopes,
  holdsAll,
  holdsAny,
  intersectScopes,
  normalizeScopes,
  scopesProblem,
} from '../scopes/scope-set';
import { InjectMultiTokenAuthOptions } from '../options/inject-options.decorator';

function normalized(scopes: string[] | null): string[] | null {
  return scopes === null ? null : normalizeScopes(scopes);
}

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
}

/** The plaintext `token` exists only in this object: return it to the caller once, never store it. */
export interface IssuedToken {
  token: string;
  record: AuthToken;
}

/**
 * Issues, renews, lists and revokes tokens. Apps with other login flows (social login, SSO) issue
 * tokens here once they have identified the user. Every read and write goes through the `TokenStore`.
 */
@Injectable()
export class TokenService {
  private readonly logger = new Logger('MultiTokenAuth');

  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    @Inject(TokenStore) private readonly store: TokenStore,
    readonly codec: TokenCodec,
    private readonly clients: ClientRegistry,
    private readonly users: UserAccessor,
    private readonly events: AuthEvents,
    private readonly legacy: LegacyTokenImporter,
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
  async issue(user: object | UserId, options: IssueTokenOptions): Promise<IssuedToken> {
    const client = await this.findClient(options.client);
    const userId = typeof user === 'object' ? this.users.idOf(user) : user;
    const ttl = options.ttl === undefined ? client.tokenTtl : options.ttl;
    const name = options.name?.trim() ?? null;
    // The controllers validate their input; this holds the same rules for every other caller (400, never a 5xx).
    if (ttl !== null && !(typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0)) {
      throw new ValidationFailedException(['ttl must be a number of seconds > 0, or null']);
    }
    const problem = name === null ? undefined : tokenNameProblem(name);
    if (problem) throw new ValidationFailedException([problem]);
    const scopes = this.scopesToGrant(client, options);
    const token = this.codec.generate();
    const now = this.clock.now();
    // Reported once the locked work is stored: never for an issue that failed (and rolled back).
    const purged: RevokedToken[] = [];
    const pushedOut: RevokedToken[] = [];
    const apiKeys = this.apiKeyClient();
    const issued = await this.lockedForClient(client, () =>
      this.store.withUserLock(userId, async (store) => {
        await this.recheck(store, userId, now, options);
        purged.push(...(await store.purgeExpired(this.purgeCutoff(now), userId)));
        if (name !== null && (await store.hasNamed(userId, name))) throw new TokenNameTakenException();
        // Before the client's own limit, which may revoke: a refused key creation revokes nothing.
        if (client.id === apiKeys?.id) await this.enforceApiKeyLimit(store, userId, now, client.id);
        pushedOut.push(
          ...(await this.enforceLimit(store, userId, now, client.maxTokensPerUser, { clientId: client.id })),
        );
        const userWide = client.id === apiKeys?.id ? null : this.options.tokenLimitPerUser;
        pushedOut.push(...(await this.enforceLimit(store, userId, now, userWide, { excludeClientId: apiKeys?.id })));
        const fields = {
          id: randomUUID(),
          userId,
          clientId: client.id,
          name,
          digest: this.codec.digest(token),
          createdAt: now,
          expiresAt: expiryOf(client, now, now, options.ttl),
          userAgent: options.userAgent?.slice(0, 255) ?? null,
          ip: options.ip?.slice(0, 45) ?? null,
          scopes,
        };
        let record: AuthToken;
        try {
          record = await store.insert(fields);
        } catch (error) {
          if (isUniqueViolation(error)) throw new TokenNameTakenException();
          throw error;
        }
        await this.requireKeptScopes(store, record, scopes);
        record.client = client;
        return { token, record };
      }),
    );
    this.events.tokensRevoked(purged, 'purge');
    this.events.tokensRevoked(pushedOut, 'limit');
    this.events.tokenCreated(issued.record, client.id === apiKeys?.id);
    return issued;
  }

  /**
   * What the token may do now: its own scopes narrowed by its client's current `scopes`; `null`
   * means unrestricted (every scope check passes).
   */
  scopesOf(token: AuthToken): string[] | null {
    return effectiveScopes(token, this.clients.findById(token.clientId) ?? token.client);
  }

  /** Whether the token holds every one of `scopes` (what `@RequireScopes()` checks). */
  hasScopes(token: AuthToken, ...scopes: string[]): boolean {
    return holdsAll(this.scopesOf(token), scopes);
  }

  /** Whether the token holds at least one of `scopes` (what `@RequireAnyScope()` checks). */
  hasAnyScope(token: AuthToken, ...scopes: string[]): boolean {
    return holdsAny(this.scopesOf(token), scopes);
  }

  /**
   * Runs `work` that stores a token of `client`: if the client was deleted meanwhile by another
   * process (the CLI), the insert breaks its foreign key, and the caller gets 400 `unknown_client`
   * rather than a database error.
   */
  private async lockedForClient<T>(client: AuthClient, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      await this.clients.reload();
      if (this.clients.findById(client.id)) throw error;
      throw new UnknownClientException();
    }
  }

  /** The client with this name, also one another process (the CLI) created since start-up; else 400 `unknown_client`. */
  async findClient(name: string): Promise<AuthClient> {
    const client = await this.clients.findOrReload(name);
    if (!client) throw new UnknownClientException();
    return client;
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
  async renew(token: AuthToken): Promise<Date | null> {
    const client = await this.clients.getById(token.clientId);
    // An API key keeps the lifetime it was created with: a key cannot lengthen itself.
    if (!client || client.id === this.apiKeyClient()?.id) return token.expiresAt;
    const expiresAt = expiryOf(client, token.createdAt, this.clock.now());
    // A client without TTL or idle timeout (and no cap) keeps the expiry as it is.
    if (expiresAt === null) return token.expiresAt;
    // A token revoked since the request was authenticated is not brought back: 401, not a new expiry.
    if (!(await this.store.setExpiry(token, expiresAt))) throw new InvalidTokenException();
    token.expiresAt = expiresAt;
    this.events.tokenRefreshed(token);
    return expiresAt;
  }

  /**
   * Revokes one token of the user; `false` if the user has no such token. `reason` goes into the
   * `token.revoked` event (`revoked` when not given).
   */
  async revoke(userId: UserId, tokenId: string, reason: RevocationReason = 'revoked'): Promise<boolean> {
    // Under the issue lock, like revokeAll: a key being minted from this session either is
    // committed first (and outlives it, as keys do) or sees it gone (401 session_ended).
    const rows = await this.store.withUserLock(userId, (store) => store.revoke(userId, { ids: [tokenId] }));
    this.events.tokensRevoked(rows, reason);
    return rows.length > 0;
  }

  /**
   * Revokes the user's tokens, optionally sparing one (`exceptTokenId`) or the API keys. It runs
   * under the user's issue lock, so an issue that raced it either finished first (and its token is
   * revoked here) or runs after it and re-checks its parent session or credentials (see
   * `IssueTokenOptions`). After a password change, call it once the new hash is saved **and
   * committed**: never inside the transaction (or a TypeORM subscriber of it) that saves it, which
   * holds the user's row that this lock waits for.
   */
  async revokeAll(
    userId: UserId,
    options: {
      exceptTokenId?: string | undefined;
      keepApiKeys?: boolean | undefined;
      clientId?: number | undefined;
      reason?: RevocationReason | undefined;
    } = {},
  ): Promise<number> {
    const excludeClientId = options.keepApiKeys ? this.apiKeyClient()?.id : undefined;
    const filter = { exceptTokenId: options.exceptTokenId, excludeClientId, clientId: options.clientId };
    const rows = await this.store.withUserLock(userId, (store) => store.revoke(userId, filter));
    this.events.tokensRevoked(rows, options.reason ?? 'revoked');
    return rows.length;
  }

  /**
   * Deletes the tokens of all users expired more than `olderThan` seconds ago (default: the
   * `purge.retention` option) and returns how many, `batchSize` (default `purge.batchSize`) per
   * statement, letting other work run between batches: a million expired rows never hold the table
   * for seconds. Expired tokens are already refused and never counted; this keeps the table small.
   * Run it from a scheduled job (`purge.cron`), or your own.
   */
  async purgeExpired(
    options: { olderThan?: number | undefined; batchSize?: number | undefined; signal?: AbortSignal | undefined } = {},
  ): Promise<number> {
    const olderThan = options.olderThan ?? this.options.purge.retention;
    const batchSize = options.batchSize ?? this.options.purge.batchSize;
    if (!(olderThan >= 0 && olderThan <= MAX_RETENTION) || !(Number.isSafeInteger(batchSize) && batchSize >= 1)) {
      throw new ValidationFailedException([
        `olderThan must be 0 to ${MAX_RETENTION} seconds and batchSize a whole number >= 1`,
      ]);
    }
    if (batchSize > MAX_PURGE_BATCH)
      throw new ValidationFailedException([`batchSize must be at most ${MAX_PURGE_BATCH}`]);
    const cutoff = new Date(this.clock.now().getTime() - olderThan * 1000);
    let total = 0;
    for (;;) {
      // Between batches: an app shutting down stops here, leaving the rest for the next run.
      if (options.signal?.aborted) return total;
      const rows = await this.store.purgeExpired(cutoff, undefined, batchSize);
      this.events.tokensRevoked(rows, 'purge');
      total += rows.length;
      if (rows.length > batchSize) {
        this.logger.warn(`the token store ignored the purge's batch size (${rows.length} > ${batchSize})`);
      }
      if (rows.length < batchSize) return total;
      // Requests waiting on the event loop (and on the database) go before the next batch.
      await new Promise((resolve) => setImmediate(resolve));
    }
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

  /** Tokens expired before this are purged: now, minus the `purge.retention` kept for auditing. */
  private purgeCutoff(now: Date): Date {
    return new Date(now.getTime() - this.options.purge.retention * 1000);
  }

  /** The API-key client, or `undefined` when API keys are disabled. */
  apiKeyClient(): AuthClient | undefined {
    return this.options.apiKeyClient === null ? undefined : this.clients.findByName(this.options.apiKeyClient);
  }

  /**
   * A custom store that drops the scopes would hand out a token with every scope of its client: the
   * token is taken back and the issue fails (a 500 naming the store, a bug to fix, never a wider token).
   */
  private async requireKeptScopes(store: LockedTokenStore, record: AuthToken, scopes: string[] | null): Promise<void> {
    const kept = record.scopes === undefined ? undefined : normalized(record.scopes);
    if (JSON.stringify(kept) === JSON.stringify(scopes)) return;
    await store.revoke(record.userId, { ids: [record.id] });
    throw new Error(
      'multi-token-auth: the token store did not keep the scopes of a new token; see describeTokenStore().',
    );
  }

  private scopesToGrant(client: AuthClient, options: IssueTokenOptions): string[] | null {
    const ceiling = options.scopeCeiling === undefined ? null : options.scopeCeiling;
    if (options.scopes === undefined) {
      return normalized(intersectScopes(ceiling, client.defaultScopes ?? client.scopes));
    }
    const problem = scopesProblem(options.scopes);
    if (problem) throw new ValidationFailedException([problem]);
    const wanted = normalizeScopes(options.scopes);
    if (!holdsAll(client.scopes, wanted)) throw new ScopeNotAllowedException();
    if (!holdsAll(ceiling, wanted)) throw new ScopeNotHeldException();
    return wanted;
  }

  private async recheck(store: LockedTokenStore, userId: UserId, now: Date, options: IssueTokenOptions) {
    if (options.parentTokenId !== undefined) {
      const [parent] = await store.listActive(userId, now, { ids: [options.parentTokenId] });
      if (!parent) throw new SessionEndedException();
    }
    if (options.stillValid && !options.stillValid(await store.findUser(userId))) {
      throw new CredentialsChangedException();
    }
  }

  private async enforceApiKeyLimit(store: LockedTokenStore, userId: UserId, now: Date, clientId: number) {
    const max = this.options.maxApiKeysPerUser;
    if (max === null) return;
    const keys = await store.listActive(userId, now, { clientId, limit: max });
    if (keys.length >= max) throw new ApiKeyLimitException();
  }

  private async enforceLimit(
    store: LockedTokenStore,
    userId: UserId,
    now: Date,
    limit: number | null,
    filter: TokenFilter,
  ): Promise<RevokedToken[]> {
    if (limit === null) return [];
    const active = await store.listActive(userId, now, filter);
    if (active.length < limit) return [];
    if (this.options.tokenLimitPolicy === 'reject') throw new TokenLimitExceededException();
    // Newest first, so everything from index limit - 1 on is the oldest surplus.
    const oldest = active.slice(limit - 1).map((token) => token.id);
    return store.revoke(userId, { ids: oldest });
  }
}
