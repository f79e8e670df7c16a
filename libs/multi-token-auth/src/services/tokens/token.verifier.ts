import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { ClientRegistry } from '../../infrastructure/clients/client.registry';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import {
  AuthUnavailableException,
  ExpiredTokenException,
  InactiveUserException,
  InternalErrorException,
  InvalidTokenException,
  IpNotAllowedException,
  KeyDisabledException,
  TokenReusedException,
  TokenRotatedException,
} from '../../contracts/errors/auth.exceptions';
import { isStoreOutage } from '../../contracts/errors/store-outage';
import { TokenStore } from '../../contracts/token-store.interface';
import { Clock } from '../../contracts/clock/clock.interface';
import { LastUsedTracker } from './last-used.tracker';
import { TokenFamilyRevoker } from './token-family.revoker';
import { TokenUsageCounter } from './token-usage.counter';
import { TokenCodec } from '../../pure/tokens/token.codec';
import { allowsAddress } from '../../pure/http/address-allow-list';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';

/** What a verification knows of the request, beyond the token. */
export interface VerifyContext {
  /** The request's address, for a token's `allowedIps` (`undefined`: unknown, never allowed by a list). */
  ip?: string | null | undefined;
  /** `false` for a background re-check, which must not keep an idle session alive. */
  countUse?: boolean | undefined;
  /**
   * `false` for the re-check of a connection opened with the token (a socket, a subscription): a
   * token rotated out by a refresh since is then refused (401 `token_rotated`, the connection
   * closes) but not taken as reused, since nobody presented it again.
   */
  presented?: boolean | undefined;
}

/** A verified token and its owner. */
export interface VerifiedToken<U extends object = object> {
  user: U;
  token: AuthToken<U>;
}

/**
 * The one place that decides whether a token is valid; the guard and the Passport strategy both
 * call it. Order matters: format and checksum first (no I/O for junk), then one indexed query by
 * digest, then a rotated-out token's grace (past it: its family is revoked, 401 `token_reused`),
 * then expiry against the clock, then the user's state.
 */
@Injectable()
export class TokenVerifier {
  private readonly logger = new Logger('MultiTokenAuth');

  constructor(
    private readonly codec: TokenCodec,
    @Inject(TokenStore) private readonly store: TokenStore,
    private readonly clients: ClientRegistry,
    private readonly lastUsed: LastUsedTracker,
    private readonly families: TokenFamilyRevoker,
    private readonly usage: TokenUsageCounter,
    @InjectMultiTokenAuthOptions() private readonly options: ResolvedOptions,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Whether a presented bearer value is of the library's shape (its prefix, or the `legacyTokens`
   * format), so that the library, not another Passport strategy, answers for it. No I/O.
   */
  recognizes(presented: string): boolean {
    return this.codec.claims(presented);
  }

  /**
   * @param presented the bearer value as received
   * @param request where it came from: `ip`, the request's address (`req.ip`, the proxy setting
   *   applied), checked against a token's `allowedIps`; a token with a list is refused without it
   */
  verify(presented: unknown, request?: VerifyContext): Promise<VerifiedToken> {
    if (!this.codec.isWellFormed(presented)) return Promise.reject(new InvalidTokenException());
    return this.verifyDigest(this.codec.digest(presented), request);
  }

