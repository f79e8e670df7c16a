import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../contracts/clock/clock.interface';
import type { AuthClient } from '../../contracts/entities/auth-client.entity';
import { TokenNotFoundException } from '../../contracts/errors/not-found.exceptions';
import { ApiKeyRolledException } from '../../contracts/errors/token-issue.exceptions';
import { ValidationFailedException } from '../../contracts/errors/validation-failed.exception';
import { TokenStore, type RevokedToken } from '../../contracts/token-store.interface';
import { UserAccessor } from '../../infrastructure/users/user.accessor';
import { AuthEvents } from '../events/auth-events';
import type { IssuedToken, IssueTokenOptions } from './issue-token.options';
import { TokenIssuer } from './token.issuer';
import { TokenQuotaKeeper } from './token-quota.keeper';

/** The longest overlap a roll allows: 30 days, in seconds. */
export const MAX_ROLL_OVERLAP_SECONDS = 30 * 86_400;

/** How `TokenRoller.roll` replaces a key. */
export interface RollKeyOptions extends Pick<
  IssueTokenOptions,
  'parentTokenId' | 'stillValid' | 'scopeCeiling' | 'ip' | 'userAgent'
> {
  /** The client the key must belong to (the API-key client). */
  client: AuthClient;
  /** How long the old key keeps working, in whole seconds, 0 (revoked now, the default) to 30 days. */
  overlapSeconds?: number | undefined;
}

/** The new key (its secret shown once) and when the old one stops working. */
export interface RolledKey extends IssuedToken {
  /** The old key's end: now for a roll without overlap, else the overlap's end (or its own expiry, if sooner). */
  oldKeyExpiresAt: Date;
}

/**
 * Rolls an API key (Stripe's "roll key"): a new secret with the old key's name, scopes, metadata
 * and lifetime rule, while the old key keeps working for an overlap, so its users can switch
 * without an outage. One locked section does it all: the old key is re-read under the user's lock
 * (a concurrent roll or revocation wins or loses cleanly), then ended or given its overlap's expiry,
 * then the new key is stored. The old key's end reaches every instance as any shortened expiry or
 * revocation does (Redis, else the revocation journal).
 */
@Injectable()
export class TokenRoller {
  constructor(
    @Inject(TokenStore) private readonly store: TokenStore,
    private readonly issuer: TokenIssuer,
    private readonly users: UserAccessor,
    private readonly events: AuthEvents,
    private readonly quotas: TokenQuotaKeeper,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async roll(user: object, keyId: string, options: RollKeyOptions): Promise<RolledKey> {
    const { client, overlapSeconds = 0, ...issue } = options;
    if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0 || overlapSeconds > MAX_ROLL_OVERLAP_SECONDS) {
      throw new ValidationFailedException([
        `overlapSeconds must be a whole number of seconds from 0 to ${MAX_ROLL_OVERLAP_SECONDS}`,
      ]);
    }
    const userId = this.users.idOf(user);
    const old = await this.store.findActive(userId, keyId, this.clock.now());
    if (!old || old.clientId !== client.id) throw new TokenNotFoundException('api_key_not_found');
    if (old.replacedBy) throw new ApiKeyRolledException();
    const lifetime =
      old.expiresAt === null ? null : Math.ceil((old.expiresAt.getTime() - old.createdAt.getTime()) / 1000);
    let ended: RevokedToken | undefined;
    let oldKeyExpiresAt: Date | undefined;
    let paused = false;
    // The quota's balance as it stands: the new key goes on from it (both keys share it in the overlap).
    const quota = await this.quotas.carried(old);
    const issued = await this.issuer.issue(
      user,
      {
        ...issue,
        client: client.name,
        name: old.name,
        ttl: lifetime,
        scopes: old.scopes ?? undefined,
        metadata: old.metadata,
        allowedIps: old.allowedIps,
        rateLimit: old.rateLimit,
      },
      {
        quota,
        before: async (store, now, newId) => {
          const [current] = await store.listActive(userId, now, { ids: [keyId], clientId: client.id });
          if (!current) throw new TokenNotFoundException('api_key_not_found');
          // Rolled (or renamed) since it was read: the caller's view of the key is stale.
          if (current.replacedBy || current.name !== old.name) throw new ApiKeyRolledException();
          paused = current.enabled === false;
          // Keys this one replaced, still in their overlap, now stand for the new key: they spend
          // its rate-limit budget, so that rolling twice does not add a third budget.
          const replaced = await store.listActive(userId, now, { clientId: client.id });
          for (const older of replaced.filter((key) => key.replacedBy === keyId)) {
            await store.update(userId, older.id, { replacedBy: newId, quota });
          }
          if (overlapSeconds === 0) {
            [ended] = await store.revoke(userId, { ids: [keyId] });
            oldKeyExpiresAt = now;
            return;
          }
          const overlapEnd = new Date(now.getTime() + overlapSeconds * 1000);
          oldKeyExpiresAt = current.expiresAt && current.expiresAt < overlapEnd ? current.expiresAt : overlapEnd;
          ended =
            (await store.update(userId, keyId, {
              name: null,
              expiresAt: oldKeyExpiresAt,
              replacedBy: newId,
              quota,
            })) ?? undefined;
        },
      },
    );
    if (quota) this.quotas.seed(issued.record.id, quota);
    // A paused key's replacement is paused too, before its secret leaves this method.
    if (paused) {
      await this.store.update(userId, issued.record.id, { enabled: false });
      issued.record.enabled = false;
    }
    if (ended && oldKeyExpiresAt) {
      if (overlapSeconds === 0) this.events.tokensRevoked([ended], 'roll');
      this.events.tokenRolled(ended, issued.record.id, oldKeyExpiresAt);
    }
    return { ...issued, oldKeyExpiresAt: oldKeyExpiresAt ?? this.clock.now() };
  }
}
