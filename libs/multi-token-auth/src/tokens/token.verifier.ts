import { timingSafeEqual } from 'node:crypto';
import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { RESOLVED_OPTIONS } from '../multi-token-auth.constants';
import type { ResolvedOptions } from '../multi-token-auth.defaults';
import { ClientRegistry } from '../clients/client.registry';
import type { AuthToken } from '../entities/auth-token.entity';
import {
  AuthUnavailableException,
  ExpiredTokenException,
  InactiveUserException,
  InternalErrorException,
  InvalidTokenException,
} from '../errors/auth.exceptions';
import { isStoreOutage } from '../errors/store-outage';
import { TokenStore } from '../storage/token-store.interface';
import { Clock } from '../clock/clock.interface';
import { LastUsedTracker } from './last-used.tracker';
import { TokenCodec } from './token.codec';

/** A verified token and its owner. */
export interface VerifiedToken<U extends object = object> {
  user: U;
  token: AuthToken<U>;
}

/**
 * The one place that decides whether a token is valid; the guard and the Passport strategy both
 * call it. Order matters: format and checksum first (no I/O for junk), then one indexed query by
 * digest, then expiry against the clock, then the user's state.
 */
@Injectable()
export class TokenVerifier {
  private readonly logger = new Logger('MultiTokenAuth');

  constructor(
    private readonly codec: TokenCodec,
    @Inject(TokenStore) private readonly store: TokenStore,
    private readonly clients: ClientRegistry,
    private readonly lastUsed: LastUsedTracker,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Whether a presented bearer value is of the library's shape (its prefix, or the `legacyTokens`
   * format), so that the library, not another Passport strategy, answers for it. No I/O.
   */
  recognizes(presented: string): boolean {
    return this.codec.claims(presented);
  }

  async verify(presented: unknown): Promise<VerifiedToken> {
    if (!this.codec.isWellFormed(presented)) throw new InvalidTokenException();
    return this.verifyDigest(this.codec.digest(presented));
  }

  /**
   * Re-checks a token known only by its digest: how a socket or a subscription, verified when it
   * connected, is checked again on each message and when a revocation may have touched it.
   * `countUse: false` for a background re-check, which must not keep an idle session alive.
   */
  async verifyDigest(
    digest: string,
    { countUse = true }: { countUse?: boolean | undefined } = {},
  ): Promise<VerifiedToken> {
    const record = await this.lookup(digest);
    // The digest is the lookup key, so this compare is belt and braces (e.g. against a database
    // collation that folds case); constant time all the same, as for every secret comparison.
    const stored = Buffer.from(record?.digest ?? '');
    if (!record || stored.length !== 64 || !timingSafeEqual(stored, Buffer.from(digest))) {
      throw new InvalidTokenException();
    }
    if (record.expiresAt !== null && record.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new ExpiredTokenException();
    }
    if (!record.user || !this.options.user.isActive(record.user)) throw new InactiveUserException();
    const client = this.clients.findById(record.clientId) ?? (await this.clients.getById(record.clientId));
    if (!client) throw new InvalidTokenException();
    record.client = client;
    if (countUse) void this.lastUsed.seen(record);
    return { user: record.user, token: record };
  }

  private async lookup(digest: string): Promise<AuthToken | null> {
    try {
      return await this.store.findByDigest(digest);
    } catch (error) {
      if (error instanceof HttpException) throw error;
      // Never an accept on a store failure, and never the token or a stack trace in the answer.
      if (!isStoreOutage(error)) {
        this.logger.error(`token lookup failed unexpectedly: ${String(error)}`, (error as Error | undefined)?.stack);
        throw new InternalErrorException();
      }
      this.logger.error(`token lookup failed: ${String(error)}`);
      throw new AuthUnavailableException();
    }
  }
}
