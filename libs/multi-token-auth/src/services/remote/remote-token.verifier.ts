import { Logger } from '@nestjs/common';
import type { Clock } from '../../contracts/clock/clock.interface';
import type { AuthToken } from '../../contracts/entities/auth-token.entity';
import {
  AuthUnavailableException,
  ExpiredTokenException,
  InvalidTokenException,
  IpNotAllowedException,
} from '../../contracts/errors/auth.exceptions';
import type { Revocation } from '../../contracts/revocation-bus.interface';
import type { TokenCache } from '../../contracts/token-cache.interface';
import { OwnerUnavailableError, type OwnerClient } from '../../infrastructure/remote/owner.client';
import { allowsAddress } from '../../pure/http/address-allow-list';
import type { TokenCodec } from '../../pure/tokens/token.codec';
import type { TokenVerifier, VerifiedToken, VerifyContext } from '../tokens/token.verifier';
import { remoteRecord, type ClientRates } from './remote-token.record';

/** Whether the cache may answer now: the owner's revocation feed was read under a second ago. */
export interface Freshness {
  isFresh(): boolean;
}

/**
 * How stale an owner instance's own answer can be: its verified-token cache follows its journal,
 * trusted while read under 0.8 s ago, polled every 0.2 s (the owner's 1 s bound), with a margin.
 */
export const OWNER_STALENESS_MS = 1500;
/** Most introspections in flight at once: past it a miss is a 503 rather than one more call to the owner. */
export const MAX_PENDING = 256;

/** What the remote verifier needs besides the owner: the cache's bound and this service's client rates. */
export interface RemoteVerifierSettings {
  cacheTtlMs: number;
  /** The introspection timeout: how long a revocation must be remembered for answers in flight. */
  timeoutMs: number;
  rates: ClientRates;
  defaultRate: string | null;
}

/**
 * A resource server's `TokenVerifier`: the same answers for the same guards, from the owner's
 * introspection instead of a database. Format and checksum first (junk costs no network call), then
 * the verified-token cache, used only while the owner's revocation feed is fresh (every revocation
 * the owner answered is applied from it within a second; through Redis within milliseconds), then
 * one introspection (concurrent requests with one token share it). The owner unreachable is a 503
 * for any token not verified while the feed was fresh: never an accept of what it could not verify.
 * Expiry and the key's address list are checked here on every request, cache hits included.
 */
export class RemoteTokenVerifier implements Pick<
  TokenVerifier,
  'recognizes' | 'verify' | 'verifyDigest' | 'inspect' | 'find'
