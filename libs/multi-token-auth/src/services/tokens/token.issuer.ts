import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ClientRegistry } from '../../infrastructure/clients/client.registry';
import { Clock } from '../../contracts/clock/clock.interface';
import type { AuthClient } from '../../contracts/entities/auth-client.entity';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import {
  CredentialsChangedException,
  SessionEndedException,
  TokenLimitExceededException,
} from '../../contracts/errors/auth.exceptions';
import { ScopeNotAllowedException, ScopeNotHeldException } from '../../contracts/errors/scope.exceptions';
import {
  ApiKeyLimitException,
  isForeignKeyViolation,
  isUniqueViolation,
  TokenNameTakenException,
  UnknownClientException,
} from '../../contracts/errors/token-issue.exceptions';
import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';
import { AuthEvents } from '../events/auth-events';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import { holdsAll, intersectScopes, normalizeScopes, scopesProblem } from '../../pure/scopes/scope-set';
import {
  TokenStore,
  type LockedTokenStore,
  type RevokedToken,
  type TokenFilter,
} from '../../contracts/token-store.interface';
import { UserAccessor } from '../../infrastructure/users/user.accessor';
import { rateLimitProblem } from '../../pure/validation/rate-limit';
import { normalizeQuota, quotaProblem } from '../../pure/quotas/quota.rule';
import { newlySet } from '../../pure/quotas/quota.balance';
import { tokenNameProblem } from '../../pure/validation/token-name';
import { allowListProblem, normalizeAllowList } from '../../pure/http/address-allow-list';
import type { IssuedToken, IssueHooks, IssueTokenOptions } from './issue-token.options';
import { TokenCodec } from '../../pure/tokens/token.codec';
import { expiryOf } from '../../pure/tokens/token-lifetime';
import { type UserId } from '../../contracts/user-id';
import type { ResolvedOptions } from '../../contracts/resolved-options';

function normalized(scopes: string[] | null): string[] | null {
  return scopes === null ? null : normalizeScopes(scopes);
}

/**
 * Issuing: the checks of a new token (name, lifetime, scopes), then under the user's lock the
 * re-checks of what authorized it, the purge of the user's long-expired tokens, the limits (API
 * keys, the client's, the user's), the insert. `TokenService.issue()` is its entry point.
 */
@Injectable()
export class TokenIssuer {
  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    @Inject(TokenStore) private readonly store: TokenStore,
    private readonly codec: TokenCodec,
    private readonly clients: ClientRegistry,
    private readonly users: UserAccessor,
    private readonly events: AuthEvents,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Issues a token, enforcing the client's `maxTokensPerUser` and the module's `tokenLimitPerUser`
   * (expired tokens never count). Concurrent calls for one user are serialized, so 50 simultaneous
   * logins against a limit of 1 leave exactly one token.
   */
  async issue(user: object | UserId, options: IssueTokenOptions, hooks: IssueHooks = {}): Promise<IssuedToken> {
    const client = await this.findClient(options.client);
    const userId = typeof user === 'object' ? this.users.idOf(user) : user;
    const ttl = options.ttl === undefined ? client.tokenTtl : options.ttl;
    const name = options.name?.trim() ?? null;
    // The controllers validate their input; this holds the same rules for every other caller (400, never a 5xx).
    if (ttl !== null && !(typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0)) {
      throw new ValidationFailedException(['ttl must be a number of seconds > 0, or null']);
    }
    const problem =
      (name === null ? undefined : tokenNameProblem(name)) ??
      (options.allowedIps === undefined ? undefined : allowListProblem(options.allowedIps)) ??
      (options.rateLimit === undefined ? undefined : rateLimitProblem(options.rateLimit)) ??
      (options.quota === undefined ? undefined : quotaProblem(options.quota));
    if (problem) throw new ValidationFailedException([problem]);
    const allowedIps = options.allowedIps ? normalizeAllowList(options.allowedIps) : null;
    const scopes = this.scopesToGrant(client, options);
    const token = this.codec.generate();
    const now = this.clock.now();
    // Reported once the locked work is stored: never for an issue that failed (and rolled back).
    const purged: RevokedToken[] = [];
    const pushedOut: RevokedToken[] = [];
    const apiKeys = this.apiKeyClient();
    const id = randomUUID();
    const issued = await this.lockedForClient(client, () =>
      this.store.withUserLock(userId, async (store) => {
        await this.recheck(store, userId, now, options);
        await hooks.before?.(store, now, id);
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
          id,
          userId,
          clientId: client.id,
          name,
          digest: this.codec.digest(token),
          // A rotation's successor keeps the sign-in's time: the absolute lifetime and the recent
          // sign-in window count from the login, not from the last refresh.
          createdAt: hooks.createdAt ?? now,
          expiresAt: expiryOf(client, hooks.createdAt ?? now, now, options.ttl),
          userAgent: options.userAgent?.slice(0, 255) ?? null,
          ip: options.ip?.slice(0, 45) ?? null,
          scopes,
          metadata: options.metadata ?? null,
          allowedIps,
          rateLimit: options.rateLimit ?? null,
          familyId: hooks.familyId ?? null,
          quota:
            hooks.quota !== undefined
              ? hooks.quota
              : options.quota
                ? newlySet(normalizeQuota(options.quota), now)
                : null,
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

  /** The API-key client, or `undefined` when API keys are disabled. */
  apiKeyClient(): AuthClient | undefined {
    return this.options.apiKeyClient === null ? undefined : this.clients.findByName(this.options.apiKeyClient);
  }

  /** Tokens expired before this are purged: now, minus the `purge.retention` kept for auditing. */
  private purgeCutoff(now: Date): Date {
    return new Date(now.getTime() - this.options.purge.retention * 1000);
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
    // A key rolled with an overlap is on its way out: its replacement does not count it.
    const keys = (await store.listActive(userId, now, { clientId })).filter((key) => !key.replacedBy);
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
    // A key rolled with an overlap is on its way out: it neither counts nor is pushed out.
    const active = (await store.listActive(userId, now, filter)).filter((token) => !token.replacedBy);
    if (active.length < limit) return [];
    if (this.options.tokenLimitPolicy === 'reject') throw new TokenLimitExceededException();
    // Newest first, so everything from index limit - 1 on is the oldest surplus.
    const oldest = active.slice(limit - 1).map((token) => token.id);
    return store.revoke(userId, { ids: oldest });
  }
}
