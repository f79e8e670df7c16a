import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../contracts/clock/clock.interface';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import {
  ApiKeyRolledException,
  isUniqueViolation,
  TokenNameTakenException,
} from '../../contracts/errors/token-issue.exceptions';
import { TokenStore, type TokenChanges, type TokenSettings } from '../../contracts/token-store.interface';
import type { UserId } from '../../contracts/user-id';
import { ClientRegistry } from '../../infrastructure/clients/client.registry';
import { AuthEvents } from '../events/auth-events';
import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';
import { metadataProblem } from '../../pure/validation/token-metadata';
import { allowListProblem, normalizeAllowList } from '../../pure/http/address-allow-list';
import { tokenNameProblem } from '../../pure/validation/token-name';
import { rateLimitProblem } from '../../pure/validation/rate-limit';
import { normalizeQuota, quotaProblem } from '../../pure/quotas/quota.rule';
import { newlySet } from '../../pure/quotas/quota.balance';

/** Which token `TokenUpdater.update` may change. */
export interface UpdateTokenOptions {
  /** Only a token of this client (the API-key client, for the API-key routes). */
  clientId?: number | undefined;
}

/**
 * Changes a token's settings in place: its name, `enabled` (pause and resume), `metadata`,
 * `allowedIps`, `rateLimit` and `quota` (set anew: full from now). Not its secret, scopes or expiry. Runs under the user's issue lock (a rename is checked against the
 * user's other names there, as an issue is), evicts the token from every instance's cache, and
 * reports `token.updated`.
 */
@Injectable()
export class TokenUpdater {
  constructor(
    @Inject(TokenStore) private readonly store: TokenStore,
    private readonly clients: ClientRegistry,
    private readonly events: AuthEvents,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Applies `changes` to the user's unexpired token `tokenId` and returns it as stored now, with its
   * client; `null` when the user has no such token (of `options.clientId`). A name another of the
   * user's tokens has → 409 `token_name_taken`.
   */
  async update(
    userId: UserId,
    tokenId: string,
    requested: TokenSettings,
    options: UpdateTokenOptions = {},
  ): Promise<AuthToken | null> {
    const changes = checked(requested);
    const filter = { ids: [tokenId], clientId: options.clientId };
    const updated = await this.store.withUserLock(userId, async (locked) => {
      const [token] = await locked.listActive(userId, this.clock.now(), filter);
      if (!token) return null;
      const { name, rateLimit, quota } = changes;
      // A replaced key's name went to its replacement; it keeps none of its own, and spends its
      // replacement's rate-limit budget and quota under its replacement's (set through the replacement).
      if (token.replacedBy && (name !== undefined || rateLimit !== undefined || quota !== undefined)) {
        throw new ApiKeyRolledException();
      }
      if (name !== undefined && name !== null && name !== token.name && (await locked.hasNamed(userId, name))) {
        throw new TokenNameTakenException();
      }
      try {
        // A new quota's balance is named by when it was set: always later than the one it replaces
        // (two changes within a millisecond would otherwise share one balance).
        const after = (token.quotaSetAt?.getTime() ?? -1) + 1;
        const setAt = new Date(Math.max(this.clock.now().getTime(), after));
        const stored: TokenChanges = { ...changes, quota: quota ? newlySet(quota, setAt) : quota };
        const row = await locked.update(userId, tokenId, stored);
        // Keys this one replaced (in their overlap) spend its budget and quota: they follow its new ones.
        if (rateLimit !== undefined || quota !== undefined) {
          const replaced = await locked.listActive(userId, this.clock.now(), { clientId: token.clientId });
          for (const older of replaced.filter((key) => key.replacedBy === tokenId)) {
            await locked.update(userId, older.id, { rateLimit, quota: stored.quota });
          }
        }
        return row;
      } catch (error) {
        if (isUniqueViolation(error)) throw new TokenNameTakenException();
        throw error;
      }
    });
    if (!updated) return null;
    const [token] = await this.store.listActive(userId, this.clock.now(), filter);
    if (!token) return null;
    const client = await this.clients.getById(token.clientId);
    if (client) token.client = client;
    const changed = Object.keys(changes).filter((key) => changes[key as keyof TokenSettings] !== undefined);
    this.events.tokenUpdated(updated, changed, token.enabled);
    return token;
  }
}

/**
 * The controllers validate their input; this holds the same rules for every other caller (400,
 * never a 5xx): a trimmed name, a boolean `enabled`, metadata and an allow-list as on create.
 */
function checked({ name, enabled, metadata, allowedIps, rateLimit, quota }: TokenSettings): TokenSettings {
  const trimmed = typeof name === 'string' ? name.trim() : name;
  const problems = [
    typeof trimmed === 'string' ? tokenNameProblem(trimmed) : undefined,
    enabled === undefined || typeof enabled === 'boolean' ? undefined : 'enabled must be a boolean value',
    metadata === undefined ? undefined : metadataProblem(metadata),
    allowedIps === undefined ? undefined : allowListProblem(allowedIps),
    rateLimit === undefined ? undefined : rateLimitProblem(rateLimit),
    quota === undefined ? undefined : quotaProblem(quota),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) throw new ValidationFailedException(problems);
  const allowed = allowedIps ? normalizeAllowList(allowedIps) : allowedIps;
  return { name: trimmed, enabled, metadata, allowedIps: allowed, rateLimit, quota: quota && normalizeQuota(quota) };
}