  /**
   * Re-checks a token known only by its digest: how a socket or a subscription, verified when it
   * connected, is checked again on each message and when a revocation may have touched it.
   * `countUse: false` for a background re-check, which must not keep an idle session alive.
   */
  async verifyDigest(digest: string, options?: VerifyContext): Promise<VerifiedToken> {
    let record: AuthToken | null;
    try {
      record = await this.store.findByDigest(digest);
    } catch (error) {
      throw this.lookupFailure(error);
    }
    // The digest is the lookup key, so this compare is belt and braces (e.g. against a database
    // collation that folds case); constant time all the same, as for every secret comparison.
    if (!record || !sameDigest(record.digest, digest)) throw new InvalidTokenException();
    const now = this.clock.now();
    // Rotated out by a refresh and used after its grace: taken as stolen (RFC 9700 §4.14.2).
    if (record.graceEndsAt && record.graceEndsAt.getTime() <= now.getTime()) {
      if (options?.presented === false) throw new TokenRotatedException();
      await this.families.reused(record, options?.ip ?? null).catch((error: unknown) => {
        throw this.lookupFailure(error);
      });
      throw new TokenReusedException();
    }
    if (record.expiresAt !== null && record.expiresAt.getTime() <= now.getTime()) {
      throw new ExpiredTokenException();
    }
    // `false` only: a custom store that predates `enabled` (undefined) keeps its tokens usable.
    if (record.enabled === false) throw this.refused(record, now, new KeyDisabledException(), options);
    // Fails closed: a caller that passes no address cannot use a token that has a list.
    if (record.allowedIps && !allowsAddress(record.allowedIps, options?.ip)) {
      throw this.refused(record, now, new IpNotAllowedException(), options);
    }
    if (!record.user || !this.options.user.isActive(record.user)) throw new InactiveUserException();
    const client = this.clients.findById(record.clientId) ?? (await this.clients.getById(record.clientId));
    if (!client) throw new InvalidTokenException();
    record.client = client;
    if (options?.countUse !== false) {
      void this.lastUsed.seen(record, now, options?.ip);
      this.usage.used(record, now.getTime());
    }
    return { user: record.user, token: record };
  }

  /**
   * Whether a token is valid now, for a party that holds it but is not using it (RFC 7662
   * introspection): the verification's checks (format and checksum, lookup, rotation grace, expiry,
   * pause, the user's state) with none of its effects: no `lastUsedAt`, no usage count, no reuse
   * detection (a rotated-out token past its grace is inactive, its family untouched), and no
   * address check (the party asking is not the one using it). `null` for every kind of invalid;
   * a store outage still throws (503), never an answer.
   */
  async inspect(presented: unknown): Promise<VerifiedToken | null> {
    const record = await this.find(presented);
    if (!record) return null;
    const now = this.clock.now().getTime();
    if (record.graceEndsAt && record.graceEndsAt.getTime() <= now) return null;
    if (record.expiresAt !== null && record.expiresAt.getTime() <= now) return null;
    if (record.enabled === false) return null;
    if (!record.user || !this.options.user.isActive(record.user)) return null;
    const client = this.clients.findById(record.clientId) ?? (await this.clients.getById(record.clientId));
    if (!client) return null;
    record.client = client;
    return { user: record.user, token: record };
  }

  /**
   * The stored record of a presented token, whatever its state (expired, paused, rotated out), or
   * `null` when it is not of the library's shape or not stored. Checksum first (junk costs no query),
   * then one lookup by digest; a store outage throws (503), never a `null`. No effect on the token.
   */
  async find(presented: unknown): Promise<AuthToken | null> {
    if (!this.codec.isWellFormed(presented)) return null;
    const digest = this.codec.digest(presented);
    let record: AuthToken | null;
    try {
      record = await this.store.findByDigest(digest);
    } catch (error) {
      throw this.lookupFailure(error);
    }
    return record && sameDigest(record.digest, digest) ? record : null;
  }

  /** `error`, once a refusal of an identified key is counted in its usage (a request, refused). */
  private refused(record: AuthToken, now: Date, error: Error, options?: VerifyContext): Error {
    if (options?.countUse !== false) this.usage.refused(record, now.getTime(), false);
    return error;
  }

  /** What a failed lookup answers: never an accept, and never the token or a stack trace in it. */
  private lookupFailure(error: unknown): unknown {
    if (error instanceof HttpException) return error;
    if (!isStoreOutage(error)) {
      this.logger.error(`token lookup failed unexpectedly: ${String(error)}`, (error as Error | undefined)?.stack);
      return new InternalErrorException();
    }
    this.logger.error(`token lookup failed: ${String(error)}`);
    return new AuthUnavailableException();
  }
}

/**
 * Whether two digests (64 hex characters) are equal, in time that depends on their length only:
 * no early exit, and no `Buffer` per request as `timingSafeEqual` would need.
 */
export function sameDigest(stored: unknown, presented: string): boolean {
  if (typeof stored !== 'string' || stored.length !== 64 || presented.length !== 64) return false;
  let difference = 0;
  for (let i = 0; i < 64; i++) difference |= stored.charCodeAt(i) ^ presented.charCodeAt(i);
  return difference === 0;
}
