import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  AuthEventName,
  type LoginFailedEvent,
  type LoginSucceededEvent,
  type TokenCreatedEvent,
  type TokenLeakedEvent,
  type TokenRefreshedEvent,
  type TokenRevokedEvent,
} from 'nestjs-multi-token-auth';

/**
 * The demo's audit trail: one log line per event of the library, with ids, user, client and where
 * from (never a token: the events carry none). An app would write these to a table or a SIEM.
 */
@Injectable()
export class AuditTrailListener {
  private readonly logger = new Logger('Audit');

  @OnEvent(AuthEventName.TokenCreated)
  created(event: TokenCreatedEvent): void {
    const kind = event.apiKey ? 'api key' : 'token';
    this.logger.log(`${kind} ${event.tokenId} created for user ${event.userId} (${event.client}) from ${event.ip}`);
  }

  @OnEvent(AuthEventName.TokenRevoked)
  revoked(event: TokenRevokedEvent): void {
    this.logger.log(`token ${event.tokenId} of user ${event.userId} (${event.client}) revoked: ${event.reason}`);
  }

  /** Where the owner would be told: an e-mail "your token was found in public and revoked". */
  @OnEvent(AuthEventName.TokenLeaked)
  leaked(event: TokenLeakedEvent): void {
    // The report's own text, quoted: a URL holding a line break cannot forge a line of this log.
    const where = event.url ? ` at ${JSON.stringify(event.url)} (${JSON.stringify(event.source)})` : '';
    const from = event.reportedFrom ? ` from ${event.reportedFrom}` : '';
    const what = `${event.apiKey ? 'api key' : 'token'} ${event.tokenId} (${JSON.stringify(event.name)})`;
    this.logger.warn(`${what} of user ${event.userId} reported leaked by ${event.reporter}${from}${where}`);
  }

  @OnEvent(AuthEventName.TokenRefreshed)
  refreshed(event: TokenRefreshedEvent): void {
    this.logger.log(`token ${event.tokenId} of user ${event.userId} refreshed until ${event.expiresAt?.toISOString()}`);
  }

  @OnEvent(AuthEventName.LoginSucceeded)
  loginSucceeded(event: LoginSucceededEvent): void {
    this.logger.log(`login of user ${event.userId} on ${event.client} from ${event.ip}`);
  }

  @OnEvent(AuthEventName.LoginFailed)
  loginFailed(event: LoginFailedEvent): void {
    this.logger.warn(`failed login for ${JSON.stringify(event.username)} from ${event.ip}: ${event.reason}`);
  }
}
