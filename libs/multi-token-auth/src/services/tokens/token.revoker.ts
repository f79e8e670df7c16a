import { Inject, Injectable } from '@nestjs/common';
import { ClientRegistry } from '../../infrastructure/clients/client.registry';
import { Clock } from '../../contracts/clock/clock.interface';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import { InvalidTokenException } from '../../contracts/errors/auth.exceptions';
import type { RevocationReason } from '../../contracts/events/auth-event.payloads';
import { AuthEvents } from '../events/auth-events';
import { TokenStore, type LockedTokenStore, type RevokedToken } from '../../contracts/token-store.interface';
import { TokenIssuer } from './token.issuer';
import { expiryOf } from '../../pure/tokens/token-lifetime';
import type { UserId } from '../../contracts/user-id';

/** Which of a user's tokens `revokeAll` leaves, and why they end (the events' `reason`). */
export interface RevokeAllOptions {
  /** The token making the request ("sign out everywhere else"). */
  exceptTokenId?: string | undefined;
  /** Leave the API keys. */
  keepApiKeys?: boolean | undefined;
  /** Only this client's tokens. */
  clientId?: number | undefined;
  reason?: RevocationReason | undefined;
}

/**
 * What ends or moves a token's life: revoking one, revoking many (logout-all, a password change),
 * renewing. Each revocation runs under the user's issue lock and is reported as an event.
 */
@Injectable()
export class TokenRevoker {
  constructor(
    @Inject(TokenStore) private readonly store: TokenStore,
    private readonly clients: ClientRegistry,
    private readonly issuer: TokenIssuer,
    private readonly events: AuthEvents,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Moves the token's expiry to now + its client's TTL (or idle timeout), never past its absolute
   * lifetime; a client without either, and an API key, keep their expiry unchanged.
   */
  async renew(token: AuthToken): Promise<Date | null> {
    const client = await this.clients.getById(token.clientId);
    // An API key keeps the lifetime it was created with: a key cannot lengthen itself.
    if (!client || client.id === this.issuer.apiKeyClient()?.id) return token.expiresAt;
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
    return (await this.revokeRows(userId, tokenId, reason)).length > 0;
  }

  /** `revoke`, answering the rows it deleted: the token's, or its whole refresh family's. */
  async revokeRows(userId: UserId, tokenId: string, reason: RevocationReason): Promise<RevokedToken[]> {
    // Under the issue lock, like revokeAll: a key being minted from this session either is
    // committed first (and outlives it, as keys do) or sees it gone (401 session_ended).
    const rows = await this.store.withUserLock(userId, async (store) => {
      const [target] = await store.listActive(userId, this.clock.now(), { ids: [tokenId] });
      // A session of a refresh family ends with its whole family: revoking one of its rotated-out
      // tokens (or the current one, while a rotated-out one is in its grace) must not leave the
      // rest alive, nor remove the record that recognises a reuse.
      const familyId = target?.familyId;
      const family = familyId && target.clientId !== this.issuer.apiKeyClient()?.id ? familyId : undefined;
      return store.revoke(userId, family ? { familyId: family } : { ids: [tokenId] });
    });
    this.events.tokensRevoked(rows, reason);
    return rows;
  }

  /**
   * Revokes the user's tokens, optionally sparing one (`exceptTokenId`) or the API keys. It runs
   * under the user's issue lock, so an issue that raced it either finished first (and its token is
   * revoked here) or runs after it and re-checks its parent session or credentials (see
   * `IssueTokenOptions`). After a password change, call it once the new hash is saved **and
   * committed**: never inside the transaction (or a TypeORM subscriber of it) that saves it, which
   * holds the user's row that this lock waits for.
   */
  async revokeAll(userId: UserId, options: RevokeAllOptions = {}): Promise<number> {
    const excludeClientId = options.keepApiKeys ? this.issuer.apiKeyClient()?.id : undefined;
    const filter = { exceptTokenId: options.exceptTokenId, excludeClientId, clientId: options.clientId };
    const rows = await this.store.withUserLock(userId, async (store) => {
      const kept = options.exceptTokenId && (await this.familyOf(store, userId, options.exceptTokenId));
      if (!kept) return store.revoke(userId, filter);
      // "Everywhere else" keeps the tokens its own refreshes rotated out: they are what recognises a
      // reuse of a stolen one (a thief holding the successor cannot erase them this way).
      const others = await store.listActive(userId, this.clock.now(), filter);
      const ids = others.filter((token) => token.id !== kept && token.familyId !== kept).map((token) => token.id);
      return store.revoke(userId, { ids });
    });
    this.events.tokensRevoked(rows, options.reason ?? 'revoked');
    return rows.length;
  }

  /** The refresh family of the user's token `tokenId`, or `undefined` when it has none. */
  private async familyOf(store: LockedTokenStore, userId: UserId, tokenId: string): Promise<string | undefined> {
    const [token] = await store.listActive(userId, this.clock.now(), { ids: [tokenId] });
    return token?.familyId ?? undefined;
  }
}
