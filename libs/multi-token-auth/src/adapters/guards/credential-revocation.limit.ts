import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { MULTI_TOKEN_AUTH_THROTTLER_STORAGE } from '../../contracts/multi-token-auth.constants';
import { InjectMultiTokenAuthOptions } from '../../contracts/multi-token-auth-options.decorator';
import type { ResolvedOptions } from '../../contracts/resolved-options';
import type { AuthRequest, AuthResponse } from '../../pure/http/auth-request';
import { clientAddress } from '../../pure/http/client-address';
import { parseThrottleRate, type ThrottleRate } from '../../pure/options/throttle-rate.parser';
import { answerHit } from './rate-limit.answer';

/** The throttler name the counters are kept under. */
const NAME = 'credential-revocation';

/**
 * `credentialRevocation.perIp`: requests to `POST /auth/credentials/revoke` per address, counted in
 * the same storage as the other limits (Redis across instances, else memory), before the body is
 * looked at. `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`, and `Retry-After`
 * with the 429 `rate_limited`. Addresses are counted as the login limits count them
 * (`clientAddress()`: an IPv4 address, an IPv6 /64, a non-address as itself).
 */
@Injectable()
export class CredentialRevocationLimit {
  private readonly rate: ThrottleRate | null;

  constructor(
    @Inject(MULTI_TOKEN_AUTH_THROTTLER_STORAGE) private readonly storage: ThrottlerStorage,
    @InjectMultiTokenAuthOptions() options: ResolvedOptions,
  ) {
    const perIp = options.credentialRevocation ? options.credentialRevocation.perIp : null;
    this.rate = perIp === null ? null : (parseThrottleRate(perIp) ?? null);
  }

  /** Counts the request against its address; throws 429 `rate_limited` past the limit. */
  async check(req: AuthRequest, res: AuthResponse): Promise<void> {
    const { rate } = this;
    if (!rate) return;
    const address = clientAddress(req.ip ?? null);
    const key = `multi-token-auth:credential-revocation:${address}:${rate.limit}/${rate.ttlMs}`;
    const hit = await this.storage.increment(key, rate.ttlMs, rate.limit, rate.ttlMs, NAME);
    answerHit(res, rate.limit, hit);
  }
}
