import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClientRegistry } from '../../infrastructure/clients/client.registry';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import type { RevokedToken } from '../../contracts/token-store.interface';
import { Clock } from '../../contracts/clock/clock.interface';
import { AuthEventName } from '../../contracts/events/auth-event.names';
import { AuthEventSink } from '../../contracts/events/auth-event-sink.interface';
import type {
  LoginFailedEvent,
  LoginSucceededEvent,
  RevocationReason,
  TokenCreatedEvent,
  TokenEventFields,
  TokenLeakedEvent,
  TokenRefreshedEvent,
  TokenRevokedEvent,
  TokenRolledEvent,
  TokenRotatedEvent,
  TokenReuseDetectedEvent,
  TokenUpdatedEvent,
} from '../../contracts/events/auth-event.payloads';

const MAX_USERNAME = 150;

/**
 * Builds the library's events and hands them to the sink: ids, user, client, where from and when,
 * never a plaintext token or a digest. One `token.revoked` per token, also for bulk revocations
 * (the store returns exactly the rows it deleted). A sink that throws is logged, never the caller's
 * problem: the change it reports is already stored.
 */
@Injectable()
export class AuthEvents {
  private readonly logger = new Logger('MultiTokenAuth');

  constructor(
    @Inject(AuthEventSink) private readonly sink: AuthEventSink,
    private readonly clients: ClientRegistry,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  tokenCreated(record: AuthToken, apiKey: boolean): void {
    const event: TokenCreatedEvent = {
      ...this.fields(record),
      name: record.name,
      expiresAt: record.expiresAt,
      scopes: record.scopes ?? null,
      apiKey,
    };
    this.emit(AuthEventName.TokenCreated, event);
  }

  tokensRevoked(rows: readonly RevokedToken[], reason: RevocationReason): void {
    for (const row of rows) {
      const event: TokenRevokedEvent = { ...this.fields(row), reason };
      this.emit(AuthEventName.TokenRevoked, event);
    }
  }

  tokenRefreshed(record: AuthToken): void {
    const event: TokenRefreshedEvent = { ...this.fields(record), expiresAt: record.expiresAt };
    this.emit(AuthEventName.TokenRefreshed, event);
  }

  tokenUpdated(row: RevokedToken, changed: string[], enabled: boolean): void {
    const event: TokenUpdatedEvent = { ...this.fields(row), changed, enabled };
    this.emit(AuthEventName.TokenUpdated, event);
  }

  tokenRolled(old: RevokedToken, newTokenId: string, oldKeyExpiresAt: Date | null): void {
    const event: TokenRolledEvent = { ...this.fields(old), newTokenId, oldKeyExpiresAt };
    this.emit(AuthEventName.TokenRolled, event);
  }

  tokenRotated(old: RevokedToken, newTokenId: string, familyId: string, graceEndsAt: Date): void {
    const event: TokenRotatedEvent = { ...this.fields(old), newTokenId, familyId, graceEndsAt };
    this.emit(AuthEventName.TokenRotated, event);
  }

  reuseDetected(
    presented: RevokedToken,
    familyId: string,
    revoked: RevokedToken[],
    presentedFrom: string | null,
  ): void {
    const revokedTokenIds = revoked.map((row) => row.id);
    const event: TokenReuseDetectedEvent = { ...this.fields(presented), familyId, revokedTokenIds, presentedFrom };
    this.emit(AuthEventName.TokenReuseDetected, event);
  }

  /** `token.leaked` for each revoked row, with where the report says it was found (never the token). */
  tokensLeaked(rows: readonly RevokedToken[], report: Omit<TokenLeakedEvent, keyof TokenEventFields>): void {
    for (const row of rows) {
      const event: TokenLeakedEvent = { ...this.fields(row), ...report };
      this.emit(AuthEventName.TokenLeaked, event);
    }
  }

  loginSucceeded(record: AuthToken): void {
    const { tokenId, userId, client, ip, userAgent, at } = this.fields(record);
    const event: LoginSucceededEvent = { userId, tokenId, client: client ?? '', ip, userAgent, at };
    this.emit(AuthEventName.LoginSucceeded, event);
  }

  loginFailed(attempt: {
    username: unknown;
    reason: string;
    client: unknown;
    ip: string | null;
    userAgent: string | null;
  }): void {
    const client = typeof attempt.client === 'string' ? this.clients.findByName(attempt.client) : undefined;
    const event: LoginFailedEvent = {
      username: typeof attempt.username === 'string' ? [...attempt.username].slice(0, MAX_USERNAME).join('') : '',
      reason: attempt.reason,
      client: client?.name ?? null,
      ip: attempt.ip,
      userAgent: attempt.userAgent?.slice(0, 255) ?? null,
      at: this.clock.now(),
    };
    this.emit(AuthEventName.LoginFailed, event);
  }

  private fields(token: Pick<RevokedToken, 'id' | 'userId' | 'clientId' | 'ip' | 'userAgent'>): TokenEventFields {
    return {
      tokenId: token.id,
      userId: token.userId,
      client: this.clients.findById(token.clientId)?.name ?? null,
      ip: token.ip,
      userAgent: token.userAgent,
      at: this.clock.now(),
    };
  }

  private emit(name: AuthEventName, payload: object): void {
    try {
      this.sink.emit(name, payload);
    } catch (error) {
      this.logger.error(`an event listener failed on ${name}: ${String(error)}`);
    }
  }
}
