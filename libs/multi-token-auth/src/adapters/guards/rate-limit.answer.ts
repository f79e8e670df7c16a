import type { ThrottlerStorage } from '@nestjs/throttler';
import { RateLimitedException } from '../../contracts/errors/rate-limited.exception';
import { setResponseHeader, type AuthResponse } from '../../pure/http/auth-request';

/** What a throttler storage answers for one counted request. */
type Hit = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * What a counted request is told by a limit of the library's own (a key's `rateLimit`, the bulk
 * revocation's per-address limit): `X-RateLimit-Limit`, `-Remaining` and `-Reset` (seconds), each
 * with `suffix` (`-Key`), and past the limit `Retry-After` with a 429 `rate_limited`.
 */
export function answerHit(res: AuthResponse, limit: number, hit: Hit, suffix = ''): void {
  setResponseHeader(res, `X-RateLimit-Limit${suffix}`, String(limit));
  setResponseHeader(res, `X-RateLimit-Remaining${suffix}`, String(Math.max(0, limit - hit.totalHits)));
  setResponseHeader(
    res,
    `X-RateLimit-Reset${suffix}`,
    String(hit.isBlocked ? hit.timeToBlockExpire : hit.timeToExpire),
  );
  if (!hit.isBlocked) return;
  setResponseHeader(res, 'Retry-After', String(Math.max(1, hit.timeToBlockExpire)));
  throw new RateLimitedException();
}