> {
  private readonly logger = new Logger('MultiTokenAuth');
  /** Introspections in flight, by digest, with the revocation count when each began. */
  private readonly pending = new Map<string, { answer: Promise<AuthToken | null>; generation: number }>();
  /** Bumped by every revocation heard: a request does not join an introspection that began before one. */
  private generation = 0;
  /** Revocations applied lately (`performance.now()` ms): an answer about what they name is not cached. */
  private recent: { at: number; revocation: Revocation }[] = [];
  private failing = false;
  /** The owner's revocation feed, once its follower is made: until then nothing is fresh. */
  private feed: Freshness = { isFresh: () => false };

  constructor(
    private readonly codec: TokenCodec,
    private readonly owner: OwnerClient,
    private readonly cache: TokenCache,
    private readonly clock: Clock,
    private readonly settings: RemoteVerifierSettings,
  ) {}

  /** Uses the cache only while `feed` is fresh. */
  follow(feed: Freshness): void {
    this.feed = feed;
  }

  recognizes(presented: string): boolean {
    return this.codec.claims(presented);
  }

  /** A cache hit answers without a network call or an extra turn of the event loop (the warm path). */
  verify(presented: unknown, request?: VerifyContext): Promise<VerifiedToken> {
    if (!this.codec.isWellFormed(presented)) return Promise.reject(new InvalidTokenException());
    const digest = this.codec.digest(presented);
    const now = this.clock.now().getTime();
    const cached = this.cached(digest, now);
    if (cached) return this.settle(cached, request, now);
    return this.introspected(presented, digest).then((record) =>
      this.settle(record, request, this.clock.now().getTime()),
    );
  }

  /** The checks made on every request, cache hits included: expiry against the clock, the key's address list. */
  private settle(
    record: AuthToken | null | undefined,
    request: VerifyContext | undefined,
    now: number,
  ): Promise<VerifiedToken> {
    if (!record) return Promise.reject(new InvalidTokenException());
    if (expired(record, now)) return Promise.reject(new ExpiredTokenException());
    if (record.allowedIps && !allowsAddress(record.allowedIps, request?.ip)) {
      return Promise.reject(new IpNotAllowedException());
    }
    return Promise.resolve({ user: record.user, token: record });
  }

  /** A token known by its digest only (no plaintext to introspect): from the cache while it is fresh. */
  verifyDigest(digest: string, request?: VerifyContext): Promise<VerifiedToken> {
    if (!this.feed.isFresh()) return Promise.reject(new AuthUnavailableException());
    const now = this.clock.now().getTime();
    return this.settle(this.cache.get(digest, now), request, now);
  }

  /** Whether `presented` is active now, as the owner says (or the fresh cache); `null` for every kind of inactive. */
  async inspect(presented: unknown): Promise<VerifiedToken | null> {
    const record = await this.find(presented);
    return record && !expired(record, this.clock.now().getTime()) ? { user: record.user, token: record } : null;
  }

  /** The record of an active token, or `null`: the owner answers only for active ones. */
  find(presented: unknown): Promise<AuthToken | null> {
    if (!this.codec.isWellFormed(presented)) return Promise.resolve(null);
    return this.lookup(presented, this.codec.digest(presented));
  }

  /** A revocation from the owner's feed or its Redis channel: what it names is dropped. */
  applyRemote(revocation: Revocation): void {
    this.generation++;
    const now = performance.now();
    this.recent.push({ at: now, revocation });
    // Kept at least as long as an answer in flight may predate them; pruned once twice as old, so
    // that a steady stream of revocations costs a filter now and then, not one per revocation.
    const keep = OWNER_STALENESS_MS + this.settings.timeoutMs;
    if (this.recent[0].at < now - 2 * keep) this.recent = this.recent.filter((entry) => entry.at >= now - keep);
    if ('digests' in revocation) this.cache.evict(revocation.digests);
    else if ('userId' in revocation) this.cache.evictUser(revocation.userId);
    else this.cache.clear();
  }

  private lookup(presented: string, digest: string): Promise<AuthToken | null> {
    const cached = this.cached(digest, this.clock.now().getTime());
    return cached ? Promise.resolve(cached) : this.introspected(presented, digest);
  }

  /** The cache's record of `digest` at `now`, read only while the owner's feed is fresh. */
  private cached(digest: string, now: number): AuthToken | undefined {
    return this.feed.isFresh() ? this.cache.get(digest, now) : undefined;
  }

  /**
   * One introspection per token at a time: concurrent requests with it share the answer, unless a
   * revocation was heard since it began (then this request asks again: the answer may predate it).
   */
  private introspected(presented: string, digest: string): Promise<AuthToken | null> {
    const joined = this.pending.get(digest);
    if (joined && joined.generation === this.generation) return joined.answer;
    if (this.pending.size >= MAX_PENDING) return Promise.reject(new AuthUnavailableException());
    const entry = { answer: this.introspect(presented, digest), generation: this.generation };
    entry.answer = entry.answer.finally(() => {
      if (this.pending.get(digest) === entry) this.pending.delete(digest);
    });
    this.pending.set(digest, entry);
    return entry.answer;
  }

  /**
   * Whether a revocation naming this token, its user or everything was applied here since `since`.
   * An owner instance may answer from its own cache up to a second behind its journal, so an answer
   * about a token revoked shortly before the question may be stale: returned (the request is as
   * concurrent with the revocation as any), never cached (nothing would evict it later).
   */
  private revokedSince(digest: string, userId: string, since: number): boolean {
    return this.recent.some(
      ({ at, revocation }) =>
        at >= since &&
        ('all' in revocation ||
          ('userId' in revocation && String(revocation.userId) === userId) ||
          ('digests' in revocation && revocation.digests.includes(digest))),
    );
  }

  private async introspect(presented: string, digest: string): Promise<AuthToken | null> {
    const startedAt = performance.now();
    let active;
    try {
      active = await this.owner.introspect(presented);
    } catch (error) {
      if (!(error instanceof OwnerUnavailableError)) throw error;
      if (!this.failing) this.logger.error(`cannot introspect: ${error.message}`);
      this.failing = true;
      throw new AuthUnavailableException();
    }
    if (this.failing) this.logger.log('the owner answers introspection again');
    this.failing = false;
    if (!active) return null;
    const record = remoteRecord(active, digest, this.settings.rates, this.settings.defaultRate);
    // Cached only while the feed can evict it, and when nothing it names was revoked lately (else asked again).
    if (this.feed.isFresh() && !this.revokedSince(digest, record.userId as string, startedAt - OWNER_STALENESS_MS)) {
      const now = this.clock.now().getTime();
      const expiresAt = record.expiresAt?.getTime() ?? Infinity;
      this.cache.set(digest, record, Math.min(expiresAt, now + this.settings.cacheTtlMs));
    }
    return record;
  }
}

/** Whether `record` has expired at `now` (ms); a token without `exp` never does. */
function expired(record: AuthToken, now: number): boolean {
  return record.expiresAt !== null && record.expiresAt.getTime() <= now;
}
