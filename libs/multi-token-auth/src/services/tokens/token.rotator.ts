import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../contracts/clock/clock.interface';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { InvalidTokenException, TokenRotatedException } from '../../contracts/errors/auth.exceptions';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';
import type { RevokedToken } from '../../contracts/token-store.interface';
import { expiryOf } from '../../pure/tokens/token-lifetime';
import { AuthEvents } from '../events/auth-events';
import type { IssuedToken } from './issue-token.options';
import { TokenIssuer } from './token.issuer';
import { TokenQuotaKeeper } from './token-quota.keeper';

/**
 * How many rotated-out tokens of one sign-in are remembered (to recognise their reuse): the newest.
 * An older one presented again is unknown (401 `invalid_token`), not a reuse.
 */
export const MAX_REMEMBERED_ROTATIONS = 20;

/** Where a refresh came from, for the successor's record. */
export interface RotationRequest {
  ip?: string | null | undefined;
  userAgent?: string | null | undefined;
}

/**
 * Refresh token rotation (RFC 9700 §4.14.2) for clients with `rotateOnRefresh`: a refresh issues a
 * successor with the same name, scopes and sign-in time (`createdAt`: the absolute lifetime and the
 * recent sign-in window still count from the login), and rotates the presented token out: it works
 * for the client's `rotationGrace`, then `TokenVerifier` takes any use of it as theft and revokes
 * the family. One locked section: of two refreshes of one token, one rotates and the other gets 401
 * `token_rotated`. The family's newest `MAX_REMEMBERED_ROTATIONS` rotated-out rows are kept until
 * the newest successor would expire (their `expiresAt` moves there at each rotation), so that a
 * reuse of any of them is recognised as long as the session lives; older ones are deleted.
 */
@Injectable()
export class TokenRotator {
  constructor(
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    private readonly issuer: TokenIssuer,
    private readonly events: AuthEvents,
    private readonly quotas: TokenQuotaKeeper,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Whether a refresh of `token` rotates it: its client has `rotateOnRefresh`, and it is not an API key. */
  rotates(token: AuthToken): boolean {
    return this.definitionOf(token)?.rotateOnRefresh === true && token.clientId !== this.issuer.apiKeyClient()?.id;
  }

  /** The successor of `token` (its secret shown once); `token` is rotated out. */
  async rotate(token: AuthToken, request: RotationRequest = {}): Promise<IssuedToken> {
    const definition = this.definitionOf(token);
    if (!definition?.rotateOnRefresh) throw new Error(`Client "${token.client.name}" does not rotate on refresh.`);
    const familyId = token.familyId ?? token.id;
    const userId = token.userId;
    let rotatedOut: RevokedToken | undefined;
    const dropped: RevokedToken[] = [];
    let graceEndsAt = this.clock.now();
    const quota = await this.quotas.carried(token);
    const issued = await this.issuer.issue(
      userId,
      {
        client: token.client.name,
        name: token.name,
        scopes: token.scopes ?? undefined,
        metadata: token.metadata,
        allowedIps: token.allowedIps,
        rateLimit: token.rateLimit,
        ip: request.ip ?? null,
        userAgent: request.userAgent ?? null,
      },
      {
        createdAt: token.createdAt,
        familyId,
        quota,
        before: async (store, now, newId) => {
          const [current] = await store.listActive(userId, now, { ids: [token.id] });
          // Revoked (or expired) since the request was authenticated: nothing to rotate.
          if (!current) throw new InvalidTokenException();
          if (current.replacedBy) throw new TokenRotatedException();
          graceEndsAt = new Date(now.getTime() + definition.rotationGrace * 1000);
          // Every rotated-out token of the family is kept while the successor may live, to
          // recognise a reuse of any of them (each is refused after its grace anyway).
          const keptUntil = expiryOf(token.client, token.createdAt, now);
          rotatedOut =
            (await store.update(userId, token.id, {
              name: null,
              replacedBy: newId,
              familyId,
              graceEndsAt,
              expiresAt: keptUntil,
              quota,
            })) ?? undefined;
          // The newest rotated-out tokens are remembered, at most MAX_REMEMBERED_ROTATIONS with this
          // one: a row and an UPDATE a rotation each, however long the session lives.
          const earlier = (await store.listActive(userId, now, { familyId }))
            .filter((row) => row.graceEndsAt && row.id !== token.id)
            .sort((x, y) => (y.graceEndsAt?.getTime() ?? 0) - (x.graceEndsAt?.getTime() ?? 0));
          const kept = earlier.slice(0, MAX_REMEMBERED_ROTATIONS - 1);
          for (const member of kept) await store.update(userId, member.id, { expiresAt: keptUntil });
          const forgotten = earlier.slice(MAX_REMEMBERED_ROTATIONS - 1).map((row) => row.id);
          if (forgotten.length > 0) dropped.push(...(await store.revoke(userId, { ids: forgotten })));
        },
      },
    );
    if (quota) this.quotas.seed(issued.record.id, quota);
    if (rotatedOut) this.events.tokenRotated(rotatedOut, issued.record.id, familyId, graceEndsAt);
    this.events.tokensRevoked(dropped, 'purge');
    return issued;
  }

  private definitionOf(token: AuthToken) {
    return this.options.clients.find((client) => client.name === token.client.name);
  }
}
