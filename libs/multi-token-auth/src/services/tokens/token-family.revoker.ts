import { Inject, Injectable } from '@nestjs/common';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { TokenStore } from '../../contracts/token-store.interface';
import { AuthEvents } from '../events/auth-events';

/**
 * What a reuse of a rotated-out token sets off: every token of its family (descended from the same
 * login) is revoked, on every instance as any revocation is, and `token.reuse_detected` names them.
 */
@Injectable()
export class TokenFamilyRevoker {
  constructor(
    @Inject(TokenStore) private readonly store: TokenStore,
    private readonly events: AuthEvents,
  ) {}

  /** Revokes `presented`'s family (`presented` included); reports it once, by whoever revoked it. */
  async reused(presented: AuthToken, presentedFrom: string | null): Promise<void> {
    const familyId = presented.familyId ?? presented.id;
    const { userId } = presented;
    const rows = await this.store.withUserLock(userId, (store) => store.revoke(userId, { familyId }));
    // Two uses at once: the second finds the family gone, and reports nothing more.
    if (rows.length === 0) return;
    this.events.tokensRevoked(rows, 'reuse');
    const { id, digest, clientId, ip, userAgent } = presented;
    this.events.reuseDetected({ id, userId, digest, clientId, ip, userAgent }, familyId, rows, presentedFrom);
  }
}
